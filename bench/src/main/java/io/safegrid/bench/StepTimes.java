package io.safegrid.bench;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.HdrHistogram.Histogram;

/**
 * The alarm path's own timers (the ledger's queue wait, its transaction, the commit's round trip, the
 * sender's pick-up, the send) and the JVM's GC pauses over the measured probes only: the timers count
 * into fixed buckets for the whole run, and the counts at the start of the measurement are taken off
 * those at its end, so the warm-up does not blur the tail.
 */
final class StepTimes {
    /** Bucket bounds, ms: fine below 10 ms, where the target is. */
    private static final double[] BOUNDS_MS = {0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12,
            15, 20, 30, 50, 75, 100, 150, 250, 500, 1000};

    private final MeterRegistry registry;
    private final Set<String> names;
    private final Map<String, double[]> atStart = new LinkedHashMap<>();
    private final Histogram gcPauses = new Histogram(TimeUnit.SECONDS.toMillis(60), 3);
    private volatile boolean measuring;

    /** Call before the node registers its meters. */
    StepTimes(MeterRegistry registry, Set<String> names) {
        this.registry = registry;
        this.names = names;
        Duration[] slo = new Duration[BOUNDS_MS.length];
        for (int i = 0; i < slo.length; i++) {
            slo[i] = Duration.ofNanos((long) (BOUNDS_MS[i] * 1e6));
        }
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() != Meter.Type.TIMER || !names.contains(id.getName())) {
                    return config;
                }
                // one window as long as any run: the counts only grow, so two snapshots subtract
                return DistributionStatisticConfig.builder().serviceLevelObjectives(
                                java.util.Arrays.stream(slo).mapToDouble(Duration::toNanos).toArray())
                        .expiry(Duration.ofHours(1)).bufferLength(1).build().merge(config);
            }
        });
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener((n, h) -> {
                    if (measuring && n.getUserData() instanceof CompositeData cd
                            && cd.get("gcInfo") instanceof CompositeData info) {
                        gcPauses.recordValue(Math.max(0, (Long) info.get("duration")));
                    }
                }, n -> n.getType().equals("com.sun.management.gc.notification"), null);
            }
        }
    }

    void start() {
        for (Timer t : timers()) {
            atStart.put(key(t), counts(t));
        }
        measuring = true;
    }

    /** Per timer, over the measured probes: count, then p50, p99 and max as the bucket bound they fall under. */
    void print() {
        measuring = false;
        System.out.println("the alarm path's steps over the measured probes (bucket bounds, ms; all of the node's uses of each):");
        for (Timer t : timers()) {
            double[] end = counts(t);
            double[] begin = atStart.getOrDefault(key(t), new double[end.length + 1]);
            double total = end[end.length - 1] - begin[begin.length - 1];
            double[] d = new double[BOUNDS_MS.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = end[i] - begin[i];
            }
            System.out.printf(Locale.ROOT, "  %-42s n %6.0f  p50 %s  p90 %s  p99 %s  max %s%n", key(t), total,
                    bound(d, total, 0.5), bound(d, total, 0.9), bound(d, total, 0.99), bound(d, total, 1.0));
        }
        System.out.printf(Locale.ROOT, "  GC pauses while measuring: %d, p50 %d ms, p99 %d ms, max %d ms%n",
                gcPauses.getTotalCount(), gcPauses.getValueAtPercentile(50), gcPauses.getValueAtPercentile(99),
                gcPauses.getMaxValue());
    }

    private List<Timer> timers() {
        List<Timer> out = new ArrayList<>();
        for (String n : names) {
            out.addAll(registry.find(n).timers());
        }
        return out;
    }

    private static String key(Timer t) {
        String tags = t.getId().getTags().isEmpty() ? "" : t.getId().getTags().toString();
        return t.getId().getName() + tags;
    }

    /** Cumulative counts at each bound, then the total count. */
    private static double[] counts(Timer t) {
        CountAtBucket[] b = t.takeSnapshot().histogramCounts();
        double[] out = new double[BOUNDS_MS.length + 1];
        for (CountAtBucket c : b) {
            double ms = c.bucket(TimeUnit.MILLISECONDS);
            for (int i = 0; i < BOUNDS_MS.length; i++) {
                if (Math.abs(BOUNDS_MS[i] - ms) < 1e-6) {
                    out[i] = c.count();
                }
            }
        }
        out[BOUNDS_MS.length] = t.count();
        return out;
    }

    private static String bound(double[] cumulative, double total, double q) {
        if (total <= 0) {
            return "    -";
        }
        for (int i = 0; i < cumulative.length; i++) {
            if (cumulative[i] >= Math.ceil(q * total)) {
                return String.format(Locale.ROOT, "≤%-5s", trim(BOUNDS_MS[i]));
            }
        }
        return String.format(Locale.ROOT, ">%-5s", trim(BOUNDS_MS[BOUNDS_MS.length - 1]));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
