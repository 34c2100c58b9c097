package io.safegrid.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.kafka.KafkaBus;
import io.safegrid.bus.kafka.KafkaBusSettings;
import io.safegrid.bus.kafka.embedded.EmbeddedKafka;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeviceClassDef;
import io.safegrid.config.NodeSettings;
import io.safegrid.ingest.SensorIngest;
import io.safegrid.ingest.intake.StoredByBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.bus.TopicStats;
import io.safegrid.node.load.LoadFleet;
import io.safegrid.node.load.LoadGenerator;
import io.safegrid.node.load.LoadResult;
import io.safegrid.testing.Deployments;
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
 * <p>{@code java ... io.safegrid.bench.KafkaIngestThroughput [seconds per scenario] [devices] [process|embedded] [rows]}
 * where {@code rows} (default all) picks scenarios by name: {@code qos0,qos1,batch,paced}.
 */
public final class KafkaIngestThroughput {
    /** Offered rate of the single-reading rows: above what one node takes, so the rows find the ceiling. */
    private static final double SINGLE_OFFER = Double.parseDouble(System.getProperty("safegrid.bench.single.offer", "400000"));

    /** Offered rate of the paced row: what the bus costs below its ceiling (CPU seconds per reading). */
    private static final double PACED = Double.parseDouble(System.getProperty("safegrid.bench.paced", "2000"));

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
        LoadFleet fleet = LoadFleet.of(devices);
        NodeSettings node = new NodeSettings("bench-ingest", java.util.Set.of("ingest"), "127.0.0.1", -1, 0, -1, -1, -1,
                Path.of("target"), 256 * 1024, 0, null);
        Deployment d = Deployments.builder().name("bench").node(node)
                .deviceClass(new DeviceClassDef("load", "load generator", Duration.ofMinutes(5)))
                .sensors(fleet.sensors()).access(fleet.access()).build();
        Path logs = Files.createTempDirectory("safegrid-kafka-bench");
        AtomicReference<LoadGenerator> current = new AtomicReference<>();
        List<String> rows = new ArrayList<>();
        KafkaBrokerProcess external = ownProcess ? new KafkaBrokerProcess("1g") : null;
        try (AutoCloseable broker = ownProcess ? external : EmbeddedKafka.start(logs)) {
            String bootstrap = ownProcess ? external.bootstrapServers() : ((EmbeddedKafka) broker).bootstrapServers();
            KafkaBusSettings s = withOverrides(KafkaBusSettings.of(bootstrap, "bench.", 12, "bench"));
            try (KafkaBus counting = new KafkaBus(s.withClientId("counter"), new SimpleMeterRegistry());
                 KafkaBus ingestBus = new KafkaBus(s.withClientId("ingest"), new SimpleMeterRegistry())) {
                counting.subscribe(Topic.READINGS, "bench", (k, r) -> {
                    LoadGenerator g = current.get();
                    if (g != null) {
                        g.observe(r.value());
                    }
                });
                try (SensorIngest ingest = new SensorIngest(ConfigSource.of(d), ingestBus, new SimpleMeterRegistry(),
                        Clock.systemUTC())) {
                    ingest.acknowledgeWith(new StoredByBus(ingestBus));   // as Stages wires a node on Kafka
                    ingest.start();
                    int port = ingest.mqttPort();
                    Duration dur = Duration.ofSeconds(seconds);
                    Runnable drain = () -> drain(ingestBus, counting);
                    run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT, "127.0.0.1", port, fleet, 20_000,
                            Duration.ofSeconds(3), 10, 0), drain, external);
                    run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT, "127.0.0.1", port, fleet, 50_000,
                            Duration.ofSeconds(3), 1, 1), drain, external);
                    System.out.println("--- warm-up done ---");
                    if (wanted.contains("qos0")) {
                        rows.add("MQTT QoS0 single, max | " + run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT,
                                "127.0.0.1", port, fleet, SINGLE_OFFER, dur, 1, 0), drain, external));
                    }
                    if (wanted.contains("qos1")) {
                        rows.add("MQTT QoS1 single, max | " + run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT,
                                "127.0.0.1", port, fleet, IngestThroughput.QOS1_OFFER, dur, 1, 1), drain, external));
                    }
                    if (wanted.contains("batch")) {
                        rows.add("MQTT QoS0 batch 100, max | " + run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT,
                                "127.0.0.1", port, fleet, 3_000_000, dur, 100, 0), drain, external));
                    }
                    if (wanted.contains("paced")) {
                        rows.add("MQTT QoS0 single at " + (int) PACED + "/s | " + run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT,
                                "127.0.0.1", port, fleet, PACED, dur, 1, 0), drain, external));
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
        System.out.println("scenario | readings/s | p50 ms | p99 ms | max ms | sent | consumed | bench JVM cpu s | broker cpu s");
        rows.forEach(System.out::println);
    }

    /** Kafka client settings to try: {@code -Dsafegrid.bench.kafka.linger.ms=10} sets the clients' {@code linger.ms}. */
    private static KafkaBusSettings withOverrides(KafkaBusSettings s) {
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

    /** One scenario; its table row (without the name). */
    private static String run(AtomicReference<LoadGenerator> current, LoadGenerator.Options o, Runnable drain,
                              KafkaBrokerProcess broker) throws Exception {
        LoadGenerator g = LoadGenerator.observedOnBus(o);
        current.set(g);
        double cpu0 = processCpuSeconds();
        double broker0 = broker == null ? Double.NaN : broker.cpuSeconds();
        LoadResult r = g.run();
        double cpu = processCpuSeconds() - cpu0;
        double brokerCpu = broker == null ? Double.NaN : broker.cpuSeconds() - broker0;
        drain.run();
        current.set(null);
        System.out.println(r.summary());
        return String.format("%.0f | %.2f | %.2f | %.2f | %d | %d | %.1f | %.1f", r.achievedPerSecond(),
                r.latencyMicros().getValueAtPercentile(50) / 1000.0, r.latencyMicros().getValueAtPercentile(99) / 1000.0,
                r.latencyMicros().getMaxValue() / 1000.0, r.sent(), r.completed(), cpu, brokerCpu);
    }

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }
}
