package io.safegrid.ingest.gb28181;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.ingest.gb28181.cascade.UpperLink;
import io.safegrid.ingest.gb28181.sip.SipStacks;
import java.io.File;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's Kamailio as a plain SIP registrar above the county: the county's link answers its digest
 * challenge, renews before expiry and sends keepalives; with a wrong password it backs off.
 */
class KamailioUpperTest {
    private static final String KAMAILIO = "/usr/sbin/kamailio";
    private static final String UPPER = "34000000002000000001";
    private static final List<String> MODULE_DIRS = List.of("/usr/lib/x86_64-linux-gnu/kamailio/modules",
            "/usr/lib/aarch64-linux-gnu/kamailio/modules", "/usr/lib/kamailio/modules");

    private final InProcessBus bus = new InProcessBus();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Process kamailio;
    private Gb28181Server county;
    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        if (county != null) {
            county.close();
        }
        if (kamailio != null) {
            Stream.concat(kamailio.descendants(), Stream.of(kamailio.toHandle())).forEach(ProcessHandle::destroy);
            kamailio.waitFor();
        }
        bus.close();
    }

    private int startKamailio(String password) throws Exception {
        Assumptions.assumeTrue(new File(KAMAILIO).canExecute(), "Kamailio is not installed (Debian package kamailio); skipping");
        String modules = MODULE_DIRS.stream().filter(d -> new File(d, "registrar.so").exists()).findFirst().orElse(null);
        Assumptions.assumeTrue(modules != null, "Kamailio's modules are not where Debian puts them; skipping");
        int port = SipStacks.freePort("127.0.0.1");
        String cfg;
        try (InputStream in = getClass().getResourceAsStream("/gb28181/kamailio/registrar.cfg")) {
            cfg = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path file = dir.resolve("kamailio.cfg");
        Files.writeString(file, cfg.replace("@PORT@", String.valueOf(port)).replace("@PASSWORD@", password)
                .replace("@MODULES@", modules));
        kamailio = new ProcessBuilder(KAMAILIO, "-f", file.toString(), "-DD", "-E", "-Y", dir.toString(), "-m", "32", "-M", "8")
                .redirectErrorStream(true).redirectOutput(dir.resolve("kamailio.log").toFile()).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> answers(port));
        return port;
    }

    /** Whether Kamailio answers an OPTIONS on the port (405 from the config above). */
    private static boolean answers(int port) throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(300);
            String options = "OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort()
                    + ";branch=z9hG4bKprobe" + System.nanoTime() + "\r\nFrom: <sip:probe@127.0.0.1>;tag=1\r\n"
                    + "To: <sip:probe@127.0.0.1>\r\nCall-ID: probe-" + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\n"
                    + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            byte[] b = options.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
            s.receive(new DatagramPacket(new byte[2048], 2048));
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private String log() throws Exception {
        return Files.readString(dir.resolve("kamailio.log"));
    }

    private void startCounty(int upperPort, String password, String transport) throws Exception {
        county = new Gb28181Server(GbCounty.config(SipStacks.freePort("127.0.0.1"), "60s", """
                  upper:
                    - id: "%s"
                      host: 127.0.0.1
                      port: %d
                      transport: %s
                      password: %s
                      expires: 2s
                      keepalive-interval: 1s
                      retry-min: 300ms
                      retry-max: 5s
                      share: ["%s"]
                """.formatted(UPPER, upperPort, transport, password, GbCounty.CH1)), bus, registry, Clock.systemUTC());
        county.start();
    }

    @ParameterizedTest
    @ValueSource(strings = {"UDP", "TCP"})
    void theCountyRegistersToKamailioWithDigestRenewsAndSendsKeepalives(String transport) throws Exception {
        int port = startKamailio("city-s3cret");
        startCounty(port, "city-s3cret", transport);
        UpperLink link = county.uppers().get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> link.state() == UpperLink.State.REGISTERED);
        // granted 2 s, renewed at 1.5 s: Kamailio saves the binding again, after a fresh challenge each time
        await().atMost(Duration.ofSeconds(30)).until(() -> log().split("SAFEGRID-REGISTERED " + GbCounty.SERVER, -1).length - 1 >= 3);
        assertThat(log()).contains("SAFEGRID-CHALLENGE " + GbCounty.SERVER).contains("expires=2");
        await().atMost(Duration.ofSeconds(30)).until(() -> log().contains("SAFEGRID-MESSAGE " + GbCounty.SERVER));
        assertThat(log()).contains("<CmdType>Keepalive</CmdType>");
        assertThat(link.failures()).isZero();
        assertThat(registry.find("safegrid.gb28181.upper.registrations").tag("result", "failed").counter()).isNull();
    }

    @Test
    void aWrongPasswordIsRetriedWithGrowingWaits() throws Exception {
        int port = startKamailio("city-s3cret");
        startCounty(port, "not-the-password", "UDP");
        UpperLink link = county.uppers().get(0);
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> link.failures() >= 3);
        double took = (System.nanoTime() - t0) / 1e9;
        // waits of 0.3, 0.6 s before the third failure; a fixed 0.3 s would make ten failures in 3 s
        assertThat(took).isGreaterThan(0.8);
        Thread.sleep(2000);
        assertThat(link.failures()).as("backing off: 0.3, 0.6, 1.2, 2.4 s").isBetween(3, 5);
        assertThat(link.state()).isNotEqualTo(UpperLink.State.REGISTERED);
        assertThat(log()).doesNotContain("SAFEGRID-REGISTERED");
    }
}
