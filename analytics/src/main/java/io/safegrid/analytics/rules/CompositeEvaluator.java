package io.safegrid.analytics.rules;

import io.safegrid.config.RuleDef;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.reading.DataFlag;
import java.time.Duration;
import java.util.Map;

/**
 * {@code metric} rising (least-squares slope over {@code horizon}, default 5 min, above
 * {@code ratePerMinute} or 0) while {@code otherMetric} at the same site equals {@code otherValue},
 * e.g. methane rising while the ventilation fan reports 0 (off). With an {@code above} limit, the
 * value must also have reached it. Level defaults to orange.
 */
final class CompositeEvaluator extends RuleEvaluator {
    static final int MIN_SAMPLES = 3;
    private final SiteSignal other;
    private final double otherValue;
    private final double minSlopePerMs;
    private final double floor;
    private final Level level;
    private final SlopeWindow window;

    CompositeEvaluator(RuleDef def, SensorInfo sensor, SiteSignal other) {
        super(def, sensor);
        if (def.otherMetric() == null || def.otherValue() == null) {
            throw new IllegalArgumentException("COMPOSITE rule " + def.id() + " needs otherMetric and otherValue");
        }
        this.other = other;
        this.otherValue = def.otherValue();
        this.minSlopePerMs = def.ratePerMinute() == null ? 0 : def.ratePerMinute() / 60_000.0;
        this.floor = def.above().values().stream().min(Double::compare).orElse(Double.NEGATIVE_INFINITY);
        this.level = levelOr(def.level(), Level.ORANGE);
        Duration w = def.horizon() == null ? Duration.ofMinutes(5) : def.horizon();
        this.window = new SlopeWindow(w.toMillis());
    }

    @Override
    FindingKind kind() { return FindingKind.COMPOSITE; }

    @Override
    Finding evaluate(double v, DataFlag flag, long t) {
        if (!flag.isValid()) {
            return null;
        }
        window.add(t, v);
        double o = other.value;
        boolean rising = window.size() >= MIN_SAMPLES && window.slopePerMs() > minSlopePerMs;
        boolean holds = rising && v >= floor && Math.abs(o - otherValue) < 1e-9;
        if (active == null && holds) {
            active = level;
            return finding(Condition.ACTIVE, level, v, floor == Double.NEGATIVE_INFINITY ? Double.NaN : floor, t,
                    "上升，同时" + def.otherMetric() + " = " + fmt(otherValue),
                    "rising while " + def.otherMetric() + " = " + fmt(otherValue),
                    Map.of("otherMetric", def.otherMetric(), "otherValue", fmt(o),
                            "slopePerMinute", fmt(window.slopePerMs() * 60_000)));
        }
        if (active != null && !holds) {
            Level was = active;
            active = null;
            return finding(Condition.CLEARED, was, v, Double.NaN, t, "组合条件解除", "combined condition ended",
                    Map.of("otherMetric", def.otherMetric(), "otherValue", fmt(o)));
        }
        return null;
    }
}
