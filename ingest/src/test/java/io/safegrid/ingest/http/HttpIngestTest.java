package io.safegrid.ingest.http;

import static io.safegrid.ingest.TestDeployments.CO_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.ingest.IngestFixture;
import io.safegrid.ingest.TestDeployments;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.reading.Reading;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP/JSON endpoint with the JDK's HTTP client. */
class HttpIngestTest {
    private IngestFixture fx = new IngestFixture();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() { fx.close(); }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fx.ingest.httpPort() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void batchIsAcceptedOnceOnTheBus() throws Exception {
        var r = post("/api/v1/readings", CO_SECRET, """
                {"deviceId": "co-01", "readings": [
                  {"value": 12, "ts": "2024-03-15T10:30:00+08:00"},
                  {"value": 13.5, "flag": "M"}]}""");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).isEqualTo("{\"accepted\":2}");
        assertThat(fx.published()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 2);
        assertThat(fx.readings).extracting(Reading::value).containsExactly(12.0, 13.5);
        assertThat(fx.readings.get(0).time()).isEqualTo(Instant.parse("2024-03-15T02:30:00Z"));
        assertThat(fx.readings.get(0).metric()).isEqualTo("co");
        assertThat(post("/api/v1/readings", CO_SECRET, "{\"deviceId\": \"co-01\", \"value\": 1}").statusCode()).isEqualTo(202);
        assertThat(fx.accepted("http")).isEqualTo(3);
    }

    @Test
    void wrongOrMissingTokenIs401() throws Exception {
        var wrong = post("/api/v1/readings", "guess", "{\"deviceId\": \"co-01\", \"value\": 1}");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("\"error\":\"unauthorized\"");
        // another device's secret does not work either
        assertThat(post("/api/v1/readings", TestDeployments.CH4_SECRET, "{\"deviceId\": \"co-01\", \"value\": 1}").statusCode())
                .isEqualTo(401);
        assertThat(post("/api/v1/readings", null, "{\"deviceId\": \"co-01\", \"value\": 1}").statusCode()).isEqualTo(401);
        assertThat(fx.rejected("http", "unauthorized")).isEqualTo(3);
        assertThat(fx.readings).isEmpty();
    }

    @Test
    void badJsonAndBadReadingsAre400WithAMessage() throws Exception {
        var r = post("/api/v1/readings", CO_SECRET, "{\"deviceId\": \"co-01\", \"value\": ");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.body()).contains("\"error\":\"bad-json\"").contains("malformed JSON");
        var v = post("/api/v1/readings", CO_SECRET, "{\"deviceId\": \"co-01\", \"readings\": [{\"value\": 1}, {\"val\": 2}]}");
        assertThat(v.statusCode()).isEqualTo(400);
        assertThat(v.body()).contains("readings[1]").contains("value");
        assertThat(post("/api/v1/readings", CO_SECRET, "{\"value\": 1}").statusCode()).isEqualTo(400);
        assertThat(fx.readings).isEmpty();
    }

    @Test
    void oversizedBodyIs413AndWrongPathIs404() throws Exception {
        var big = post("/api/v1/readings", CO_SECRET, "{\"deviceId\": \"co-01\", \"pad\": \"" + "x".repeat(10_000) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.body()).contains("too-large");
        assertThat(fx.rejected("http", "too-large")).isEqualTo(1);
        assertThat(post("/api/v2/other", CO_SECRET, "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void overTheDeviceRateIs429() throws Exception {
        fx.close();
        fx = new IngestFixture(TestDeployments.deployment(TestDeployments.node(4096, 5), List.of()), new InProcessBus(),
                Clock.systemUTC());
        String five = "{\"deviceId\": \"co-01\", \"readings\": [{\"value\":1},{\"value\":2},{\"value\":3},{\"value\":4},{\"value\":5}]}";
        assertThat(post("/api/v1/readings", CO_SECRET, five).statusCode()).isEqualTo(202);
        var r = post("/api/v1/readings", CO_SECRET, five);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after")).contains("1");
        assertThat(fx.rejected("http", "rate-limited")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 5);
    }

    @Test
    void aTimeOutsideTheWindowIs400AndNothingOfTheBatchIsTaken() throws Exception {
        var r = post("/api/v1/readings", CO_SECRET, """
                {"deviceId": "co-01", "readings": [{"value": 1}, {"value": 2, "ts": "9999-01-01T00:00:00Z"}]}""");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("bad-time");
        assertThat(fx.rejected("http", "bad-time")).isEqualTo(1);
        assertThat(fx.published()).isZero();
        assertThat(post("/api/v1/readings", CO_SECRET, "{\"deviceId\": \"co-01\", \"value\": 1}").statusCode()).isEqualTo(202);
    }
}
