package io.safegrid.console;

import io.safegrid.testing.Deployments;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.NodeSettings;
import io.safegrid.console.health.Health;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsoleTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Health health = new Health();
    private final InProcessBus bus = new InProcessBus();
    private Console console;

    static Deployment deployment() {
        NodeSettings n = NodeSettings.defaults();
        NodeSettings node = new NodeSettings("test-node", n.roles(), "127.0.0.1", 0, -1, -1, -1, -1, Path.of("target/data"),
                n.maxPayloadBytes(), n.maxReadingsPerSecondPerDevice(), null);
        Grid grid = new Grid(List.of(
                new GridNode(GridPath.parse("puxian"), GridKind.COUNTY, "蒲县", null),
                new GridNode(GridPath.parse("puxian/keliqiao"), GridKind.TOWNSHIP, "克城镇", null)));
        return Deployments.builder().name("test county").node(node).grid(grid).build();
    }

    @BeforeEach
    void start() throws Exception {
        console = new Console(ConfigSource.of(deployment()), registry, health).start(bus);
    }

    @AfterEach
    void stop() {
        console.close();
        bus.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + console.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIs503UntilStartedAndEveryCheckPasses() throws Exception {
        AtomicBoolean ingestUp = new AtomicBoolean(false);
        health.register("ingest", ingestUp::get);
        assertThat(get("/health").statusCode()).isEqualTo(503);
        health.markStarted();
        HttpResponse<String> notYet = get("/health");
        assertThat(notYet.statusCode()).isEqualTo(503);
        assertThat(notYet.body()).contains("\"ingest\":false");
        ingestUp.set(true);
        HttpResponse<String> up = get("/health");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).contains("\"status\":\"UP\"", "\"node\":\"test-node\"");
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        registry.counter("safegrid.test.things").increment(3);
        HttpResponse<String> res = get("/metrics");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(res.body()).contains("safegrid_test_things_total 3.0");
    }

    @Test
    void unknownPathsAreJsonErrors() throws Exception {
        HttpResponse<String> res = get("/api/v1/nope");
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(res.body()).contains("\"error\":").contains("/api/v1/nope");
    }

    @Test
    void servesThePageAndTheApiDescriptionWithoutLoginButNoDataWithoutOne() throws Exception {
        assertThat(get("/").body()).contains("SafeGrid");
        HttpResponse<String> spec = get("/api/openapi.yaml");
        assertThat(spec.statusCode()).isEqualTo(200);
        assertThat(spec.body()).startsWith("openapi: 3").contains("/api/v1/alarms/{id}/ack:", "/api/v1/live:");
        assertThat(get("/api/v1/grid").statusCode()).isEqualTo(401);
        assertThat(get("/ui/..%2Fsecret").statusCode()).isEqualTo(404);
    }
}
