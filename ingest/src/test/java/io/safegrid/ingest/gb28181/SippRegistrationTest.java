package io.safegrid.ingest.gb28181;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.ingest.gb28181.sip.SipStacks;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's SIPp as an independent SIP peer, driven by the scenario files in test resources
 * (gb28181/sipp): digest registration, a wrong password, keepalives and an unregister, over UDP and TCP.
 */
class SippRegistrationTest {
    private static final String SIPP = "/usr/bin/sipp";

    private final InProcessBus bus = new InProcessBus();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Finding> findings = new CopyOnWriteArrayList<>();
    private Gb28181Server server;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(new File(SIPP).canExecute(), "SIPp is not installed (Debian package sip-tester); skipping");
        bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
        server = new Gb28181Server(GbCounty.config(SipStacks.freePort("127.0.0.1"), "2s"), bus, registry, Clock.systemUTC());
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        bus.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"u1", "t1"})
    void sippRegistersWithDigestSendsKeepalivesAndUnregisters(String transport) throws Exception {
        Result r = sipp("register-keepalive-unregister.xml", transport, GbCounty.IPC, GbCounty.IPC_PASSWORD);
        assertThat(r.exit).as("SIPp failed:\n%s", r.log).isZero();
        assertThat(registry.get("safegrid.gb28181.registrations").tag("result", "ok").counter().count()).isEqualTo(1);
        assertThat(registry.get("safegrid.gb28181.registrations").tag("result", "unregistered").counter().count()).isEqualTo(1);
        assertThat(registry.get("safegrid.gb28181.keepalives").counter().count()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> findings.stream().anyMatch(f ->
                f.sourceId().equals(GbCounty.IPC) && f.kind() == FindingKind.DEVICE_OFFLINE && f.isActive()
                        && f.message().contains("unregistered")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"u1", "t1"})
    void aWrongPasswordGets403(String transport) throws Exception {
        Result r = sipp("register-wrong-password.xml", transport, GbCounty.NVR, "not-the-password");
        assertThat(r.exit).as("SIPp failed:\n%s", r.log).isZero();
        assertThat(registry.get("safegrid.gb28181.registration.failures").tag("reason", "wrong-password").counter().count())
                .isEqualTo(1);
        assertThat(server.devices()).allSatisfy(d -> assertThat(d.expiresAt()).isNull());
    }

    private record Result(int exit, String log) {
    }

    private Result sipp(String scenario, String transport, String id, String password) throws Exception {
        Path sf = dir.resolve(scenario);
        try (var in = getClass().getResourceAsStream("/gb28181/sipp/" + scenario)) {
            Files.copy(in, sf);
        }
        List<String> cmd = new ArrayList<>(List.of(SIPP, "-sf", sf.toString(), "-m", "1", "-t", transport,
                "-i", "127.0.0.1", "-p", String.valueOf(SipStacks.freePort("127.0.0.1")), "-s", id, "-au", id,
                "-ap", password, "-timeout", "20s", "-timeout_error", "-nostdin", "-trace_err",
                "-error_file", dir.resolve("errors.log").toString(), "127.0.0.1:" + server.port()));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sipp.out").toFile()).start();
        if (!p.waitFor(40, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        Path errors = dir.resolve("errors.log");
        String log = Files.exists(errors) ? Files.readString(errors, StandardCharsets.ISO_8859_1) : "";
        return new Result(p.isAlive() ? -1 : p.exitValue(), log);
    }
}
