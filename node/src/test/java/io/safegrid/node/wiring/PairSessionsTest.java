package io.safegrid.node.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.config.ConfigSource;
import io.safegrid.node.TestCounty;
import io.safegrid.node.hazard.PostgresStores;
import io.safegrid.testing.ConsoleLogins;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The night shift stays logged in across a failover: an operator logs in on the active node of a
 * pair on one PostgreSQL alarm store, the node stops, the other one (its own data directory) takes
 * the store, and the same session cookie works there; a logout there ends it for the first node too.
 */
class PairSessionsTest {
    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Node node;
    final ConsoleLogins logins = new ConsoleLogins((path, json) -> send("POST", path, null, json),
            Map.of("wang-fang", "Demo-County-2026"));

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** A node of the pair, the active one once started (the other is stopped). */
    Node start(String id, String[] db) throws Exception {
        node = new Node(ConfigSource.of(TestCounty.pairNode(dir.resolve(id), id, db)), Set.of("alerting", "console"),
                Metrics.create()).start();
        return node;
    }

    void stopNode() {
        node.close();
        node = null;
    }

    HttpResponse<String> send(String method, String path, String cookie, String json) throws Exception {
        String base = "http://127.0.0.1:" + node.httpPort();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Origin", base);
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        b = json == null ? b.GET() : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLoginOnTheNodeThatDiedHoldsOnTheStandbyAndALogoutThereHoldsOnBoth() throws Exception {
        String[] db = PostgresStores.fresh();
        start("county-a", db);
        String cookie = logins.cookie("wang-fang");
        assertThat(send("GET", "/api/v1/me", cookie, null).statusCode()).isEqualTo(200);
        stopNode();

        start("county-b", db);
        HttpResponse<String> me = send("GET", "/api/v1/me", cookie, null);
        assertThat(me.statusCode()).as("the session the stopped node issued: " + me.body()).isEqualTo(200);
        assertThat(me.body()).contains("\"user\":\"wang-fang\"");
        assertThat(send("POST", "/api/v1/logout", cookie, "{}").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/me", cookie, null).statusCode()).isEqualTo(401);
        stopNode();

        start("county-a", db);
        assertThat(send("GET", "/api/v1/me", cookie, null).statusCode()).as("logged out on the other node").isEqualTo(401);
    }
}
