package io.safegrid.cascade;

import io.safegrid.testing.TcpCutter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Finding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link over TLS, with certificates made by the openssl command line as an operator would make
 * them: a county CA, the county's certificate for 127.0.0.1 signed by it, and strangers.
 */
class CascadeTlsTest {
    @TempDir
    static Path pki;
    @TempDir
    Path dir;

    private final MeterRegistry countyMeters = new SimpleMeterRegistry();
    private final MeterRegistry enterpriseMeters = new SimpleMeterRegistry();
    private final InProcessBus countyBus = new InProcessBus();
    private final InProcessBus enterpriseBus = new InProcessBus();
    private final List<Finding> atCounty = Collections.synchronizedList(new ArrayList<>());
    private Cascade county;
    private Cascade enterprise;
    private TcpCutter wire;

    @BeforeAll
    static void certificates() throws Exception {
        assumeTrue(run(pki, "openssl", "version"), "openssl is not installed (Debian package openssl)");
        ca("county-ca");
        ca("stranger-ca");
        signed("county", "county-ca", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        signed("elsewhere", "county-ca", "subjectAltName=DNS:county.example.cn");
    }

    private static void ca(String name) throws Exception {
        assertThat(run(pki, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".crt", "-days", "2", "-subj", "/CN=" + name)).isTrue();
    }

    private static void signed(String name, String ca, String san) throws Exception {
        Files.writeString(pki.resolve(name + ".ext"), san + "\n");
        assertThat(run(pki, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name)).isTrue();
        assertThat(run(pki, "openssl", "x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
                "-CAcreateserial", "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext")).isTrue();
    }

    private static boolean run(Path in, String... cmd) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(cmd).directory(in.toFile()).redirectErrorStream(true)
                    .redirectOutput(in.resolve("openssl.log").toFile()).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (enterprise != null) {
            enterprise.close();
        }
        enterpriseBus.close();
        if (wire != null) {
            wire.close();
        }
        if (county != null) {
            county.close();
        }
        countyBus.close();
    }

    private void startCounty(String cert) throws Exception {
        countyBus.subscribe(Topic.FINDINGS, "test", (k, f) -> atCounty.add(f));
        county = new Cascade(Nodes.county(pki.resolve(cert + ".crt"), pki.resolve(cert + ".key")), countyBus, countyMeters,
                dir.resolve("county"), null);
        county.start();
        wire = new TcpCutter(county.port());
    }

    private void startEnterprise(String upstreamTls) throws Exception {
        enterprise = new Cascade(Nodes.enterprise(wire.port(), Nodes.TOKEN, upstreamTls), enterpriseBus, enterpriseMeters,
                dir.resolve("enterprise"), null);
        enterprise.start();
    }

    private static double count(MeterRegistry r, String name, String... tags) {
        var c = r.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void findingsCrossAnEncryptedLinkAndTheTokenNeverCrossesInClear() throws Exception {
        startCounty("county");
        startEnterprise(", tls-trust: \"" + pki.resolve("county-ca.crt") + "\"");
        await().atMost(Duration.ofSeconds(30)).until(enterprise::isLinkedUpstream);
        for (int i = 0; i < 20; i++) {
            enterpriseBus.publish(Topic.FINDINGS, "ch4-1", Nodes.finding(i, Nodes.MINE));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(atCounty).hasSize(20));
        assertThat(atCounty.get(0).message()).isEqualTo("甲烷超限 #0");
        // what a listener on the enterprise's uplink saw: a TLS handshake record first, then nothing readable
        byte[] seen = wire.sentByClients();
        assertThat(seen[0]).as("TLS handshake record").isEqualTo((byte) 0x16);
        String asText = new String(seen, StandardCharsets.ISO_8859_1);
        assertThat(asText).doesNotContain(Nodes.TOKEN).doesNotContain("mine").doesNotContain("ch4-1");
    }

    @Test
    void anEnterpriseDoesNotTalkToACountyItsTrustedCaDidNotSign() throws Exception {
        startCounty("county");
        startEnterprise(", tls-trust: \"" + pki.resolve("stranger-ca.crt") + "\"");
        enterpriseBus.publish(Topic.FINDINGS, "ch4-1", Nodes.finding(1, Nodes.MINE));
        await().atMost(Duration.ofSeconds(20)).until(() -> count(enterpriseMeters, "safegrid.cascade.tls.failures",
                "peer", "upstream") >= 2); // and it keeps trying, with backoff
        assertThat(enterprise.isLinkedUpstream()).isFalse();
        assertThat(new String(wire.sentByClients(), StandardCharsets.ISO_8859_1)).doesNotContain(Nodes.TOKEN);
        assertThat(atCounty).isEmpty();
        // the bus's consumer queues the finding; the failed handshakes say nothing about whether it has yet
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                enterpriseMeters.get("safegrid.cascade.queue.depth").tag("peer", "upstream").gauge().value()).isEqualTo(1));
    }

    @Test
    void aCertificateForAnotherHostIsRefusedEvenFromTheTrustedCa() throws Exception {
        startCounty("elsewhere"); // signed by the county CA, but for county.example.cn, not 127.0.0.1
        startEnterprise(", tls-trust: \"" + pki.resolve("county-ca.crt") + "\"");
        await().atMost(Duration.ofSeconds(20)).until(() -> count(enterpriseMeters, "safegrid.cascade.tls.failures",
                "peer", "upstream") >= 1);
        assertThat(enterprise.isLinkedUpstream()).isFalse();
        assertThat(new String(wire.sentByClients(), StandardCharsets.ISO_8859_1)).doesNotContain(Nodes.TOKEN);
    }

    @Test
    void anEnterpriseStillOnPlainTcpIsTurnedAwayByATlsCountyWhoseLogDoesNotQuoteItsToken() throws Exception {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger("io.safegrid.cascade");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            startCounty("county");
            startEnterprise("");
            enterpriseBus.publish(Topic.FINDINGS, "ch4-1", Nodes.finding(1, Nodes.MINE));
            await().atMost(Duration.ofSeconds(20)).until(() -> count(countyMeters, "safegrid.cascade.tls.failures",
                    "peer", "unknown") >= 1);
            Thread.sleep(500);
            assertThat(enterprise.isLinkedUpstream()).isFalse();
            assertThat(county.isLinked("mine")).isFalse();
            assertThat(atCounty).isEmpty();
        } finally {
            log.detachAppender(logged);
        }
        // the refused HELLO carried the token in clear; the county's log says why it refused, not what it read
        String tokenHex = java.util.HexFormat.of().formatHex(Nodes.TOKEN.getBytes(StandardCharsets.US_ASCII));
        List<String> lines = logged.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).anyMatch(l -> l.contains("did not speak TLS"));
        assertThat(lines).noneMatch(l -> l.contains(tokenHex) || l.contains(Nodes.TOKEN));
    }
}
