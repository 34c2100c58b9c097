package io.safegrid.bench;

import io.safegrid.bench.kafkaload.PublishPump;
import io.safegrid.bench.kafkaload.ReadingTally;
import io.safegrid.bus.kafka.KafkaBusSettings;
import io.safegrid.model.bus.Topic;
import io.safegrid.node.load.LoadFleet;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * How many single-reading MQTT messages one ingest node puts through Kafka when the node, the broker
 * ({@code kafka.Kafka}) and this bench each run in a JVM of their own on the same machine, and where
 * every CPU-second of the three goes. Unlike {@link KafkaIngestThroughput}, the load and the check are
 * made cheap so that the node and the broker get the cores: {@link PublishPump} (one thread, real MQTT
 * over TCP, QoS 1 waiting for its PUBACKs within a window per device) and {@link ReadingTally} (reads
 * each reading's device and sequence number from the record bytes, counting what is missing, doubled or
 * out of a device's order).
 *
 * <p>A row publishes for its seconds, counts the readings that reached the tally in that time, then waits
 * until everything sent has arrived (or 30 s passed): {@code lost} is what never did.
 *
 * <p>{@code java ... io.safegrid.bench.KafkaNodeThroughput [seconds per row] [devices] [rows: qos0,qos1,paced0,paced1]}
 * <br>{@code -Dsafegrid.bench.partitions=12} the readings topic's partitions (created by the bench);
 * {@code -Dsafegrid.bench.topic.<config>=…} its topic settings; {@code -Dsafegrid.bench.broker.<config>=…} the
 * broker's; {@code -Dsafegrid.bench.kafka.<client config>=…} the node's Kafka clients'; {@code
 * -Dsafegrid.bench.tally.<consumer config>=…} the tally's; {@code -Dsafegrid.bench.window=100} QoS 1 PUBLISHes
 * without PUBACK per device; {@code -Dsafegrid.bench.warmup.seconds=10} full-rate warm-up per QoS;
 * {@code -Dsafegrid.bench.paced=150000} the paced rows' rate; {@code -Dsafegrid.bench.node.jvm=...} the node's JVM options.
 */
public final class KafkaNodeThroughput {
    private static final int WINDOW = Integer.getInteger("safegrid.bench.window", 100);
    private static final long WARMUP = Long.getLong("safegrid.bench.warmup.seconds", 10);
    private static final double PACED = Double.parseDouble(System.getProperty("safegrid.bench.paced", "150000"));
    private static final int PARTITIONS = Integer.getInteger("safegrid.bench.partitions", 12);

    public static void main(String[] args) throws Exception {
        IngestThroughput.quietLogs();
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger("org.apache.kafka").setLevel(ch.qos.logback.classic.Level.WARN);
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int devices = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<String> wanted = List.of((args.length > 2 ? args[2] : "qos0,qos1").split(","));
        LoadFleet fleet = LoadFleet.of(devices);
        String prefix = "bench.";
        List<String> rows = new ArrayList<>();
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start("1g")) {
            String bootstrap = broker.bootstrapServers();
            String topic = KafkaBusSettings.of(bootstrap, prefix, PARTITIONS, "bench").kafkaTopic(Topic.READINGS.name());
            createReadings(bootstrap, topic);
            try (IngestNode.Process node = new IngestNode.Process(bootstrap, devices, prefix, nodeJvmOptions());
                 PublishPump pump = PublishPump.connect("127.0.0.1", node.mqttPort(), fleet, WINDOW);
                 ReadingTally tally = new ReadingTally(bootstrap, topic, fleet, pump)) {
                Rig rig = new Rig(pump, tally, node, broker);
                if (WARMUP > 0) {   // at full rate, so that the JITs of all three JVMs are done before a row is timed
                    rig.row("warm-up QoS 0", 0, 0, WARMUP);
                    rig.row("warm-up QoS 1", 1, 0, WARMUP);
                    System.out.println("--- warm-up done ---");
                }
                for (String w : wanted) {
                    switch (w) {
                        case "qos0" -> rows.add(rig.row("MQTT QoS 0, one reading per message, max", 0, 0, seconds));
                        case "qos1" -> rows.add(rig.row("MQTT QoS 1, one reading per message, max", 1, 0, seconds));
                        case "paced0" -> rows.add(rig.row("MQTT QoS 0 at " + (int) PACED + "/s", 0, PACED, seconds));
                        case "paced1" -> rows.add(rig.row("MQTT QoS 1 at " + (int) PACED + "/s", 1, PACED, seconds));
                        default -> throw new IllegalArgumentException("no row " + w);
                    }
                }
            }
        }
        System.out.println();
        System.out.printf("Kafka: node, broker (kafka.Kafka) and bench each in a JVM of their own; %d devices, %d partitions, "
                        + "QoS 1 window %d per device, %d cores, load %.2f%n", devices, PARTITIONS, WINDOW,
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("row | readings/s | sent | lost | out of order | p50 ms | p99 ms | node CPU-s | broker CPU-s | bench CPU-s"
                + " | node / broker / bench CPU-s per million readings");
        rows.forEach(System.out::println);
    }

