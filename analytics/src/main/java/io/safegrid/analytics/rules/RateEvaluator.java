package io.safegrid.analytics.rules;

import io.safegrid.config.RuleDef;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.reading.DataFlag;
import java.util.Map;

/** Absolute change per minute between consecutive valid readings, at {@code level} (default yellow). */
final class RateEvaluator extends RuleEvaluator {
    private final double limitPerMinute;
    private final Level level;
    private double prevValue = Double.NaN;
    private long prevTime;

    RateEvaluator(RuleDef def, SensorInfo sensor) {
        super(def, sensor);
        this.limitPerMinute = def.ratePerMinute();
        this.level = levelOr(def.level(), Level.YELLOW);
    }

    @Override
    FindingKind kind() { return FindingKind.RATE_OF_CHANGE; }

    @Override
    Finding evaluate(double v, DataFlag flag, long t) {
        if (!flag.isValid()) {
            return null;
        }
        double before = prevValue;
        long beforeT = prevTime;
        prevValue = v;
        prevTime = t;
        if (Double.isNaN(before) || t <= beforeT) {
            return null;
        }
        double rate = Math.abs(v - before) * 60_000.0 / (t - beforeT);
        if (active == null && rate >= limitPerMinute) {
            active = level;
            return finding(Condition.ACTIVE, level, rate, limitPerMinute, t,
                    "变化速率 " + fmt(rate) + "/分钟 ≥ " + fmt(limitPerMinute),
                    "changing " + fmt(rate) + "/min ≥ " + fmt(limitPerMinute), Map.of("reading", fmt(v)));
        }
        if (active != null && rate < limitPerMinute) {
            Level was = active;
            active = null;
            return finding(Condition.CLEARED, was, rate, limitPerMinute, t, "变化速率恢复正常", "rate back to normal",
                    Map.of("reading", fmt(v)));
        }
        return null;
    }
}
