package io.safegrid.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.influxdb.client.domain.WritePrecision;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.GzipSink;
import okio.Okio;

/**
 * Posts batches of line protocol to {@code /api/v2/write}: InfluxDB 2.x, the embedded QuestDB and
 * VictoriaMetrics all take it.
 *
 * <p>Blocking, one request per batch: the writer thread knows, batch by batch, whether the server
 * took it, and can spool exactly the batch that failed, before anything newer — which is what keeps
 * the record complete and in order. (The influx client's async {@code WriteApi} buffers, retries and
 * finally gives up on a batch in its own threads.)
 *
 * <p>Not influxdb-client-java's {@code WriteApiBlocking.writeRecords}, although it speaks the same
 * protocol: it joins the whole batch into one String and then encodes that into one byte[] — several
 * MB per 25,000-line request to the embedded store (UTF-16 once a tag is Chinese), each a G1
 * humongous allocation that forced a young pause and a concurrent cycle every second or so. Here the
 * request body streams each line straight into okio's pooled 8 KiB segments, so a batch is never
 * held as one String or array.
 */
final class InfluxLineSink implements LineSink {
    private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How much of an error answer is read for its message. */
    private static final long MAX_ERROR_BYTES = 64 * 1024;

    private final OkHttpClient http;
    private final HttpUrl writeUrl;
    private final String authorization;
    private final boolean gzip;

    InfluxLineSink(String url, RecordSettings s) {
        Duration timeout = s.requestTimeout();
        this.http = new OkHttpClient.Builder()
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .retryOnConnectionFailure(false)
                .build();
        // as the influx client did: the URL is a base, so a path prefix (http://proxy/influx) is kept
        HttpUrl base = HttpUrl.get(url.endsWith("/") ? url : url + "/");
        this.writeUrl = base.resolve("api/v2/write").newBuilder()
                .addQueryParameter("org", s.org())
                .addQueryParameter("bucket", s.bucket())
                .addQueryParameter("precision", precision(LineEncoder.PRECISION))
                .build();
        this.authorization = s.target() == RecordSettings.Target.QUESTDB_EMBEDDED
                ? QuestDbLogin.authorization(QuestDbLogin.password(s))
                : s.token().isEmpty() ? null : "Token " + s.token();
        // gzip pays on a network link; to the embedded QuestDB over loopback it would only burn CPU
        this.gzip = s.gzip() && s.target() == RecordSettings.Target.INFLUXDB;
    }

    /** The {@code precision} query value of /api/v2/write for the encoder's timestamps. */
    static String precision(WritePrecision p) {
        return p.getValue();
    }

    @Override
    public void write(List<String> lines) throws WriteFailure {
        LinesBody body = new LinesBody(lines, gzip);
        if (body.empty) {
            return; // nothing to send (the influx client skipped such a batch too)
        }
        Request.Builder request = new Request.Builder().url(writeUrl)
                .header("Accept", "application/json")
                .post(body);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (gzip) {
            request.header("Content-Encoding", "gzip");
        }
        try (Response response = http.newCall(request.build()).execute()) {
            if (response.isSuccessful()) {
                return;
            }
            int status = response.code();
            String message = message(response);
            // 400/422: the server read the data and refused it; sending it again cannot help — unless what it
            // refused for is its own full disk, which says nothing about the data
            boolean retryable = (status != 400 && status != 422) || WriteFailure.diskFull(message);
            throw new WriteFailure("HTTP status code: " + status + "; Message: " + message, status, retryable, null);
        } catch (IOException | RuntimeException e) {
            // refused, reset, timed out: no answer, so the server is taken as down
            throw new WriteFailure(String.valueOf(e.getMessage()), 0, true, e);
        }
    }

    /**
     * The server's reason, as the influx client found it: the JSON {@code message} (InfluxDB 2.x,
     * QuestDB), else an error header, else the body as text (VictoriaMetrics), else the status line.
     * (The client's own {@code InfluxException} gives null for a plain-text answer, so not that.)
     */
    private static String message(Response response) {
        String body = "";
        ResponseBody rb = response.body();
        if (rb != null) {
            try {
                BufferedSource source = rb.source();
                source.request(MAX_ERROR_BYTES); // reads up to that much, or to the end
                Buffer read = source.getBuffer();
                body = read.readUtf8(Math.min(MAX_ERROR_BYTES, read.size())).strip();
            } catch (IOException | RuntimeException unreadable) {
                body = "";
            }
        }
        if (body.startsWith("{")) {
            try {
                JsonNode json = JSON.readTree(body);
                for (String key : new String[] {"message", "error"}) {
                    if (json.hasNonNull(key)) {
                        return json.get(key).asText();
                    }
                }
            } catch (IOException notJson) {
                // fall through to headers and the raw text
            }
        }
        for (String header : new String[] {"X-Platform-Error-Code", "X-Influx-Error", "X-InfluxDb-Error"}) {
            String v = response.header(header);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        if (!body.isEmpty()) {
            return body;
        }
        return (response.message().isEmpty() ? "HTTP " + response.code() : response.message());
    }

    /**
     * The batch as a request body: each line and a newline, encoded into the sink as it goes, so the
     * body is sent chunked. (Counting the UTF-8 length first for a Content-Length cost another pass over
     * every character — more than the encoding itself once a line holds Chinese.)
     */
    private static final class LinesBody extends RequestBody {
        private final List<String> lines;
        private final boolean gzip;
        final boolean empty;

        LinesBody(List<String> lines, boolean gzip) {
            this.lines = lines;
            this.gzip = gzip;
            this.empty = lines.stream().allMatch(line -> line == null || line.isEmpty());
        }

        @Override
        public MediaType contentType() { return TEXT; }

        @Override
        public long contentLength() { return -1; }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            if (gzip) {
                // finishes the gzip stream and closes the request's sink, as OkHttp's own gzip recipe does
                try (BufferedSink zipped = Okio.buffer(new GzipSink(sink))) {
                    writeLines(zipped);
                }
            } else {
                writeLines(sink);
            }
        }

        private void writeLines(BufferedSink sink) throws IOException {
            for (String line : lines) {
                if (line != null && !line.isEmpty()) {
                    sink.writeUtf8(line);
                    sink.writeByte('\n');
                }
            }
        }
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
