package io.safegrid.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.kafka.KafkaBus;
import io.safegrid.bus.kafka.KafkaBusSettings;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.IngestLimits;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeviceClassDef;
import io.safegrid.config.NodeSettings;
import io.safegrid.ingest.SensorIngest;
import io.safegrid.ingest.intake.StoredByBus;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Topic;
import io.safegrid.node.load.LoadFleet;
import io.safegrid.testing.Deployments;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An ingest node in a JVM of its own, so that its CPU time and memory are its own, not the load
 * generator's or a counting consumer's: MQTT ingest for a {@link LoadFleet}, publishing onto a
 * {@link KafkaBus} and acknowledging as a node on Kafka does ({@link StoredByBus}) for
 * {@link KafkaIngestThroughput}, or onto the in-process bus (bootstrap {@code in-process}) with one
 * subscriber, for {@link KeepAliveFleet}. Connection limits are raised to let the whole fleet
 * in; everything else is the default. Prints {@code port N} once it listens; {@code MEM} on its standard
 * input answers {@code MEM <heap bytes used after a full GC>}; it runs until its standard input closes.
 *
 * <p>{@code java ... io.safegrid.bench.IngestNode <bootstrap servers|in-process> <devices> <topic prefix>}
 */
public final class IngestNode {
    public static void main(String[] args) throws Exception {
        IngestThroughput.quietLogs();
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger("org.apache.kafka").setLevel(ch.qos.logback.classic.Level.WARN);
        }
        LoadFleet fleet = LoadFleet.of(Integer.parseInt(args[1]));
        boolean kafka = !args[0].equals("in-process");
        try (Bus bus = kafka ? new KafkaBus(KafkaIngestThroughput.withOverrides(KafkaBusSettings.of(args[0], args[2], 12, "bench"))
                .withClientId("ingest"), new SimpleMeterRegistry()) : new InProcessBus();
             SensorIngest ingest = new SensorIngest(ConfigSource.of(deployment(fleet)), bus, new SimpleMeterRegistry(),
                     Clock.systemUTC())) {
            if (kafka) {
                ingest.acknowledgeWith(new StoredByBus(bus));   // as Stages wires a node on Kafka
            } else {
                bus.subscribe(Topic.READINGS, "bench", (k, r) -> { });
            }
            ingest.start();
            System.out.println("port " + ingest.mqttPort());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {   // until the bench closes our standard input
                if (line.trim().equals("MEM")) {
                    System.gc();
                    System.gc();
                    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                    System.out.println("MEM " + heap.getUsed());
                    System.out.flush();
                }
            }
        }
        System.exit(0);
    }

    static Deployment deployment(LoadFleet fleet) {
        IngestLimits d = IngestLimits.defaults();
        IngestLimits limits = new IngestLimits(Math.max(d.maxConnectionsPerListener(), fleet.devices() + 100),
                d.maxUnauthenticatedPerListener(), d.maxUnauthenticatedPerAddress(), 256, d.hj212LoginTimeout(),
                d.mqttConnectTimeout(), d.httpRequestTimeout(), d.writeBufferHighBytes(), d.maxQueuedWriteBytes(),
                d.maxInflightBodyBytes(), d.authFailuresPerMinute(), d.hj212BadPasswordsPerConnection(), d.maxVideoPixels());
        NodeSettings node = new NodeSettings("bench-ingest", java.util.Set.of("ingest"), "127.0.0.1", -1, 0, -1, -1, -1,
                Path.of("target"), 256 * 1024, 0, null, NodeSettings.DEFAULT_MAX_SNAPSHOT_BYTES, limits);
        return Deployments.builder().name("bench").node(node)
                .deviceClass(new DeviceClassDef("load", "load generator", Duration.ofMinutes(5)))
                .sensors(fleet.sensors()).access(fleet.access()).build();
    }

    /** The node's JVM, started by the bench with its class path; {@code jvmOptions} e.g. a flight recording. */
    static final class Process implements AutoCloseable {
        private final java.lang.Process process;
        private final int port;
        private final BufferedReader out;
        private final PrintWriter in;

        Process(String bootstrap, int devices, String prefix, List<String> jvmOptions) throws IOException {
            java.util.List<String> cmd = new java.util.ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmOptions.stream().anyMatch(o -> o.startsWith("-Xmx")) ? List.of() : List.of("-Xmx1g"));
            cmd.addAll(jvmOptions);
            System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("safegrid.bench.kafka."))
                    .forEach(n -> cmd.add("-D" + n + "=" + System.getProperty(n)));
            cmd.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), IngestNode.class.getName(),
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
            this.out = out;
            this.in = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        }

        /** Heap bytes the node uses after a full GC. */
        long heapAfterGc() throws IOException {
            in.println("MEM");
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("MEM ")) {
                    return Long.parseLong(line.substring(4).trim());
                }
            }
            throw new IOException("the node ended");
        }

        /** Resident memory of the node's process, kB. */
        long rssKb() throws IOException {
            for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("\\D", ""));
                }
            }
            return -1;
        }

        long openHandles() throws IOException {
            try (var s = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
                return s.count();
            }
        }

        int mqttPort() { return port; }

        long pid() { return process.pid(); }

        double cpuSeconds() { return ProcessCpu.seconds(process.pid()); }

        @Override
        public void close() throws Exception {
            in.close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
