package io.safegrid.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.record.QuestDbLogin;
import io.safegrid.config.demo.DemoCounty;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A whole node (the demo county, all roles, embedded QuestDB, default ingest limits) in a JVM of its
 * own, as {@code safegrid run} starts it, on free ports of 127.0.0.1, with what a bench reads from
 * outside: its /metrics, its record over SQL, its file handles and RSS from /proc.
 */
final class NodeProcess implements AutoCloseable {
    private static final String QUESTDB_PASSWORD = "bench-node-record-password";
    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{([^}]*)\\} (\\S+)$");

    final int mqttPort = freePort();
    final int hj212Port = freePort();
    final int httpPort = freePort();
    final int consolePort = freePort();
    private final int questDbPort = freePort();
    final Path log;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Starts the node and waits until it says it is running (at most 120 s).
     *
     * @param perDeviceRate {@code node.max-readings-per-second-per-device}; the demo county's 50 when 0
     */
    NodeProcess(int perDeviceRate) throws Exception {
        Path dir = Files.createTempDirectory("safegrid-node");
        Path config = dir.resolve("county.yaml");
        Files.writeString(config, DemoCounty.text()
                .replaceFirst("(?m)^  http-port: \\d+", "  http-port: " + consolePort)
                .replaceFirst("(?m)^  mqtt-port: \\d+", "  mqtt-port: " + mqttPort)
                .replaceFirst("(?m)^  hj212-port: \\d+", "  hj212-port: " + hj212Port)
                .replaceFirst("(?m)^  ingest-http-port: \\d+", "  ingest-http-port: " + httpPort)
                .replaceFirst("(?m)^  video-push-port: \\d+", "  video-push-port: 0")
                .replaceFirst("(?m)^  listen-port: 5060", "  listen-port: 0")
                .replaceAll("(?m)^  bind-address: .*$", "")
                .replaceFirst("(?m)^  data-dir: .*$", "  bind-address: 127.0.0.1\n  data-dir: " + dir.resolve("data"))
                .replaceFirst("(?m)^  max-readings-per-second-per-device: (\\d+)",
                        "  max-readings-per-second-per-device: " + (perDeviceRate > 0 ? perDeviceRate : "$1"))
                + "\nrecord:\n  questdb-http-port: " + questDbPort + "\n  questdb-password: " + QUESTDB_PASSWORD + "\n");
        log = dir.resolve("node.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(launcherOptions());
        String extra = System.getProperty("safegrid.bench.node.jvm", "").trim();   // e.g. -Xlog:gc for one run
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.safegrid.node.cli.SafeGridCli", "run", "-c",
                config.toString()));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readAllLines(log).stream().anyMatch(l -> l.contains("SafeGrid is running"))) {
            if (!process.isAlive()) {
                throw new IllegalStateException("node exited; see " + log);
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("node not ready in 120 s; see " + log);
            }
            Thread.sleep(200);
        }
    }

    long pid() { return process.pid(); }

    /**
     * The JVM options the launcher gives a node when {@code SAFEGRID_JAVA_OPTS} is not set, read from the
     * {@code safegrid} script itself (the bench runs from the repository root), so the bench measures the
     * product's defaults; {@code -Dsafegrid.bench.node.opts=...} replaces them for a comparison run.
     */
    static List<String> launcherOptions() throws IOException {
        String chosen = System.getProperty("safegrid.bench.node.opts");
        if (chosen == null) {
            Matcher m = Pattern.compile("\\$\\{SAFEGRID_JAVA_OPTS:-([^}]*)}").matcher(Files.readString(Path.of("safegrid")));
            if (!m.find()) {
                throw new IllegalStateException("no default SAFEGRID_JAVA_OPTS in ./safegrid");
            }
            chosen = m.group(1);
        }
        return List.of(chosen.trim().split("\\s+"));
    }

    /** The node's Prometheus samples of ingest and JVM memory, keyed {@code name{labels}}. */
    Map<String, Double> metrics() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + consolePort + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, Double> out = new TreeMap<>();
        for (String line : r.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches() && (m.group(1).startsWith("safegrid_ingest_") || m.group(1).startsWith("jvm_memory_")
                    || m.group(1).startsWith("jvm_buffer_"))) {
                out.put(m.group(1) + "{" + m.group(2) + "}", Double.parseDouble(m.group(3)));
            }
        }
        return out;
    }

    static double sum(Map<String, Double> m, String name) {
        return m.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{")).mapToDouble(Map.Entry::getValue).sum();
    }

    /** SQL on the node's record (its embedded QuestDB); the result's rows. */
    JsonNode sql(String sql) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + questDbPort + "/exec?query="
                        + URLEncoder.encode(sql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10))
                .header("Authorization", QuestDbLogin.authorization(QUESTDB_PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body()).path("dataset");
    }

    /** Record tables whose WAL QuestDB suspended, or "none". */
    String suspendedTables() throws Exception {
        StringBuilder out = new StringBuilder();
        for (JsonNode r : sql("select name, suspended from wal_tables()")) {
            if (r.path(1).asBoolean()) {
                out.append(out.length() == 0 ? "" : ", ").append(r.path(0).asText());
            }
        }
        return out.length() == 0 ? "none" : out.toString();
    }

    long logLines(String containing) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains(containing)).count();
    }

    long openHandles() throws IOException {
        try (var s = Files.list(Path.of("/proc/" + pid() + "/fd"))) {
            return s.count();
        }
    }

    long rssKb() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    String maxOpenFiles() throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid() + "/limits")).stream().filter(l -> l.startsWith("Max open files"))
                .map(l -> l.replaceAll("\\s+", " ").trim().replace("Max open files ", "")).findFirst().orElse("?");
    }

    /** A full GC in the node ({@code jcmd GC.run}), after which the JVM may give heap back to the OS. */
    void fullGc() throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, String.valueOf(pid()), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
    }

    /** SIGTERM, then SIGKILL if it has not stopped in 15 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        boolean stopped = process.waitFor(15, TimeUnit.SECONDS);
        System.out.printf("SIGTERM: node %s within 15 s%n", stopped ? "stopped" : "did NOT stop");
        process.destroyForcibly();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
