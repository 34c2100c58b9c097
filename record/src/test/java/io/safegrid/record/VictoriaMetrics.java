package io.safegrid.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real VictoriaMetrics server (Debian's {@code victoria-metrics} package) on a free loopback port,
 * started and stopped by the test. It takes influx line protocol on {@code /api/v2/write} and
 * stores field {@code value} of measurement {@code reading} as metric {@code reading_value}.
 */
final class VictoriaMetrics implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/victoria-metrics");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDir;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    VictoriaMetrics(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    static boolean installed() { return Files.isExecutable(BINARY); }

    String url() { return "http://127.0.0.1:" + port; }

    VictoriaMetrics start() throws Exception {
        process = new ProcessBuilder(BINARY.toString(), "-httpListenAddr=127.0.0.1:" + port,
                "-storageDataPath=" + dataDir, "-retentionPeriod=100y", "-loggerLevel=ERROR")
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("victoria-metrics exited with " + process.exitValue());
            }
        }
        throw new IllegalStateException("victoria-metrics did not answer on " + url());
    }

    /** A graceful stop (SIGTERM), as an operator restarting the service would do. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    /** Every sample of a metric, per series (labels → values in time order), after making recent writes searchable. */
    Map<Map<String, String>, List<double[]>> export(String metric) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(url() + "/internal/force_flush")).build(),
                HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/export?match[]="
                + URLEncoder.encode(metric, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        Map<Map<String, String>, List<double[]>> out = new LinkedHashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            Map<String, String> labels = new LinkedHashMap<>();
            n.get("metric").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            List<double[]> samples = out.computeIfAbsent(labels, k -> new ArrayList<>());
            for (int i = 0; i < n.get("values").size(); i++) {
                samples.add(new double[] {n.get("timestamps").get(i).asLong(), n.get("values").get(i).asDouble()});
            }
        }
        return out;
    }

    long count(String metric) throws Exception {
        return export(metric).values().stream().mapToLong(List::size).sum();
    }

    @Override
    public void close() throws InterruptedException { stop(); }
}
