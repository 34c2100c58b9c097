package io.safegrid.analytics.rules;

import io.safegrid.config.RuleDef;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.reading.DataFlag;
import java.util.Map;

/**
 * How fast a value moves, as the least-squares slope over a window ({@code minDuration}, default
 * one minute), at {@code level} (default yellow). A slope rather than the step between two
 * readings, because a sensor's noise between consecutive samples easily exceeds any useful limit
 * when it reports every second. Clears below 80 % of the limit so that it does not flap.
 */
final class RateEvaluator extends RuleEvaluator {
    static final long DEFAULT_WINDOW_MS = 60_000;
    private static final double CLEAR_FRACTION = 0.8;
    private final double limitPerMinute;
    private final Level level;
    private final SlopeWindow window;
    private final long windowMs;

    RateEvaluator(RuleDef def, SensorInfo sensor) {
        super(def, sensor);
        this.limitPerMinute = def.ratePerMinute();
        this.level = levelOr(def.level(), Level.YELLOW);
        this.windowMs = def.minDuration().isZero() ? DEFAULT_WINDOW_MS : def.minDuration().toMillis();
        this.window = new SlopeWindow(windowMs);
    }

    @Override
    FindingKind kind() { return FindingKind.RATE_OF_CHANGE; }

    @Override
    Finding evaluate(double v, DataFlag flag, long t) {
        if (!flag.isValid()) {
            return null;
        }
        window.add(t, v);
        // judge only once the samples cover most of the window, so two readings cannot make a trend
        if (window.size() < 3 || window.span() < windowMs / 2) {
            return null;
        }
        double rate = Math.abs(window.slopePerMs()) * 60_000.0;
        if (Double.isNaN(rate)) {
            return null;
        }
        if (active == null && rate >= limitPerMinute) {
            active = level;
            return finding(Condition.ACTIVE, level, rate, limitPerMinute, t,
                    "变化速率 " + fmt(rate) + "/分钟 ≥ " + fmt(limitPerMinute),
                    "changing " + fmt(rate) + "/min ≥ " + fmt(limitPerMinute), Map.of("reading", fmt(v)));
        }
        if (active != null && rate < limitPerMinute * CLEAR_FRACTION) {
            Level was = active;
            active = null;
            return finding(Condition.CLEARED, was, rate, limitPerMinute, t, "变化速率恢复正常", "rate back to normal",
                    Map.of("reading", fmt(v)));
        }
        return null;
    }
}
