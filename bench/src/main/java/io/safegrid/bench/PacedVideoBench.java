package io.safegrid.bench;

import io.safegrid.testing.Deployments;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.analytics.video.VideoAnalytics;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.NodeSettings;
import io.safegrid.ingest.camera.CameraIntake;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.device.AnalysisSettings;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.CameraSource;
import io.safegrid.model.grid.GridPath;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cameras as a live node sees them: N cameras replaying the bench clip at its own pace (25 fps each,
 * like live cameras) through the real {@link CameraIntake} (decode pool, conversion skipping, video
 * loss watch), the in-process bus and the real {@link VideoAnalytics} at 5 fps. After a warm-up it
 * measures, per camera: frames decoded per second (should be 25), frames analysed per second
 * (should be 5), frames the bus dropped because analysis fell behind, analysis time and frame age
 * (intake publish to analysis done) p50/p99, decode turns' lateness; and CPU and resident memory.
 */
final class PacedVideoBench {
    private static final double WARM_UP_SECONDS = 8;

    private PacedVideoBench() {
    }

    static void run(int cameras, double seconds, int width, int decodeThreads, Path clip) throws Exception {
        int height = width * 9 / 16;
        System.out.printf(Locale.ROOT, "paced: %d camera(s) replaying %s at 25 fps, analysis %dx%d at 5 fps "
                        + "(%s), decode %s, %.0f s measured after %.0f s warm-up, %d CPU(s), "
                        + "load average %s%n", cameras, clip, width, height, String.join(", ", VideoBench.ANALYZERS),
                decodeThreads == 0 ? "thread per camera" : decodeThreads + " pool thread(s)", seconds, WARM_UP_SECONDS,
                Runtime.getRuntime().availableProcessors(), loadAverage());
        List<Camera> list = new ArrayList<>();
        GridPath site = GridPath.parse("county/town/village/bench");
        for (int i = 0; i < cameras; i++) {
            list.add(new Camera("cam-" + i, "Bench " + i, site, new CameraSource(CameraSource.Mode.PULL, clip.toString(), null),
                    new AnalysisSettings(5, width, height, VideoBench.ANALYZERS), VideoBench.zones()));
        }
        NodeSettings n = NodeSettings.defaults();
        NodeSettings node = new NodeSettings(n.nodeId(), n.roles(), "127.0.0.1", 0, -1, -1, -1, -1, n.dataDir(),
                n.maxPayloadBytes(), n.maxReadingsPerSecondPerDevice(), null);
        // the detector pool and the least time between a camera's motion-driven passes, as video.pool-size and
        // video.detect-interval would set them (-Dsafegrid.bench.pool, -Dsafegrid.bench.detect-interval-ms), and
        // the detector (-Dsafegrid.bench.detector=nanodet-int8)
        io.safegrid.config.VideoConfig v = io.safegrid.config.VideoConfig.defaults();
        io.safegrid.config.VideoConfig video = new io.safegrid.config.VideoConfig(
                System.getProperty("safegrid.bench.detector", v.detector()), v.score(),
                Integer.getInteger("safegrid.bench.pool", v.poolSize()), v.maxWait(), v.keepAlive(),
                Duration.ofMillis(Long.getLong("safegrid.bench.detect-interval-ms", v.detectInterval().toMillis())),
                v.models(), v.workWidth());
        System.out.printf(Locale.ROOT, "detector %s, pool %d, detect interval %d ms%n", video.detector(), video.poolSize(),
                video.detectInterval().toMillis());
        ConfigSource config = ConfigSource.of(Deployments.builder().name("bench").node(node).cameras(list).video(video).build());

        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        meters.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return id.getType() == Meter.Type.TIMER
                        ? DistributionStatisticConfig.builder().percentiles(0.5, 0.99).build().merge(config)
                        : config;
            }
        });
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long rssBefore = VideoBench.rssKb();
        try (InProcessBus bus = new InProcessBus();
             VideoAnalytics analytics = new VideoAnalytics(config, bus, meters);
             CameraIntake intake = new CameraIntake(config, bus, meters, Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofSeconds(30), decodeThreads)) {
            analytics.start();
            intake.start();
            Thread.sleep((long) (WARM_UP_SECONDS * 1000));
            double in0 = sum(meters, "safegrid.camera.frames.in");
            double analysed0 = sum(meters, "safegrid.video.frames.analysed");
            // lost on the bus, or replaced in the camera's slot by a newer frame before analysis took it
            double busDropped0 = sumTagged(meters, "safegrid.video.frames.dropped", "reason", "bus")
                    + sumTagged(meters, "safegrid.video.frames.dropped", "reason", "slot");
            double[] perCamera0 = perCamera(meters, cameras);
            Map<String, Long> threads0 = cpuByThreadGroup();
            double[] runs0 = {runs(meters, "whole"), runs(meters, "crop"), runs(meters, "closer")};
            double passes0 = passes(meters);
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long peakRss = 0;
            long end = t0 + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                Thread.sleep(500);
                peakRss = Math.max(peakRss, VideoBench.rssKb());
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double cores = (os.getProcessCpuTime() - cpu0) / 1e9 / wall;
            Map<String, Long> threads1 = cpuByThreadGroup();
            StringBuilder groups = new StringBuilder("CPU by thread group (cores):");
            threads1.forEach((g, ns) -> groups.append(String.format(Locale.ROOT, " %s %.2f", g,
                    (ns - threads0.getOrDefault(g, 0L)) / 1e9 / wall)));
            System.out.println(groups);
            double passes = (passes(meters) - passes0) / wall;
            System.out.printf(Locale.ROOT, "detector passes: %.1f/s (whole %.1f, crop %.1f, closer look %.1f), %.2f per analysed frame%n",
                    passes, (runs(meters, "whole") - runs0[0]) / wall, (runs(meters, "crop") - runs0[1]) / wall,
                    (runs(meters, "closer") - runs0[2]) / wall,
                    passes / Math.max(1e-9, (sum(meters, "safegrid.video.frames.analysed") - analysed0) / wall));
            double in = (sum(meters, "safegrid.camera.frames.in") - in0) / wall / cameras;
            double analysed = (sum(meters, "safegrid.video.frames.analysed") - analysed0) / wall / cameras;
            double busDropped = (sumTagged(meters, "safegrid.video.frames.dropped", "reason", "bus")
                    + sumTagged(meters, "safegrid.video.frames.dropped", "reason", "slot") - busDropped0) / wall / cameras;
            double[] perCamera1 = perCamera(meters, cameras);
            double worst = Double.MAX_VALUE;
            for (int i = 0; i < cameras; i++) {
                worst = Math.min(worst, (perCamera1[i] - perCamera0[i]) / wall);
            }
            System.out.printf(Locale.ROOT, "decoded per camera: %.1f fps (source 25)%n", in);
            System.out.printf(Locale.ROOT, "analysed per camera: %.2f fps mean, %.2f fps worst camera (target 5)%n",
                    analysed, worst);
            System.out.printf(Locale.ROOT, "dropped by the bus (analysis behind): %.2f frames/s per camera (%.1f %% of published)%n",
                    busDropped, 100 * busDropped / Math.max(1e-9, busDropped + analysed));
            System.out.printf(Locale.ROOT, "analysis time per frame, worst camera: p50 %s, p99 %s (whole run)%n",
                    pct(meters, "safegrid.video.analysis.latency", 0.5), pct(meters, "safegrid.video.analysis.latency", 0.99));
            System.out.printf(Locale.ROOT, "frame age at analysis end (publish → analysed), worst camera: p50 %s, p99 %s%n",
                    pct(meters, "safegrid.video.frame.age", 0.5), pct(meters, "safegrid.video.frame.age", 0.99));
            if (decodeThreads > 0) {
                System.out.printf(Locale.ROOT, "decode turns late: p50 %s, p99 %s%n",
                        pct(meters, "safegrid.camera.decode.late", 0.5), pct(meters, "safegrid.camera.decode.late", 0.99));
            }
            System.out.printf(Locale.ROOT, "CPU: %.2f cores busy of %d; load average %s%n", cores,
                    Runtime.getRuntime().availableProcessors(), loadAverage());
            double msPerPicture = cores * 1000 / (in * cameras);
            System.out.printf(Locale.ROOT, "CPU per decoded picture, all included (decode, analysis of 1 in 5, bus): %.2f ms "
                    + "→ ≈ %.0f cameras at 25 fps would fit in %d cores at this cost (less if analysis dropped frames)%n",
                    msPerPicture, Runtime.getRuntime().availableProcessors() * 1000 / (msPerPicture * 25),
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "resident memory: %d MB before cameras, peak %d MB, ≈ %.1f MB per camera%n",
                    rssBefore / 1024, peakRss / 1024, (peakRss - rssBefore) / 1024.0 / cameras);
            boolean keepsUp = worst >= 4.75 && in >= 24 && busDropped <= 0.05 * analysed;
            System.out.printf(Locale.ROOT, "RESULT %d cameras paced: %s (analysed %.2f of 5 fps per camera, worst %.2f)%n",
                    cameras, keepsUp ? "KEEPS UP" : "FALLS BEHIND", analysed, worst);
        }
    }

    private static double runs(SimpleMeterRegistry meters, String kind) {
        return meters.find("safegrid.video.detector.runs").tag("kind", kind).functionCounters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private static double passes(SimpleMeterRegistry meters) {
        return meters.find("safegrid.video.detector.pass").timers().stream().mapToDouble(t -> t.count()).sum();
    }

    /**
     * Thread CPU time so far by what the threads do (decode pool, analysis and detector, bus, the rest incl.
     * the JIT and the collector): where a walking camera's time goes.
     */
    static Map<String, Long> cpuByThreadGroup() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (ti == null) {
                continue;
            }
            long ns = mx.getThreadCpuTime(ti.getThreadId());
            String n = ti.getThreadName();
            String g = n.startsWith("camera-decode") ? "decode" : n.startsWith("video-analysis") ? "analysis"
                    : n.startsWith("bus-") ? "bus" : n.startsWith("camera-") ? "camera-other" : "other";
            out.merge(g, Math.max(0, ns), Long::sum);
        }
        return out;
    }

    private static double[] perCamera(SimpleMeterRegistry meters, int cameras) {
        double[] out = new double[cameras];
        for (int i = 0; i < cameras; i++) {
            var c = meters.find("safegrid.video.frames.analysed").tag("camera", "cam-" + i).counter();
            out[i] = c == null ? 0 : c.count();
        }
        return out;
    }

    private static double sum(SimpleMeterRegistry meters, String name) {
        return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static double sumTagged(SimpleMeterRegistry meters, String name, String tag, String value) {
        return meters.find(name).tag(tag, value).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** The percentile over all cameras' timers: the worst camera's, which is what an operator feels. */
    private static String pct(SimpleMeterRegistry meters, String name, double p) {
        double worst = Double.NaN;
        for (Timer t : meters.find(name).timers()) {
            for (ValueAtPercentile v : t.takeSnapshot().percentileValues()) {
                if (v.percentile() == p) {
                    double ms = v.value(TimeUnit.MILLISECONDS);
                    worst = Double.isNaN(worst) ? ms : Math.max(worst, ms);
                }
            }
        }
        return Double.isNaN(worst) ? "n/a" : String.format(Locale.ROOT, "%.1f ms", worst);
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
