package io.safegrid.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.kafka.KafkaBus;
import io.safegrid.bus.kafka.KafkaBusSettings;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeviceClassDef;
import io.safegrid.config.NodeSettings;
import io.safegrid.ingest.SensorIngest;
import io.safegrid.ingest.intake.StoredByBus;
import io.safegrid.node.load.LoadFleet;
import io.safegrid.testing.Deployments;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The ingest node of {@link KafkaIngestThroughput} in a JVM of its own: MQTT ingest publishing onto a
 * {@link KafkaBus}, acknowledging as a node on Kafka does ({@link StoredByBus}), so its CPU time is the
 * node's alone, not the load generator's or the counting consumer's. Prints {@code port N} once it
 * listens and runs until its standard input closes.
 *
 * <p>{@code java ... io.safegrid.bench.KafkaIngestNode <bootstrap servers> <devices> <topic prefix>}
 */
public final class KafkaIngestNode {
    public static void main(String[] args) throws Exception {
        IngestThroughput.quietLogs();
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger("org.apache.kafka").setLevel(ch.qos.logback.classic.Level.WARN);
        }
        LoadFleet fleet = LoadFleet.of(Integer.parseInt(args[1]));
        KafkaBusSettings s = KafkaIngestThroughput.withOverrides(KafkaBusSettings.of(args[0], args[2], 12, "bench"));
        try (KafkaBus bus = new KafkaBus(s.withClientId("ingest"), new SimpleMeterRegistry());
             SensorIngest ingest = new SensorIngest(ConfigSource.of(deployment(fleet)), bus, new SimpleMeterRegistry(),
                     Clock.systemUTC())) {
            ingest.acknowledgeWith(new StoredByBus(bus));   // as Stages wires a node on Kafka
            ingest.start();
            System.out.println("port " + ingest.mqttPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the bench closes our standard input
            }
        }
        System.exit(0);
    }

    static Deployment deployment(LoadFleet fleet) {
        NodeSettings node = new NodeSettings("bench-ingest", java.util.Set.of("ingest"), "127.0.0.1", -1, 0, -1, -1, -1,
                Path.of("target"), 256 * 1024, 0, null);
        return Deployments.builder().name("bench").node(node)
                .deviceClass(new DeviceClassDef("load", "load generator", Duration.ofMinutes(5)))
                .sensors(fleet.sensors()).access(fleet.access()).build();
    }

    /** The node's JVM, started by the bench with its class path; {@code jvmOptions} e.g. a flight recording. */
    static final class Process implements AutoCloseable {
        private final java.lang.Process process;
        private final int port;

        Process(String bootstrap, int devices, String prefix, java.util.List<String> jvmOptions) throws IOException {
            java.util.List<String> cmd = new java.util.ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx1g");
            cmd.addAll(jvmOptions);
            System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("safegrid.bench.kafka."))
                    .forEach(n -> cmd.add("-D" + n + "=" + System.getProperty(n)));
            cmd.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), KafkaIngestNode.class.getName(),
                    bootstrap, Integer.toString(devices), prefix));
            Path log = Files.createTempFile("safegrid-kafka-node", ".log");
            process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            Integer p = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("port ")) {
                    p = Integer.parseInt(line.substring(5).trim());
                    break;
                }
            }
            if (p == null) {
                throw new IllegalStateException("the ingest node did not start; its log: " + log);
            }
            port = p;
            Thread t = new Thread(() -> out.lines().forEach(l -> { }), "node-stdout");
            t.setDaemon(true);
            t.start();
        }

        int mqttPort() { return port; }

        long pid() { return process.pid(); }

        double cpuSeconds() { return ProcessCpu.seconds(process.pid()); }

        @Override
        public void close() throws Exception {
            try (OutputStreamWriter in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
                in.flush();
            }
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
