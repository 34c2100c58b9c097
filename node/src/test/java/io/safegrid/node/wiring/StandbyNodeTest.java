package io.safegrid.node.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.safegrid.config.ConfigSource;
import io.safegrid.node.TestCounty;
import io.safegrid.node.hazard.PostgresStores;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two whole nodes (alerting and console) of an active/standby pair on one PostgreSQL alarm store:
 * the one that waits for the store answers {@code /health} as a healthy standby (what Docker's
 * health check asks), and once the active node is gone it takes over and its console answers.
 */
class StandbyNodeTest {
    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Node node(String id, String[] db) throws Exception {
        return new Node(ConfigSource.of(TestCounty.pairNode(dir.resolve(id), id, db)), Set.of("alerting", "console"), Metrics.create());
    }

    HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theWaitingNodeAnswersHealthAsAStandbyAndItsConsoleOnceItTakesOver() throws Exception {
        String[] db = PostgresStores.fresh();
        Node active = node("county-a", db).start();
        Node standby = node("county-b", db);
        CompletableFuture<Node> takenOver = CompletableFuture.supplyAsync(() -> {
            try {
                return standby.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> standby.stages().standbyHealthPort() > 0);
            int waiting = standby.stages().standbyHealthPort();
            HttpResponse<String> health = get(waiting, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"STANDBY\"").contains("\"role\":\"standby\"")
                    .contains("county-b");
            assertThat(get(waiting, "/api/v1/alarms").statusCode()).as("nothing but health while standing by").isEqualTo(503);
            assertThat(get(active.httpPort(), "/health").body()).contains("\"status\":\"UP\"");
            assertThat(takenOver).isNotDone();

            active.close();
            Node now = takenOver.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(now.stages().standbyHealthPort()).isEqualTo(-1);
            HttpResponse<String> up = get(now.httpPort(), "/health");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(up.body()).contains("\"status\":\"UP\"");
            if (now.httpPort() != waiting) {
                assertThatThrownBy(() -> get(waiting, "/health")).as("the stand-in let go of its port")
                        .isInstanceOf(ConnectException.class);
            }
        } finally {
            active.close();
            takenOver.cancel(true);
            if (takenOver.isDone() && !takenOver.isCompletedExceptionally()) {
                standby.close();
            }
        }
    }
}
