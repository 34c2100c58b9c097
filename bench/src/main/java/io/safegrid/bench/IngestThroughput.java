package io.safegrid.bench;

import io.safegrid.testing.Deployments;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeviceClassDef;
import io.safegrid.config.Deployment;
import io.safegrid.config.NodeSettings;
import io.safegrid.ingest.SensorIngest;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.node.load.LoadFleet;
import io.safegrid.node.load.LoadGenerator;
import io.safegrid.node.load.LoadResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * In-process ingest throughput: {@link SensorIngest} on an {@link InProcessBus} with one counting
 * subscriber, driven over loopback by {@link LoadGenerator}; latency is send → on the bus.
 *
 * <p>{@code java ... io.safegrid.bench.IngestThroughput [seconds per scenario] [devices] [only]} where
 * {@code only} (optional) is {@code mqtt}, {@code hj212} or {@code http}: run that protocol's scenarios only,
 * for A/B runs of one path.
 */
public final class IngestThroughput {

    /**
     * Offered rate of the "MQTT QoS1 single, max" row ({@code -Dsafegrid.bench.qos1.offer}): well above what a
     * node takes, so the row finds the ceiling rather than the offer.
     */
    static final double QOS1_OFFER = Double.parseDouble(System.getProperty("safegrid.bench.qos1.offer", "2000000"));

    public static void main(String[] args) throws Exception {
        quietLogs();
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int devices = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String only = args.length > 2 ? args[2].toUpperCase(java.util.Locale.ROOT) : null;
        LoadFleet fleet = LoadFleet.of(devices);
        NodeSettings node = new NodeSettings("bench", NodeSettings.ALL_ROLES, "127.0.0.1", -1, 0, 0, 0, -1, Path.of("target"),
                256 * 1024, 0, null);
        Deployment d = Deployments.builder().name("bench").node(node)
                .deviceClass(new DeviceClassDef("load", "load generator", Duration.ofMinutes(5)))
                .sensors(fleet.sensors()).access(fleet.access()).build();
        AtomicReference<LoadGenerator> current = new AtomicReference<>();
        List<LoadResult> results = new ArrayList<>();
        try (InProcessBus bus = new InProcessBus()) {
            bus.subscribe(Topic.READINGS, "bench", (k, r) -> {
                LoadGenerator g = current.get();
                if (g != null) {
                    g.observe(r.value());
                }
            });
            try (SensorIngest ingest = new SensorIngest(ConfigSource.of(d), bus, new SimpleMeterRegistry(), Clock.systemUTC());
                 // BenchJournal is touched only when asked for, so this class also runs against a build without a journal
                 AutoCloseable journal = System.getProperty("safegrid.bench.journal") == null ? () -> { }
                         : BenchJournal.attach(ingest, bus)) {
                ingest.start();
                Duration dur = Duration.ofSeconds(seconds);
                // warm-up: JIT-compile both ends of every path before measuring
                for (LoadGenerator.Kind k : LoadGenerator.Kind.values()) {
                    if (only != null && !k.name().equals(only)) {
                        continue;
                    }
                    int port = k == LoadGenerator.Kind.MQTT ? ingest.mqttPort()
                            : k == LoadGenerator.Kind.HJ212 ? ingest.hj212Port() : ingest.httpPort();
                    run(current, new LoadGenerator.Options(k, "127.0.0.1", port, fleet, 5_000, Duration.ofSeconds(2), 10, 0));
                }
                System.out.println("--- warm-up done ---");
                results.add(run(current, only, new LoadGenerator.Options(LoadGenerator.Kind.MQTT, "127.0.0.1", ingest.mqttPort(),
                        fleet, 200_000, dur, 1, 0)));
                results.add(run(current, only, new LoadGenerator.Options(LoadGenerator.Kind.MQTT, "127.0.0.1", ingest.mqttPort(),
                        fleet, 3_000_000, dur, 100, 0)));
                results.add(run(current, only, new LoadGenerator.Options(LoadGenerator.Kind.HJ212, "127.0.0.1", ingest.hj212Port(),
                        fleet, 200_000, dur, 1, 0)));
                results.add(run(current, only, new LoadGenerator.Options(LoadGenerator.Kind.HTTP, "127.0.0.1", ingest.httpPort(),
                        fleet, 200_000, dur, 100, 0)));
                // latency at a modest steady rate, well below saturation
                results.add(run(current, only, new LoadGenerator.Options(LoadGenerator.Kind.MQTT, "127.0.0.1", ingest.mqttPort(),
                        fleet, 2_000, dur, 1, 0)));
                results.add(run(current, only, new LoadGenerator.Options(LoadGenerator.Kind.HJ212, "127.0.0.1", ingest.hj212Port(),
                        fleet, 1_000, dur, 1, 0)));
                // QoS 1: every reading waits for its PUBACK (with the journal, for the journal's write)
                results.add(run(current, only, new LoadGenerator.Options(LoadGenerator.Kind.MQTT, "127.0.0.1", ingest.mqttPort(),
                        fleet, QOS1_OFFER, dur, 1, 1)));
            }
        }
        System.out.println();
        System.out.println("scenario | readings/s | p50 ms | p99 ms | max ms | sent | on bus");
        String[] names = {"MQTT QoS0 single, max", "MQTT QoS0 batch 100, max", "HJ 212 2011 frames, max", "HTTP batch 100, max",
                "MQTT QoS0 single at 2000/s", "HJ 212 at 1000 frames/s",
                "MQTT QoS1 single, max"};
        for (int i = 0; i < results.size(); i++) {
            LoadResult r = results.get(i);
            if (r == null) {
                continue;
            }
            System.out.printf("%s | %.0f | %.2f | %.2f | %.2f | %d | %d%n", names[i], r.achievedPerSecond(),
                    r.latencyMicros().getValueAtPercentile(50) / 1000.0, r.latencyMicros().getValueAtPercentile(99) / 1000.0,
                    r.latencyMicros().getMaxValue() / 1000.0, r.sent(), r.completed());
        }
    }

    /** Without a logback.xml logback logs DEBUG; keep the run's output to the results. */
    static void quietLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.INFO);
            ctx.getLogger("io.netty").setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /** Runs the scenario unless {@code only} names another protocol; null when skipped. */
    private static LoadResult run(AtomicReference<LoadGenerator> current, String only, LoadGenerator.Options o)
            throws Exception {
        return only == null || o.kind().name().equals(only) ? run(current, o) : null;
    }

    private static LoadResult run(AtomicReference<LoadGenerator> current, LoadGenerator.Options o) throws Exception {
        LoadGenerator g = LoadGenerator.observedOnBus(o);
        current.set(g);
        LoadResult r = g.run();
        current.set(null);
        System.out.println(r.summary());
        return r;
    }
}
