package io.safegrid.analytics.rules;

import io.safegrid.config.RuleDef;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.reading.DataFlag;
import java.util.Map;

/**
 * Limits above and/or below per level, with hysteresis and a minimum duration.
 * <ul>
 *   <li>Raised at the highest level whose limit the value reaches, once it has held for {@code minDuration}
 *       (measured on reading time).</li>
 *   <li>A rise while active also waits {@code minDuration}; a fall takes effect at once, but never below
 *       the side's lowest level until the value passes the clear value.</li>
 *   <li>Clear value: {@code clear} when it lies on the safe side of the lowest limit, else the lowest limit.</li>
 * </ul>
 */
final class ThresholdEvaluator extends RuleEvaluator {
    // indexed by Level.ordinal(); NaN where the level has no limit on that side
    private final double[] above = new double[4];
    private final double[] below = new double[4];
    private final Level lowestAbove;
    private final Level lowestBelow;
    private final double clearAbove;
    private final double clearBelow;
    private final long minDurationMs;
    private boolean activeAbove;
    private Level pending;
    private long pendingSince;

    ThresholdEvaluator(RuleDef def, SensorInfo sensor) {
        super(def, sensor);
        java.util.Arrays.fill(above, Double.NaN);
        java.util.Arrays.fill(below, Double.NaN);
        Level la = null;
        Level lb = null;
        for (Map.Entry<Level, Double> e : def.above().entrySet()) {
            above[e.getKey().ordinal()] = e.getValue();
            la = la == null || e.getKey().compareTo(la) < 0 ? e.getKey() : la;
        }
        for (Map.Entry<Level, Double> e : def.below().entrySet()) {
            below[e.getKey().ordinal()] = e.getValue();
            lb = lb == null || e.getKey().compareTo(lb) < 0 ? e.getKey() : lb;
        }
        lowestAbove = la;
        lowestBelow = lb;
        double lowAbove = la == null ? Double.NaN : above[la.ordinal()];
        double highBelow = lb == null ? Double.NaN : below[lb.ordinal()];
        Double c = def.clear();
        clearAbove = c != null && c <= lowAbove ? c : lowAbove;
        clearBelow = c != null && c >= highBelow ? c : highBelow;
        minDurationMs = def.minDuration().toMillis();
    }

    @Override
    FindingKind kind() { return FindingKind.THRESHOLD; }

    @Override
    void inherit(RuleEvaluator previous) {
        super.inherit(previous);
        if (previous instanceof ThresholdEvaluator t) {
            activeAbove = t.activeAbove;
            pending = t.pending;
            pendingSince = t.pendingSince;
        }
        if (active != null && (activeAbove ? lowestAbove == null : lowestBelow == null)) {
            active = null; // the side that raised it is gone; the next reading decides afresh
        }
    }

    @Override
    void resume(Level level, double value, double threshold) {
        super.resume(level, value, threshold);
        pending = null;
        if (lowestAbove == null || lowestBelow == null) {
            activeAbove = lowestAbove != null;
        } else if (threshold == above[level.ordinal()] || threshold == below[level.ordinal()]) {
            activeAbove = threshold == above[level.ordinal()];
        } else {
            activeAbove = value >= clearAbove;
        }
    }

    /** The highest level whose limit the value reaches on either side, or null. */
    private Level raw(double v) {
        for (int i = 3; i >= 0; i--) {
            if (v >= above[i] || v <= below[i]) { // NaN limits compare false
                return Level.values()[i];
            }
        }
        return null;
    }

    private boolean rawAbove(double v, Level l) {
        return v >= above[l.ordinal()];
    }

    @Override
    Finding evaluate(double v, DataFlag flag, long t) {
        if (!flag.isValid()) {
            return null;
        }
        Level r = raw(v);
        if (active == null) {
            if (r == null || !held(r, t)) {
                if (r == null) {
                    pending = null;
                }
                return null;
            }
            active = r;
            activeAbove = rawAbove(v, r);
            return raise(v, t, true);
        }
        boolean holds = activeAbove ? v >= clearAbove : v <= clearBelow;
        if (!holds) {
            Level was = active;
            active = null;
            pending = null;
            double clearAt = activeAbove ? clearAbove : clearBelow;
            return finding(Condition.CLEARED, was, v, clearAt, t, (activeAbove ? "回落至 " : "回升至 ") + fmt(clearAt)
                    + (activeAbove ? " 以下" : " 以上"), (activeAbove ? "back below " : "back above ") + fmt(clearAt), null);
        }
        Level target = r == null || rawAbove(v, r) != activeAbove ? (activeAbove ? lowestAbove : lowestBelow) : r;
        int cmp = target.compareTo(active);
        if (cmp > 0) {
            if (!held(target, t)) {
                return null;
            }
            active = target;
            return raise(v, t, false);
        }
        pending = null;
        if (cmp < 0) {
            active = target;
            return raise(v, t, false);
        }
        return null;
    }

    /** True once a level above the current one has held for minDuration. */
    private boolean held(Level target, long t) {
        if (minDurationMs <= 0) {
            return true;
        }
        if (pending == null) {
            pending = target;
            pendingSince = t;
        } else {
            pending = target;
        }
        if (t - pendingSince >= minDurationMs) {
            pending = null;
            return true;
        }
        return false;
    }

    private Finding raise(double v, long t, boolean first) {
        double limit = activeAbove ? above[active.ordinal()] : below[active.ordinal()];
        String op = activeAbove ? "≥ " : "≤ ";
        return finding(Condition.ACTIVE, active, v, limit, t, (activeAbove ? "超限 " : "低于下限 ") + op + fmt(limit),
                (activeAbove ? "over limit " : "under limit ") + op + fmt(limit),
                first ? null : Map.of("levelChange", "true"));
    }
}
