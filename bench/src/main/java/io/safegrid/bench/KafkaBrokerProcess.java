package io.safegrid.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.safegrid.bus.kafka.embedded.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * The Apache Kafka broker from Maven Central ({@code org.apache.kafka:kafka_2.13}) in a JVM of its own,
 * started as its distribution's {@code kafka-server-start.sh} does ({@code kafka.Kafka server.properties}),
 * one node in KRaft mode (broker and controller), on two free ports of 127.0.0.1. The storage directory
 * is formatted first by {@code kafka.tools.StorageTool}, as {@code kafka-storage.sh format} does; it is deleted on close.
 */
final class KafkaBrokerProcess implements AutoCloseable {
    private final Path dir;
    private final Process process;
    private final String bootstrap;

    KafkaBrokerProcess(String heap) throws Exception {
        dir = Files.createTempDirectory("safegrid-kafka-broker");
        Path logs = dir.resolve("logs");
        int brokerPort = freePort();
        int controllerPort = freePort();
        Properties p = EmbeddedKafka.oneNode(brokerPort, controllerPort, logs.toString());
        // broker settings to try: -Dsafegrid.bench.broker.num.io.threads=2 sets num.io.threads
        System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("safegrid.bench.broker."))
                .forEach(n -> p.put(n.substring("safegrid.bench.broker.".length()), System.getProperty(n)));
        Path config = dir.resolve("server.properties");
        try (var out = Files.newOutputStream(config)) {
            p.store(out, "one-node KRaft broker for the Kafka ingest bench");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Process format = new ProcessBuilder(java, "-cp", cp, "kafka.tools.StorageTool", "format",
                "-t", Uuid.randomUuid().toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile()).start();
        if (format.waitFor() != 0) {
            throw new IllegalStateException("kafka-storage format failed: " + Files.readString(dir.resolve("format.log")));
        }
        // the distribution's defaults (kafka-server-start.sh): a fixed heap, G1 with a 20 ms pause goal
        process = new ProcessBuilder(java, "-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-XX:InitiatingHeapOccupancyPercent=35", "-Djava.awt.headless=true", "-cp", cp, "kafka.Kafka",
                config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("broker.log").toFile()).start();
        bootstrap = "127.0.0.1:" + brokerPort;
        awaitReady();
    }

    /**
     * A broker, started a second time on other ports when the first did not come up: on a shared machine
     * another process may take a port between {@link #freePort()} and the broker's bind.
     */
    static KafkaBrokerProcess start(String heap) throws Exception {
        try {
            return new KafkaBrokerProcess(heap);
        } catch (IllegalStateException first) {
            System.out.println(first.getMessage() + "; starting it once more");
            return new KafkaBrokerProcess(heap);
        }
    }

    private void awaitReady() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException notYet) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw notYet;
                    }
                }
            }
        } catch (Exception e) {
            String errors;
            try (Stream<String> lines = Files.lines(dir.resolve("broker.log"))) {
                errors = lines.filter(l -> l.contains("ERROR") || l.contains("Exception")).limit(3)
                        .reduce("", (x, y) -> x + "\n  " + y);
            }
            close();
            throw new IllegalStateException("the Kafka broker did not start (" + (process.isAlive() ? "no answer in 120 s"
                    : "exited " + process.exitValue()) + ")" + errors, e);
        }
    }

    String bootstrapServers() { return bootstrap; }

    long pid() { return process.pid(); }

    /** CPU seconds the broker's JVM has used so far (user + system, from /proc). */
    double cpuSeconds() { return ProcessCpu.seconds(process.pid()); }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
