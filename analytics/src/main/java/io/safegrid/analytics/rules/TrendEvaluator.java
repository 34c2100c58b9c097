package io.safegrid.analytics.rules;

import io.safegrid.config.RuleDef;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.reading.DataFlag;
import java.time.Instant;
import java.util.Map;

/**
 * Early warning: fits a line to the recent series (window = {@code minDuration}, else {@code horizon})
 * and warns while it is rising and will reach {@code above[level]} within {@code horizon}, before
 * it does. Stays active while the value is over the limit (the threshold rule owns that alarm);
 * clears once the projection no longer reaches the limit in time.
 */
final class TrendEvaluator extends RuleEvaluator {
    static final int MIN_SAMPLES = 5;
    private final double limit;
    private final long horizonMs;
    private final Level level;
    private final SlopeWindow window;

    TrendEvaluator(RuleDef def, SensorInfo sensor) {
        super(def, sensor);
        this.level = levelOr(def.level(), Level.YELLOW);
        Double l = def.above().get(level);
        if (l == null) {
            l = def.above().values().stream().min(Double::compare)
                    .orElseThrow(() -> new IllegalArgumentException("TREND rule " + def.id() + " needs an above limit"));
        }
        this.limit = l;
        if (def.horizon() == null || def.horizon().isZero() || def.horizon().isNegative()) {
            throw new IllegalArgumentException("TREND rule " + def.id() + " needs a positive horizon");
        }
        this.horizonMs = def.horizon().toMillis();
        this.window = new SlopeWindow(def.minDuration().isZero() ? horizonMs : def.minDuration().toMillis());
    }

    @Override
    FindingKind kind() { return FindingKind.TREND; }

    @Override
    Finding evaluate(double v, DataFlag flag, long t) {
        if (!flag.isValid()) {
            return null;
        }
        window.add(t, v);
        double slope = window.slopePerMs();
        boolean enough = window.size() >= MIN_SAMPLES && slope > 0;
        double msToCross = enough ? Math.max(0, (limit - window.fitted()) / slope) : Double.POSITIVE_INFINITY;
        boolean warn = v < limit && msToCross <= horizonMs;
        if (active == null && warn) {
            active = level;
            Instant at = Instant.ofEpochMilli(t + (long) msToCross);
            double perMin = slope * 60_000;
            return finding(Condition.ACTIVE, level, v, limit, t,
                    "上升趋势，预计 " + Math.round(msToCross / 60_000.0) + " 分钟内达到 " + fmt(limit),
                    "rising, projected to reach " + fmt(limit) + " in " + Math.round(msToCross / 60_000.0) + " min",
                    Map.of("projectedCrossingAt", at.toString(), "slopePerMinute", fmt(perMin),
                            "horizon", def.horizon().toString()));
        }
        if (active != null && !warn && v < limit) {
            Level was = active;
            active = null;
            return finding(Condition.CLEARED, was, v, limit, t, "上升趋势解除", "no longer projected to reach the limit",
                    null);
        }
        return null;
    }
}
