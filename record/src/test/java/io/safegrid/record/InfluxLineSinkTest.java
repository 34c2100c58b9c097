package io.safegrid.record;

import static io.safegrid.record.RecordFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming write path itself: what reaches the server byte for byte, and how refusals come back. */
class InfluxLineSinkTest {
    @TempDir
    Path dir;

    static final String ENTERPRISE = "七号煤矿";
    static final String DEVICE = "一号 传感器,甲=1"; // space, comma and equals sign need escaping in a tag
    /** Quotes and backslashes (one at the very end) in a string field, and Chinese text. */
    static final String MESSAGE = "他说\"停\" \\ 撤离 C:\\temp\\ \"引号\" end\\";

    /** More lines than fit one 8 KiB okio segment, so the body spans many. */
    static List<String> batch(String measurement, int n, Instant t0) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(Point.measurement(measurement)
                    .addTag("enterprise", ENTERPRISE)
                    .addTag("device", DEVICE)
                    .addField("message", MESSAGE + i)
                    .addField("seq", (long) i)
                    .time(t0.plusMillis(i).toEpochMilli(), WritePrecision.MS)
                    .toLineProtocol());
        }
        return lines;
    }

    @Test
    void chineseTagsAndQuotedBackslashedStringsArriveIntactInQuestDb() throws Exception {
        RecordSettings s = settings(dir);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
        int n = 2_000;
        try (EmbeddedQuestDb questDb = new EmbeddedQuestDb(s).start();
             InfluxLineSink sink = new InfluxLineSink(questDb.url(), s)) {
            sink.write(batch("sink_check", n, t0));
            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            String sql = "SELECT enterprise, device, message, seq, timestamp FROM sink_check ORDER BY seq";
            List<JsonNode> rows = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(questDb.url() + "/exec?query="
                        + URLEncoder.encode(sql, StandardCharsets.UTF_8))).header("Authorization", questDb.authorization())
                        .build(), HttpResponse.BodyHandlers.ofString());
                rows.clear();
                json.readTree(r.body()).path("dataset").forEach(rows::add);
                return rows.size() == n;
            });
            for (int i = 0; i < n; i++) {
                JsonNode row = rows.get(i);
                assertThat(row.get(0).asText()).isEqualTo(ENTERPRISE);
                assertThat(row.get(1).asText()).isEqualTo(DEVICE);
                assertThat(row.get(2).asText()).isEqualTo(MESSAGE + i);
                assertThat(row.get(3).asLong()).isEqualTo(i);
                assertThat(Instant.parse(row.get(4).asText())).isEqualTo(t0.plusMillis(i));
            }
        }
    }

    @Test
    void chineseTagsArriveIntactGzippedAtVictoriaMetrics() throws Exception {
        assumeTrue(VictoriaMetrics.installed(), "victoria-metrics not installed; skipping the gzip read-back");
        RecordSettings s = settings(dir).withInfluxDb("http://placeholder", "safegrid", "safegrid", "t");
        assertThat(s.gzip()).isTrue();
        Instant t0 = Instant.now().minusSeconds(600);
        try (VictoriaMetrics vm = new VictoriaMetrics(dir.resolve("vm"), freePort()).start();
             InfluxLineSink sink = new InfluxLineSink(vm.url(), s)) {
            sink.write(batch("sink_check", 1_000, t0));
            Map<Map<String, String>, List<double[]>> series = vm.export("sink_check_seq");
            assertThat(series).hasSize(1);
            assertThat(series.keySet().iterator().next()).containsEntry("enterprise", ENTERPRISE)
                    .containsEntry("device", DEVICE);
            List<double[]> points = series.values().iterator().next();
            assertThat(points).hasSize(1_000);
            assertThat(points.get(999)[1]).isEqualTo(999.0);
        }
    }

    /** What a local server received: request line parts, headers and the (decompressed) body. */
    record Received(String path, String query, String encoding, String transfer, String auth, String body) {}

    static HttpServer server(int status, String contentType, String answer, List<Received> received) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
            if ("gzip".equals(encoding)) {
                body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
            }
            received.add(new Received(ex.getRequestURI().getPath(), ex.getRequestURI().getQuery(), encoding,
                    ex.getRequestHeaders().getFirst("Transfer-Encoding"), ex.getRequestHeaders().getFirst("Authorization"),
                    new String(body, StandardCharsets.UTF_8)));
            if (answer == null) {
                ex.sendResponseHeaders(status, -1);
            } else {
                byte[] a = answer.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", contentType);
                ex.sendResponseHeaders(status, a.length);
                ex.getResponseBody().write(a);
            }
            ex.close();
        });
        server.start();
        return server;
    }

    static String url(HttpServer server) { return "http://127.0.0.1:" + server.getAddress().getPort(); }

    @Test
    void theBodyIsTheLinesByteForByteWithOrWithoutGzip() throws Exception {
        List<Received> received = Collections.synchronizedList(new ArrayList<>());
        HttpServer server = server(204, null, null, received);
        List<String> lines = batch("sink_check", 3_000, Instant.now());
        String expected = String.join("\n", lines) + "\n";
        try (InfluxLineSink plain = new InfluxLineSink(url(server), settings(dir));
             InfluxLineSink zipped = new InfluxLineSink(url(server) + "/prefix/",
                     settings(dir).withInfluxDb(url(server), "puxian-ajj", "safegrid", "s3cret"))) {
            plain.write(lines);
            zipped.write(lines);
            plain.write(List.of()); // nothing to send: no request
        } finally {
            server.stop(0);
        }
        assertThat(received).hasSize(2);
        Received p = received.get(0);
        assertThat(p.path()).isEqualTo("/api/v2/write");
        assertThat(p.query()).isEqualTo("org=safegrid&bucket=safegrid&precision=ms");
        assertThat(p.encoding()).isNull(); // loopback to the embedded store: no gzip
        assertThat(p.transfer()).as("streamed, not measured first").isEqualToIgnoringCase("chunked");
        assertThat(p.auth()).as("the embedded store's login").isEqualTo(QuestDbLogin.authorization(QuestDbLogin.password(settings(dir))));
        assertThat(p.body()).isEqualTo(expected);
        Received z = received.get(1);
        assertThat(z.path()).isEqualTo("/prefix/api/v2/write");
        assertThat(z.query()).isEqualTo("org=puxian-ajj&bucket=safegrid&precision=ms");
        assertThat(z.encoding()).isEqualTo("gzip");
        assertThat(z.auth()).isEqualTo("Token s3cret");
        assertThat(z.body()).isEqualTo(expected);
    }

    @Test
    void thePrecisionOnTheWireIsTheEncoders() {
        assertThat(LineEncoder.PRECISION).isEqualTo(WritePrecision.MS);
        assertThat(InfluxLineSink.precision(LineEncoder.PRECISION)).isEqualTo(LineEncoder.PRECISION.getValue());
        for (WritePrecision p : WritePrecision.values()) {
            assertThat(InfluxLineSink.precision(p)).isEqualTo(p.getValue());
        }
    }

    @Test
    void aBadRequestIsANonRetryableFailureCarryingTheServersMessage() throws Exception {
        String questDbStyle = "{\"code\":\"invalid\",\"message\":\"failed to parse line protocol: 第1行 invalid field\","
                + "\"line\":1,\"errorId\":\"abc-1\"}";
        HttpServer server = server(400, "application/json", questDbStyle, new ArrayList<>());
        try (InfluxLineSink sink = new InfluxLineSink(url(server), settings(dir))) {
            LineSink.WriteFailure f = catchThrowableOfType(() -> sink.write(List.of("bad line")),
                    LineSink.WriteFailure.class);
            assertThat(f.retryable()).isFalse();
            assertThat(f.status()).isEqualTo(400);
            assertThat(f.getMessage()).isEqualTo("HTTP status code: 400; Message: failed to parse line protocol: 第1行 invalid field");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void otherRefusalsAreRetryableAndPlainTextReasonsAreKept() throws Exception {
        HttpServer unprocessable = server(422, "application/json", "{\"code\":\"unprocessable entity\","
                + "\"message\":\"failure writing points to database: partial write: field type conflict\"}", new ArrayList<>());
        HttpServer plainText = server(400, "text/plain", "cannot parse line \"x\": missing field\n", new ArrayList<>());
        HttpServer unavailable = server(503, "text/plain", "storage is read-only", new ArrayList<>());
        try (InfluxLineSink a = new InfluxLineSink(url(unprocessable), settings(dir));
             InfluxLineSink b = new InfluxLineSink(url(plainText), settings(dir));
             InfluxLineSink c = new InfluxLineSink(url(unavailable), settings(dir));
             InfluxLineSink d = new InfluxLineSink("http://127.0.0.1:" + freePort(), settings(dir))) {
            LineSink.WriteFailure fa = catchThrowableOfType(() -> a.write(List.of("x")), LineSink.WriteFailure.class);
            assertThat(fa.retryable()).isFalse();
            assertThat(fa.status()).isEqualTo(422);
            assertThat(fa.getMessage()).endsWith("partial write: field type conflict");
            LineSink.WriteFailure fb = catchThrowableOfType(() -> b.write(List.of("x")), LineSink.WriteFailure.class);
            assertThat(fb.retryable()).isFalse();
            assertThat(fb.getMessage()).isEqualTo("HTTP status code: 400; Message: cannot parse line \"x\": missing field");
            LineSink.WriteFailure fc = catchThrowableOfType(() -> c.write(List.of("x")), LineSink.WriteFailure.class);
            assertThat(fc.retryable()).isTrue();
            assertThat(fc.status()).isEqualTo(503);
            assertThat(fc.getMessage()).contains("storage is read-only");
            LineSink.WriteFailure fd = catchThrowableOfType(() -> d.write(List.of("x")), LineSink.WriteFailure.class);
            assertThat(fd.retryable()).isTrue();
            assertThat(fd.status()).as("no answer").isZero();
        } finally {
            unprocessable.stop(0);
            plainText.stop(0);
            unavailable.stop(0);
        }
    }

    @Test
    void aRefusalForWantOfDiskSpaceIsRetryableWhateverItsStatusAndSaysSo() throws Exception {
        HttpServer influxStyle = server(422, "application/json", "{\"code\":\"unprocessable entity\",\"message\":"
                + "\"failure writing points to database: write /var/lib/influxdb2/engine/wal/1/_00001.wal: no space left on "
                + "device\"}", new ArrayList<>());
        HttpServer questDbStyle = server(500, "application/json", "{\"code\":\"internal error\",\"message\":\"failed to "
                + "parse line protocol:errors encountered on line(s):write error: reading, errno: 28, error: No space left\"}",
                new ArrayList<>());
        try (InfluxLineSink a = new InfluxLineSink(url(influxStyle), settings(dir));
             InfluxLineSink b = new InfluxLineSink(url(questDbStyle), settings(dir))) {
            LineSink.WriteFailure fa = catchThrowableOfType(() -> a.write(List.of("x")), LineSink.WriteFailure.class);
            assertThat(fa.status()).isEqualTo(422);
            assertThat(fa.retryable()).as("a full disk says nothing about the data").isTrue();
            assertThat(fa.diskFull()).isTrue();
            LineSink.WriteFailure fb = catchThrowableOfType(() -> b.write(List.of("x")), LineSink.WriteFailure.class);
            assertThat(fb.retryable()).isTrue();
            assertThat(fb.diskFull()).isTrue();
        } finally {
            influxStyle.stop(0);
            questDbStyle.stop(0);
        }
    }
}
