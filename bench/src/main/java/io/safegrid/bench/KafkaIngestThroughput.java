package io.safegrid.bench;

import io.safegrid.testing.Deployments;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.kafka.KafkaBus;
import io.safegrid.bus.kafka.KafkaBusSettings;
import io.safegrid.bus.kafka.embedded.EmbeddedKafka;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeviceClassDef;
import io.safegrid.config.Deployment;
import io.safegrid.config.NodeSettings;
import io.safegrid.ingest.SensorIngest;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.bus.TopicStats;
import io.safegrid.node.load.LoadFleet;
import io.safegrid.node.load.LoadGenerator;
import io.safegrid.node.load.LoadResult;
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
 * Latency is from the MQTT send to the counting consumer's handler. The broker is an embedded
 * single-node KRaft broker in this same JVM (so it competes with ingest for the same CPUs and
 * there is no network hop: read it as a lower bound on the broker's cost, not a cluster figure).
 *
 * <p>{@code java ... io.safegrid.bench.KafkaIngestThroughput [seconds per scenario] [devices]}
 */
public final class KafkaIngestThroughput {

    public static void main(String[] args) throws Exception {
        IngestThroughput.quietLogs();
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger("org.apache.kafka").setLevel(ch.qos.logback.classic.Level.WARN);
            ctx.getLogger("kafka").setLevel(ch.qos.logback.classic.Level.WARN);
            ctx.getLogger("state.change.logger").setLevel(ch.qos.logback.classic.Level.WARN);
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int devices = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        LoadFleet fleet = LoadFleet.of(devices);
        NodeSettings node = new NodeSettings("bench-ingest", java.util.Set.of("ingest"), "127.0.0.1", -1, 0, -1, -1, -1,
                Path.of("target"), 256 * 1024, 0, null);
        Deployment d = Deployments.builder().name("bench").node(node)
                .deviceClass(new DeviceClassDef("load", "load generator", Duration.ofMinutes(5)))
                .sensors(fleet.sensors()).access(fleet.access()).build();
        Path logs = Files.createTempDirectory("safegrid-kafka-bench");
        AtomicReference<LoadGenerator> current = new AtomicReference<>();
        List<LoadResult> results = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(logs)) {
            KafkaBusSettings s = KafkaBusSettings.of(kafka.bootstrapServers(), "bench.", 12, "bench");
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
                    ingest.start();
                    int port = ingest.mqttPort();
                    Duration dur = Duration.ofSeconds(seconds);
                    Runnable drain = () -> drain(ingestBus, counting);
                    run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT, "127.0.0.1", port, fleet, 20_000,
                            Duration.ofSeconds(3), 10, 0), drain);
                    System.out.println("--- warm-up done ---");
                    results.add(run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT, "127.0.0.1", port, fleet,
                            200_000, dur, 1, 0), drain));
                    results.add(run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT, "127.0.0.1", port, fleet,
                            3_000_000, dur, 100, 0), drain));
                    results.add(run(current, new LoadGenerator.Options(LoadGenerator.Kind.MQTT, "127.0.0.1", port, fleet,
                            2_000, dur, 1, 0), drain));
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(logs)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println();
        System.out.println("Kafka bus (embedded KRaft broker, same JVM), " + devices + " devices, load "
                + String.format("%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        System.out.println("scenario | readings/s | p50 ms | p99 ms | max ms | sent | consumed");
        String[] names = {"MQTT QoS0 single, max", "MQTT QoS0 batch 100, max", "MQTT QoS0 single at 2000/s"};
        for (int i = 0; i < results.size(); i++) {
            LoadResult r = results.get(i);
            System.out.printf("%s | %.0f | %.2f | %.2f | %.2f | %d | %d%n", names[i], r.achievedPerSecond(),
                    r.latencyMicros().getValueAtPercentile(50) / 1000.0, r.latencyMicros().getValueAtPercentile(99) / 1000.0,
                    r.latencyMicros().getMaxValue() / 1000.0, r.sent(), r.completed());
        }
    }

    /** Until the counting group has consumed all that ingest published, so no scenario sees another's readings. */
    private static void drain(KafkaBus producer, KafkaBus consumer) {
        // after the generator's last reading: refusals > 0 mean the producer window held ingest back
        // at some point; a backlog means the consuming group was still behind
        System.out.printf("  at end: published %d, consumed %d (backlog %d), producer refusals %d%n",
                stat(producer, TopicStats::published), stat(consumer, TopicStats::delivered),
                stat(producer, TopicStats::published) - stat(consumer, TopicStats::delivered),
                stat(producer, TopicStats::refused));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            long published = stat(producer, TopicStats::published);
            long delivered = stat(consumer, TopicStats::delivered);
            if (delivered >= published) {
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

    private static LoadResult run(AtomicReference<LoadGenerator> current, LoadGenerator.Options o, Runnable drain)
            throws Exception {
        LoadGenerator g = LoadGenerator.observedOnBus(o);
        current.set(g);
        LoadResult r = g.run();
        drain.run();
        current.set(null);
        System.out.println(r.summary());
        return r;
    }
}
