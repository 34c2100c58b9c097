package io.safegrid.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.kafka.KafkaBus;
import io.safegrid.bus.kafka.KafkaBusSettings;
import io.safegrid.bus.kafka.embedded.EmbeddedKafka;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.ingest.SensorIngest;
import io.safegrid.ingest.intake.StoredByBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.bus.TopicStats;
import io.safegrid.node.load.LoadFleet;
import io.safegrid.node.load.LoadGenerator;
import io.safegrid.node.load.LoadResult;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Readings/s one ingest node puts through Kafka: MQTT load generator → {@link SensorIngest} →
 * {@link KafkaBus} (producer) → Kafka → a second {@link KafkaBus} whose consumer group counts them.
 * Ingest acknowledges as a node on Kafka does ({@link StoredByBus}: a QoS 1 PUBACK only once the broker
 * answered {@code acks=all}). Latency is from the MQTT send to the counting consumer's handler.
 *
 * <p>The broker is either the Kafka distribution's own {@code kafka.Kafka} in a JVM of its own
 * ({@code process}, {@link KafkaBrokerProcess}: the cost of a real broker on the same machine, without
 * its heap and threads mixed into the node's) or a KRaft broker inside this JVM ({@code embedded}).
 *
 * <p>The ingest node runs in this JVM with the load generator and the counting consumer, or with {@code own}
 * in a JVM of its own ({@link IngestNode}), so that its CPU time per reading is measured apart from theirs
 * ({@code -Dsafegrid.bench.node.jvm="..."} adds options to its JVM, e.g. a flight recording).
 *
 * <p>{@code java ... io.safegrid.bench.KafkaIngestThroughput [seconds per scenario] [devices] [process|embedded] [rows] [same|own]}
 * where {@code rows} (default all) picks scenarios by name: {@code qos0,qos1,batch,paced}.
 */
public final class KafkaIngestThroughput {
    /** Offered rate of the single-reading rows: above what one node takes, so the rows find the ceiling. */
    private static final double SINGLE_OFFER = Double.parseDouble(System.getProperty("safegrid.bench.single.offer", "400000"));

    /** Offered rate of the paced row: what the bus costs below its ceiling (CPU seconds per reading). */
    private static final double PACED = Double.parseDouble(System.getProperty("safegrid.bench.paced", "2000"));

    /** A further warm-up at full rate, each QoS ({@code -Dsafegrid.bench.warmup.seconds}, default 0). */
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("safegrid.bench.warmup.seconds", 0));

    public static void main(String[] args) throws Exception {
        IngestThroughput.quietLogs();
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger("org.apache.kafka").setLevel(ch.qos.logback.classic.Level.WARN);
            ctx.getLogger("kafka").setLevel(ch.qos.logback.classic.Level.WARN);
            ctx.getLogger("state.change.logger").setLevel(ch.qos.logback.classic.Level.WARN);
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int devices = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        boolean ownProcess = args.length <= 2 || !args[2].equals("embedded");
        java.util.Set<String> wanted = java.util.Set.of((args.length > 3 ? args[3] : "qos0,qos1,batch,paced").split(","));
        boolean nodeOwnJvm = args.length > 4 && args[4].equals("own");
        LoadFleet fleet = LoadFleet.of(devices);
        Deployment d = IngestNode.deployment(fleet);
        Path logs = Files.createTempDirectory("safegrid-kafka-bench");
        AtomicReference<LoadGenerator> current = new AtomicReference<>();
        List<String> rows = new ArrayList<>();
        KafkaBrokerProcess external = ownProcess ? KafkaBrokerProcess.start("1g") : null;
        try (AutoCloseable broker = ownProcess ? external : EmbeddedKafka.start(logs)) {
            String bootstrap = ownProcess ? external.bootstrapServers() : ((EmbeddedKafka) broker).bootstrapServers();
            KafkaBusSettings s = withOverrides(KafkaBusSettings.of(bootstrap, "bench.", 12, "bench"));
            try (KafkaBus counting = new KafkaBus(s.withClientId("counter"), new SimpleMeterRegistry());
                 KafkaBus ingestBus = nodeOwnJvm ? null : new KafkaBus(s.withClientId("ingest"), new SimpleMeterRegistry())) {
                counting.subscribe(Topic.READINGS, "bench", (k, r) -> {
                    LoadGenerator g = current.get();
                    if (g != null) {
                        g.observe(r.value());
                    }
                });
                try (SensorIngest ingest = nodeOwnJvm ? null : new SensorIngest(ConfigSource.of(d), ingestBus,
                        new SimpleMeterRegistry(), Clock.systemUTC());
                     IngestNode.Process node = nodeOwnJvm ? new IngestNode.Process(bootstrap, devices, "bench.",
                             nodeJvmOptions()) : null) {
                    int port;
                    Rig rig;
                    if (nodeOwnJvm) {
                        port = node.mqttPort();
                        rig = new Rig(() -> drainConsumed(counting), node::cpuSeconds, node.pid(), external);
                    } else {
                        ingest.acknowledgeWith(new StoredByBus(ingestBus));   // as Stages wires a node on Kafka
                        ingest.start();
                        port = ingest.mqttPort();
                        rig = new Rig(() -> drain(ingestBus, counting), () -> Double.NaN, -1, external);
                    }
                    Duration dur = Duration.ofSeconds(seconds);
                    run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT, "127.0.0.1", port, fleet, 20_000,
                            Duration.ofSeconds(3), 10, 0), rig);
                    run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT, "127.0.0.1", port, fleet, 50_000,
                            Duration.ofSeconds(3), 1, 1), rig);
                    if (WARMUP.toSeconds() > 0) {   // at full rate, so the JIT has compiled the hot path before a row is timed
                        run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT, "127.0.0.1", port, fleet, SINGLE_OFFER,
                                WARMUP, 1, 0), rig);
                        run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT, "127.0.0.1", port, fleet,
                                IngestThroughput.QOS1_OFFER, WARMUP, 1, 1), rig);
                    }
                    System.out.println("--- warm-up done ---");
                    if (wanted.contains("qos0")) {
                        rows.add("MQTT QoS0 single, max | " + run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT,
                                "127.0.0.1", port, fleet, SINGLE_OFFER, dur, 1, 0), rig));
                    }
                    if (wanted.contains("qos1")) {
                        rows.add("MQTT QoS1 single, max | " + run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT,
                                "127.0.0.1", port, fleet, IngestThroughput.QOS1_OFFER, dur, 1, 1), rig));
                    }
                    if (wanted.contains("batch")) {
                        rows.add("MQTT QoS0 batch 100, max | " + run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT,
                                "127.0.0.1", port, fleet, 3_000_000, dur, 100, 0), rig));
                    }
                    if (wanted.contains("paced")) {
                        rows.add("MQTT QoS0 single at " + (int) PACED + "/s | " + run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT,
                                "127.0.0.1", port, fleet, PACED, dur, 1, 0), rig));
                    }
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(logs)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println();
        System.out.printf("Kafka bus, broker %s, %d devices, %d cores, load %.2f%n",
                ownProcess ? "in its own JVM (kafka.Kafka, KRaft)" : "embedded in this JVM (KRaft)", devices,
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("ingest node " + (nodeOwnJvm ? "in its own JVM" : "in the bench JVM (its CPU is in the bench JVM's)"));
        System.out.println("scenario | readings/s | p50 ms | p99 ms | max ms | sent | consumed | bench JVM cpu s | broker cpu s"
                + " | node cpu s | node cpu s per million readings");
        rows.forEach(System.out::println);
    }

    /** Kafka client settings to try: {@code -Dsafegrid.bench.kafka.linger.ms=10} sets the clients' {@code linger.ms}. */
    static KafkaBusSettings withOverrides(KafkaBusSettings s) {
        java.util.Map<String, Object> overrides = new java.util.HashMap<>();
        String prefix = "safegrid.bench.kafka.";
        System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith(prefix))
                .forEach(n -> overrides.put(n.substring(prefix.length()), System.getProperty(n)));
        if (overrides.isEmpty()) {
            return s;
        }
        System.out.println("Kafka client overrides: " + overrides);
        return new KafkaBusSettings(s.bootstrapServers(), s.topicPrefix(), s.partitions(), s.clientId(),
                s.maxInFlightRecords(), s.maxInFlightBytes(), s.sessionTimeout(), overrides);
    }

    /** Until the counting group has consumed all that ingest published, so no scenario sees another's readings. */
    private static void drain(KafkaBus producer, KafkaBus consumer) {
        // refusals > 0 mean the producer window held ingest back at some point; a backlog, that the consuming group was behind
        System.out.printf("  at end: published %d, consumed %d (backlog %d), producer refusals %d%n",
                stat(producer, TopicStats::published), stat(consumer, TopicStats::delivered),
                stat(producer, TopicStats::published) - stat(consumer, TopicStats::delivered),
                stat(producer, TopicStats::refused));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (stat(consumer, TopicStats::delivered) >= stat(producer, TopicStats::published)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        System.out.println("!!! consumer still behind after 60 s");
    }

    private static long stat(KafkaBus bus, java.util.function.ToLongFunction<TopicStats> f) {
        return bus.stats().stream().filter(t -> t.topic().equals(Topic.READINGS.name())).mapToLong(f).sum();
    }

    /** What a row needs besides its load: waiting for the consumer to catch up, and the node's CPU clock. */
    private record Rig(Runnable drain, java.util.function.DoubleSupplier nodeCpu, long nodePid, KafkaBrokerProcess broker) {
    }

    /** The node's JVM options from {@code -Dsafegrid.bench.node.jvm="..."} (space separated), e.g. a flight recording. */
    private static List<String> nodeJvmOptions() {
        String o = System.getProperty("safegrid.bench.node.jvm", "").trim();
        return o.isEmpty() ? List.of() : List.of(o.split("\\s+"));
    }

    /** With the node in its own JVM: until the counting group has consumed nothing new for a second. */
    private static void drainConsumed(KafkaBus consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            long now = stat(consumer, TopicStats::delivered);
            if (now == last) {
                System.out.printf("  at end: consumed %d%n", now);
                return;
            }
            last = now;
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        System.out.println("!!! consumer still consuming after 60 s");
    }

    /** One scenario; its table row (without the name). */
    private static String run(AtomicReference<LoadGenerator> current, LoadGenerator.Options o, Rig rig) throws Exception {
        LoadGenerator g = LoadGenerator.observedOnBus(o);
        current.set(g);
        KafkaBrokerProcess broker = rig.broker();
        double cpu0 = processCpuSeconds();
        double broker0 = broker == null ? Double.NaN : broker.cpuSeconds();
        double node0 = rig.nodeCpu().getAsDouble();
        java.util.Map<String, Double> threads0 = rig.nodePid() < 0 ? java.util.Map.of() : ProcessCpu.byThread(rig.nodePid());
        LoadResult r = g.run();
        double cpu = processCpuSeconds() - cpu0;
        double brokerCpu = broker == null ? Double.NaN : broker.cpuSeconds() - broker0;
        double nodeCpu = rig.nodeCpu().getAsDouble() - node0;
        if (rig.nodePid() >= 0) {
            System.out.println("  node CPU by thread: " + ProcessCpu.difference(threads0, ProcessCpu.byThread(rig.nodePid())));
        }
        rig.drain().run();
        current.set(null);
        System.out.println(r.summary());
        return String.format("%.0f | %.2f | %.2f | %.2f | %d | %d | %.1f | %.1f | %.2f | %.2f", r.achievedPerSecond(),
                r.latencyMicros().getValueAtPercentile(50) / 1000.0, r.latencyMicros().getValueAtPercentile(99) / 1000.0,
                r.latencyMicros().getMaxValue() / 1000.0, r.sent(), r.completed(), cpu, brokerCpu, nodeCpu,
                nodeCpu / r.completed() * 1e6);
    }

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }
}
