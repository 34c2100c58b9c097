package io.safegrid.analytics.rules;

import io.safegrid.config.Deployment;
import io.safegrid.config.MetricDef;
import io.safegrid.config.RuleDef;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.device.ValueRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One config compiled into per-device rule arrays. Immutable once built; a reload builds another. */
final class RulePlan {
    private static final Logger LOG = LoggerFactory.getLogger(RulePlan.class);

    final Map<String, DeviceRules> devices;
    final Map<String, SiteSignal> signals;
    final int evaluatorCount;
    final List<String> rejected;

    private RulePlan(Map<String, DeviceRules> devices, Map<String, SiteSignal> signals, int evaluatorCount,
                     List<String> rejected) {
        this.devices = devices;
        this.signals = signals;
        this.evaluatorCount = evaluatorCount;
        this.rejected = rejected;
    }

    static RulePlan empty() {
        return new RulePlan(Map.of(), Map.of(), 0, List.of());
    }

    static RulePlan build(Deployment d, RulePlan previous) {
        Map<String, SiteSignal> signals = new HashMap<>();
        Map<String, DeviceRules> devices = new HashMap<>();
        List<String> rejected = new ArrayList<>();
        int count = 0;
        // first the composite rules' signals, so the sensors that feed them can be wired below
        for (Sensor s : d.sensors()) {
            for (RuleDef r : d.rules()) {
                if (r.type() == RuleDef.Type.COMPOSITE && r.otherMetric() != null && r.appliesTo(s.metric(), s.deviceClass())) {
                    String key = signalKey(s, r.otherMetric());
                    signals.computeIfAbsent(key, k -> {
                        SiteSignal sig = new SiteSignal();
                        SiteSignal old = previous.signals.get(k);
                        if (old != null) {
                            sig.value = old.value;
                        }
                        return sig;
                    });
                }
            }
        }
        // a power-off override rule reads its methane sensor's latest value
        for (RuleDef r : d.rules()) {
            for (RuleDef.FeedBinding f : r.feeds()) {
                signals.computeIfAbsent(sensorKey(f.methane()), k -> {
                    SiteSignal sig = new SiteSignal();
                    SiteSignal old = previous.signals.get(k);
                    if (old != null) {
                        sig.value = old.value;
                    }
                    return sig;
                });
            }
        }
        for (Sensor s : d.sensors()) {
            SensorInfo info = info(d, s);
            List<RuleEvaluator> evs = new ArrayList<>();
            for (RuleDef r : d.rules()) {
                if (!r.appliesTo(s.metric(), s.deviceClass())) {
                    continue;
                }
                try {
                    RuleEvaluator e = switch (r.type()) {
                        case THRESHOLD -> r.above().isEmpty() && r.below().isEmpty() ? invalid(r, "no limits")
                                : new ThresholdEvaluator(r, info);
                        case RATE_OF_CHANGE -> r.ratePerMinute() == null ? invalid(r, "no ratePerMinute")
                                : new RateEvaluator(r, info);
                        case SENSOR_FAULT -> new FaultEvaluator(r, info);
                        case TREND -> new TrendEvaluator(r, info);
                        case COMPOSITE -> new CompositeEvaluator(r, info, signals.get(signalKey(s, r.otherMetric())));
                        case OFFLINE -> null; // device-offline findings come from ingest; alerting applies the level
                        case POWER_OFF_OVERRIDE -> r.feeds().stream().filter(f -> f.feed().equals(s.id())).findFirst()
                                .map(f -> (RuleEvaluator) new PowerOffOverrideEvaluator(r, info, f, signals.get(sensorKey(f.methane()))))
                                .orElse(null); // a feed sensor the rule does not bind
                    };
                    if (e != null) {
                        evs.add(e);
                    }
                } catch (IllegalArgumentException e) {
                    LOG.warn("rule {} not applied to {}: {}", r.id(), s.id(), e.getMessage());
                    rejected.add(r.id() + ": " + e.getMessage());
                }
            }
            List<SiteSignal> feeds = new ArrayList<>();
            for (Map.Entry<String, SiteSignal> e : signals.entrySet()) {
                if (e.getKey().equals(signalKey(s, s.metric())) || e.getKey().equals(sensorKey(s.id()))) {
                    feeds.add(e.getValue());
                }
            }
            count += evs.size();
            devices.put(s.id(), new DeviceRules(info, evs.toArray(new RuleEvaluator[0]), feeds.toArray(new SiteSignal[0]),
                    previous.devices.get(s.id())));
        }
        return new RulePlan(Map.copyOf(devices), Map.copyOf(signals), count, List.copyOf(rejected));
    }

    private static RuleEvaluator invalid(RuleDef r, String why) {
        throw new IllegalArgumentException(r.type() + " rule " + r.id() + " has " + why);
    }

    private static String sensorKey(String sensorId) {
        return "sensor|" + sensorId;
    }

    private static String signalKey(Sensor s, String metric) {
        return s.site() + "|" + metric;
    }

    private static SensorInfo info(Deployment d, Sensor s) {
        MetricDef m = d.metrics().get(s.metric());
        String unit = s.unit() != null ? s.unit() : m == null ? null : m.unit();
        ValueRange range = s.range() != null ? s.range() : m == null ? null : m.range();
        String zh = m == null || m.nameZh() == null ? s.metric() : m.nameZh();
        String en = m == null || m.nameEn() == null ? s.metric() : m.nameEn();
        return new SensorInfo(s.id(), s.site(), s.metric(), s.deviceClass(), unit, range, zh, en);
    }
}
