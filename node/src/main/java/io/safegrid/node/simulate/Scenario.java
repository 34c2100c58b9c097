package io.safegrid.node.simulate;

import io.safegrid.config.Deployment;
import io.safegrid.config.RuleDef;
import io.safegrid.model.Level;
import io.safegrid.model.device.Sensor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What the simulated field does over time. Every sensor reads a quiet value with a little noise;
 * in turn, one sensor under a threshold rule climbs through its yellow, orange and red limits and
 * falls back (the first within a minute of start), the fans at that site stop while it does, and
 * one sensor goes silent for a while so the node sees it go offline and come back.
 */
public final class Scenario {
    /** One incident: a sensor climbs to just above its top limit and back. */
    record Incident(Sensor sensor, double quiet, double peak, long startMs) {
    }

    static final long FIRST_INCIDENT_MS = 15_000;
    static final long RISE_MS = 40_000;
    static final long HOLD_MS = 25_000;
    static final long FALL_MS = 20_000;
    static final long GAP_MS = 30_000;
    static final long SILENCE_START_MS = 30_000;
    static final long SILENCE_MS = 150_000;

    private final Deployment deployment;
    private final List<Incident> cycle = new ArrayList<>();
    private final Map<String, Double> quiet = new java.util.HashMap<>();
    private final Random random;
    private final String silentSensor;
    private final Map<String, Double> fanOff = new java.util.HashMap<>();
    private final Map<String, RuleDef.FeedBinding> feeds = new java.util.HashMap<>();
    private final Map<String, Sensor> sensorsById = new java.util.HashMap<>();

    public Scenario(Deployment deployment, long seed) {
        this.deployment = deployment;
        this.random = new Random(seed);
        for (Sensor s : deployment.sensors()) {
            quiet.put(s.id(), quietValue(s));
        }
        long start = FIRST_INCIDENT_MS;
        for (Sensor s : deployment.sensors()) {
            RuleDef r = thresholdRule(s);
            if (r != null && !r.above().isEmpty()) {
                double top = r.above().values().stream().max(Comparator.naturalOrder()).orElseThrow();
                double peak = Math.min(s.range().max(), top * 1.08 + 0.01);
                cycle.add(new Incident(s, quiet.get(s.id()), peak, start));
                start += RISE_MS + HOLD_MS + FALL_MS + GAP_MS;
            }
        }
        for (RuleDef r : deployment.rules()) {
            if (r.type() == RuleDef.Type.COMPOSITE && r.otherMetric() != null && r.otherValue() != null) {
                fanOff.put(r.otherMetric(), r.otherValue());
            }
        }
        List<Sensor> sensors = deployment.sensors();
        sensors.forEach(x -> sensorsById.put(x.id(), x));
        deployment.rules().stream().filter(r -> r.type() == RuleDef.Type.POWER_OFF_OVERRIDE)
                .forEach(r -> r.feeds().forEach(b -> feeds.put(b.feed(), b)));
        this.silentSensor = sensors.isEmpty() ? null : sensors.get(sensors.size() - 1).id();
    }

    /** The incidents in the order they happen; the cycle repeats. */
    List<Incident> incidents() { return cycle; }

    long cycleMs() {
        return cycle.isEmpty() ? Long.MAX_VALUE : cycle.size() * (RISE_MS + HOLD_MS + FALL_MS + GAP_MS);
    }

    /** False while the chosen sensor is silent. */
    public boolean reports(Sensor s, long elapsedMs) {
        return !(s.id().equals(silentSensor) && elapsedMs >= SILENCE_START_MS && elapsedMs < SILENCE_START_MS + SILENCE_MS);
    }

