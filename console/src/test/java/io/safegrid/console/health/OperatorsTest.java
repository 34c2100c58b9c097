package io.safegrid.console.health;

import io.safegrid.testing.Deployments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.NodeSettings;
import io.safegrid.console.Console;
import io.safegrid.console.ConsoleFixture;
import io.safegrid.bus.inprocess.InProcessBus;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /health and /metrics as someone on the network sees them (a request forwarded by a proxy, or one
 * from this host's LAN address), as the operator's Prometheus with the token sees them, and as a
 * client on the host itself.
 */
class OperatorsTest {
    static final String TOKEN = "metrics-token-for-tests-7Hk2";
    final HttpClient http = HttpClient.newHttpClient();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final InProcessBus bus = new InProcessBus();
    Console console;

    @BeforeEach
    void start() throws Exception {
        Health health = new Health();
        health.register("camera.cam-kc-pithead", () -> true);
        health.markStarted();
        registry.counter("safegrid.console.logins", "outcome", "bad-password").increment();
        Deployment d = ConsoleFixture.demo();
        NodeSettings n = d.node();
        NodeSettings node = new NodeSettings(n.nodeId(), n.roles(), "0.0.0.0", 0, -1, -1, -1, -1, n.dataDir(),
                n.maxPayloadBytes(), n.maxReadingsPerSecondPerDevice(), null, n.maxSnapshotBytes(), false, TOKEN);
        console = new Console(ConfigSource.of(Deployments.from(d).node(node).build()), registry, health).start(bus);
    }

    @AfterEach
    void stop() {
        console.close();
        bus.close();
    }

    HttpResponse<String> get(String host, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host + ":" + console.port() + path));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void throughAProxyOnlyUpOrDownShowsAndMetricsNeedTheToken() throws Exception {
        HttpResponse<String> health = get("127.0.0.1", "/health", "X-Forwarded-For", "203.0.113.9");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
        HttpResponse<String> metrics = get("127.0.0.1", "/metrics", "Forwarded", "for=203.0.113.9");
        assertThat(metrics.statusCode()).isEqualTo(401);
        assertThat(metrics.body()).contains("\"key\":\"metricsToken\"").doesNotContain("safegrid_console_logins");
        assertThat(get("127.0.0.1", "/metrics", "X-Forwarded-For", "203.0.113.9", "Authorization", "Bearer wrong-token-xxxxxxxx")
                .statusCode()).isEqualTo(401);

        HttpResponse<String> withToken = get("127.0.0.1", "/metrics", "X-Forwarded-For", "203.0.113.9",
                "Authorization", "Bearer " + TOKEN);
        assertThat(withToken.statusCode()).isEqualTo(200);
        assertThat(withToken.body()).contains("safegrid_console_logins_total{outcome=\"bad-password\"} 1.0");
        assertThat(get("127.0.0.1", "/health", "X-Forwarded-For", "203.0.113.9", "Authorization", "Bearer " + TOKEN).body())
                .contains("camera.cam-kc-pithead");
    }

    @Test
    void aClientOnThisHostSeesEverythingWithoutAToken() throws Exception {
        assertThat(get("127.0.0.1", "/health").body()).contains("\"checks\"", "camera.cam-kc-pithead", "\"node\"");
        assertThat(get("127.0.0.1", "/metrics").body()).contains("safegrid_console_logins_total");
    }

    @Test
    void fromTheLanAddressOnlyUpOrDown() throws Exception {
        Optional<InetAddress> lan = lanAddress();
        assumeTrue(lan.isPresent(), "needs a non-loopback IPv4 address on this machine");
        String host = lan.get().getHostAddress();
        assertThat(get(host, "/health").body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(get(host, "/metrics").statusCode()).isEqualTo(401);
        assertThat(get(host, "/metrics", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    }

    static Optional<InetAddress> lanAddress() throws Exception {
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (ni.isUp() && !ni.isLoopback()) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                        return Optional.of(a);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