    /** The readings topic with {@link #PARTITIONS} and the {@code safegrid.bench.topic.*} settings, before the node makes its own. */
    private static void createReadings(String bootstrap, String topic) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Map<String, String> configs = new HashMap<>();
        String prefix = "safegrid.bench.topic.";
        System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith(prefix))
                .forEach(n -> configs.put(n.substring(prefix.length()), System.getProperty(n)));
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1).configs(configs))).all().get(30, TimeUnit.SECONDS);
        }
        System.out.println("readings topic " + topic + ": " + PARTITIONS + " partitions, settings " + configs
                + "; tally settings " + ReadingTally.overrides());
    }

    private static List<String> nodeJvmOptions() {
        String o = System.getProperty("safegrid.bench.node.jvm", "").trim();
        return o.isEmpty() ? List.of() : List.of(o.split("\\s+"));
    }

    /** The three processes of a row and the way to time it. */
    private record Rig(PublishPump pump, ReadingTally tally, IngestNode.Process node, KafkaBrokerProcess broker) {
        String row(String name, int qos, double rate, long seconds) throws Exception {
            long self = ProcessHandle.current().pid();
            long sent0 = pump.sent();
            long consumed0 = tally.consumed();
            long disorder0 = tally.outOfOrder();
            Map<String, Double> nodeT = ProcessCpu.byThread(node.pid());
            Map<String, Double> brokerT = ProcessCpu.byThread(broker.pid());
            Map<String, Double> benchT = ProcessCpu.byThread(self);
            double nodeCpu = node.cpuSeconds();
            double brokerCpu = broker.cpuSeconds();
            double benchCpu = ProcessCpu.seconds(self);
            tally.latencySinceLast();
            long t0 = System.nanoTime();
            pump.run(qos, rate, TimeUnit.SECONDS.toNanos(seconds), 0);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long consumed = tally.consumed() - consumed0;
            nodeCpu = node.cpuSeconds() - nodeCpu;
            brokerCpu = broker.cpuSeconds() - brokerCpu;
            benchCpu = ProcessCpu.seconds(self) - benchCpu;
            String nodeBy = ProcessCpu.difference(nodeT, ProcessCpu.byThread(node.pid()));
            String brokerBy = ProcessCpu.difference(brokerT, ProcessCpu.byThread(broker.pid()));
            String benchBy = ProcessCpu.difference(benchT, ProcessCpu.byThread(self));
            Histogram h = tally.latencySinceLast();
            long sent = pump.sent() - sent0;
            // everything sent must arrive: wait for it, then what did not is lost
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (tally.consumed() < pump.sent() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long lost = pump.sent() - tally.consumed();
            long disorder = tally.outOfOrder() - disorder0;
            double perSecond = consumed / elapsed;
            double million = consumed / 1e6;
            System.out.printf("%s: sent %d, on the bus in the row %d (%.0f/s), lost %d, out of order %d, acked %d so far, "
                            + "latency p50 %.2f p99 %.2f max %.2f ms%n", name, sent, consumed, perSecond, lost, disorder,
                    pump.acked(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
            System.out.println("  node CPU by thread: " + nodeBy);
            System.out.println("  broker CPU by thread: " + brokerBy);
            System.out.println("  bench CPU by thread: " + benchBy);
            if (tally.unreadable() > 0) {
                System.out.println("!!! unreadable lines so far: " + tally.unreadable());
            }
            return String.format("%s | %.0f | %d | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f / %.2f / %.2f", name,
                    perSecond, sent, lost, disorder, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                    nodeCpu, brokerCpu, benchCpu, nodeCpu / million, brokerCpu / million, benchCpu / million);
        }
    }
}