    /** The value a sensor reads {@code elapsedMs} after the simulation started. */
    public double value(Sensor s, long elapsedMs) {
        double base = quiet.get(s.id());
        Incident running = runningAt(s.site().toString(), elapsedMs);
        if (running != null) {
            if (running.sensor().id().equals(s.id())) {
                base = incidentValue(running, elapsedMs);
            } else if (fanOff.containsKey(s.metric()) && isRising(running, elapsedMs)) {
                return fanOff.get(s.metric());
            }
        }
        RuleDef.FeedBinding feed = feeds.get(s.id());
        if (feed != null && sensorsById.containsKey(feed.methane())) {
            // a controller that works: power cut before its methane, noise included, reaches the power-off limit
            return noiseless(sensorsById.get(feed.methane()), elapsedMs) >= feed.powerOff() - 0.05 ? s.range().min() : s.range().max();
        }
        if (isBinary(s)) {
            return base;
        }
        double noise = (random.nextDouble() - 0.5) * 0.04 * Math.max(Math.abs(base), 0.05);
        return clamp(s, base + noise);
    }

    private double noiseless(Sensor s, long elapsedMs) {
        Incident running = runningAt(s.site().toString(), elapsedMs);
        return running != null && running.sensor().id().equals(s.id()) ? incidentValue(running, elapsedMs) : quiet.get(s.id());
    }

    private Incident runningAt(String site, long elapsedMs) {
        if (cycle.isEmpty() || elapsedMs < FIRST_INCIDENT_MS) {
            return null;
        }
        long t = FIRST_INCIDENT_MS + Math.floorMod(elapsedMs - FIRST_INCIDENT_MS, cycleMs());
        for (Incident i : cycle) {
            if (i.sensor().site().toString().equals(site) && t >= i.startMs() && t < i.startMs() + RISE_MS + HOLD_MS + FALL_MS) {
                return new Incident(i.sensor(), i.quiet(), i.peak(), i.startMs() + (elapsedMs - t));
            }
        }
        return null;
    }

    private static boolean isRising(Incident i, long elapsedMs) {
        return elapsedMs - i.startMs() < RISE_MS + HOLD_MS;
    }

    private static double incidentValue(Incident i, long elapsedMs) {
        long t = elapsedMs - i.startMs();
        if (t < RISE_MS) {
            return i.quiet() + (i.peak() - i.quiet()) * t / RISE_MS;
        }
        if (t < RISE_MS + HOLD_MS) {
            return i.peak();
        }
        return i.peak() - (i.peak() - i.quiet()) * Math.min(1.0, (double) (t - RISE_MS - HOLD_MS) / FALL_MS);
    }

    private RuleDef thresholdRule(Sensor s) {
        return deployment.rules().stream()
                .filter(r -> r.type() == RuleDef.Type.THRESHOLD && r.appliesTo(s.metric(), s.deviceClass()))
                .findFirst().orElse(null);
    }

    private double quietValue(Sensor s) {
        if (isBinary(s)) {
            return s.range().max();
        }
        RuleDef r = thresholdRule(s);
        if (r != null && !r.above().isEmpty()) {
            double lowest = r.above().values().stream().min(Comparator.naturalOrder()).orElseThrow();
            double floor = r.below().values().stream().max(Comparator.naturalOrder()).orElse(s.range().min());
            return Math.max(floor + (lowest - floor) * 0.4, s.range().min() + (lowest - s.range().min()) * 0.4);
        }
        if (r != null && !r.below().isEmpty()) {
            double highest = r.below().values().stream().max(Comparator.naturalOrder()).orElseThrow();
            return highest + (s.range().max() - highest) * 0.4;
        }
        return s.range().min() + (s.range().max() - s.range().min()) * 0.3;
    }

    /** On/off states (fans, switches): a 0..1 range. */
    private static boolean isBinary(Sensor s) {
        return s.range().min() == 0 && s.range().max() == 1;
    }

    private static double clamp(Sensor s, double v) {
        return Math.max(s.range().min(), Math.min(s.range().max(), v));
    }

    /** The level a value would reach under its threshold rule, for the simulator's own log. */
    Level levelOf(Sensor s, double v) {
        RuleDef r = thresholdRule(s);
        if (r == null) {
            return null;
        }
        Level hit = null;
        for (Map.Entry<Level, Double> e : r.above().entrySet()) {
            if (v >= e.getValue() && (hit == null || e.getKey().compareTo(hit) > 0)) {
                hit = e.getKey();
            }
        }
        return hit;
    }
}
