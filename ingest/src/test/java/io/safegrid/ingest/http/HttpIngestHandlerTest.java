package io.safegrid.ingest.http;

import static io.safegrid.ingest.TestDeployments.CH4;
import static io.safegrid.ingest.TestDeployments.CO;
import static io.safegrid.ingest.TestDeployments.CO_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.safegrid.ingest.EmbeddedIntake;
import io.safegrid.model.reading.Reading;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reading endpoint alone in Netty's EmbeddedChannel: aggregated requests in, responses out, readings on a real bus. */
class HttpIngestHandlerTest {
    private static final int MAX = 4096;
    private final EmbeddedIntake fx = new EmbeddedIntake();
    private final EmbeddedChannel ch = fx.channel(new HttpIngestHandler(() -> fx.directory, fx.intake, fx.clock, MAX));

    @AfterEach
    void close() {
        fx.close();
    }

    private static FullHttpRequest post(String path, String token, String body) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        if (token != null) {
            r.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
        }
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return r;
    }

    private FullHttpResponse answer(FullHttpRequest req) {
        ch.writeInbound(req);
        ch.runPendingTasks();
        return ch.readOutbound();
    }

    private static String body(FullHttpResponse r) {
        try {
            return r.content().toString(StandardCharsets.UTF_8);
        } finally {
            r.release();
        }
    }

    @Test
    void readingsWithTheDevicesTokenAreAcceptedOnceOnTheBus() {
        FullHttpResponse r = answer(post(HttpIngestHandler.PATH, CO_SECRET,
                "{\"deviceId\":\"" + CO + "\",\"readings\":[{\"value\":12},{\"value\":13}]}"));
        assertThat(r.status()).isEqualTo(HttpResponseStatus.ACCEPTED);
        assertThat(body(r)).isEqualTo("{\"accepted\":2}");
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 2);
        assertThat(fx.readings).extracting(Reading::value).containsExactly(12.0, 13.0);
        assertThat(fx.readings).extracting(Reading::deviceId).containsOnly(CO);
    }

    @Test
    void aMissingOrWrongTokenIsUnauthorized() {
        FullHttpResponse none = answer(post(HttpIngestHandler.PATH, null, "{\"deviceId\":\"" + CO + "\",\"value\":1}"));
        assertThat(none.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
        assertThat(none.headers().get(HttpHeaderNames.WWW_AUTHENTICATE)).isEqualTo("Bearer");
        none.release();
        // another device's secret is as wrong as a made-up one
        FullHttpResponse other = answer(post(HttpIngestHandler.PATH, "s3cret-ch4", "{\"deviceId\":\"" + CO + "\",\"value\":1}"));
        assertThat(other.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
        assertThat(body(other)).contains("\"error\":\"unauthorized\"");
        assertThat(fx.rejected("http", "unauthorized")).isEqualTo(2);
        assertThat(fx.readings).isEmpty();
    }

    @Test
    void wrongPathMethodOrBodyGetTheirOwnStatus() {
        FullHttpResponse path = answer(post("/api/v2/readings", CO_SECRET, "{}"));
        assertThat(path.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        path.release();
        FullHttpRequest get = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, HttpIngestHandler.PATH);
        FullHttpResponse method = answer(get);
        assertThat(method.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(method.headers().get("Allow")).isEqualTo("POST");
        method.release();
        FullHttpResponse json = answer(post(HttpIngestHandler.PATH, CO_SECRET, "{\"deviceId\":"));
        assertThat(json.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(body(json)).contains("\"error\":\"bad-json\"");
        FullHttpResponse noId = answer(post(HttpIngestHandler.PATH, CO_SECRET, "[1,2]"));
        assertThat(noId.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(body(noId)).contains("\"error\":\"bad-payload\"");
        FullHttpResponse big = answer(post(HttpIngestHandler.PATH, CO_SECRET, "{\"deviceId\":\"" + "x".repeat(MAX) + "\"}"));
        assertThat(big.status()).isEqualTo(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        big.release();
        assertThat(fx.readings).isEmpty();
    }

    @Test
    void aDeviceOverItsRateIsToldToRetry() {
        try (EmbeddedIntake slow = new EmbeddedIntake(io.safegrid.ingest.TestDeployments.deployment(
                io.safegrid.ingest.TestDeployments.node(4096, 1), java.util.List.of()))) {
            EmbeddedChannel c = slow.channel(new HttpIngestHandler(() -> slow.directory, slow.intake, slow.clock, MAX));
            c.writeInbound(post(HttpIngestHandler.PATH, CO_SECRET, "{\"deviceId\":\"" + CO + "\",\"readings\":[{\"value\":1},{\"value\":2},{\"value\":3}]}"));
            c.runPendingTasks();
            FullHttpResponse r = c.readOutbound();
            assertThat(r.status()).isEqualTo(HttpResponseStatus.TOO_MANY_REQUESTS);
            assertThat(r.headers().get("Retry-After")).isEqualTo("1");
            r.release();
            assertThat(slow.rejected("http", "rate-limited")).isEqualTo(1);
        }
    }

    @Test
    void anMqttDeviceCannotPostWithoutItsOwnSecret() {
        FullHttpResponse r = answer(post(HttpIngestHandler.PATH, CO_SECRET, "{\"deviceId\":\"" + CH4 + "\",\"value\":1}"));
        assertThat(r.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
        r.release();
    }
}
