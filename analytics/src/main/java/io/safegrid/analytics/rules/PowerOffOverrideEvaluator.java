package io.safegrid.analytics.rules;

import io.safegrid.config.RuleDef;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.reading.DataFlag;
import java.util.Map;

/**
 * On a power-off controller's feed channel (馈电状态: 1 power on, 0 cut): power still on, or restored,
 * while the bound methane sensor's latest valid value is at or above that place's power-off limit,
 * for the rule's minimum duration (default 2 s, the time AQ 1029 gives the controller to act). Judged
 * on each feed reading, which the substation reports every polling cycle with the methane. Clears
 * when power is cut or the methane falls below the limit.
 */
final class PowerOffOverrideEvaluator extends RuleEvaluator {
    private final SiteSignal methane;
    private final RuleDef.FeedBinding binding;
    private final long minMillis;
    private final Level level;
    /** When the override began, or -1 while it does not hold. */
    private long since = -1;

    PowerOffOverrideEvaluator(RuleDef def, SensorInfo sensor, RuleDef.FeedBinding binding, SiteSignal methane) {
        super(def, sensor);
        this.binding = binding;
        this.methane = methane;
        this.minMillis = def.minDuration().toMillis();
        this.level = levelOr(def.level(), Level.RED);
    }

    @Override
    FindingKind kind() { return FindingKind.POWER_OFF_OVERRIDE; }

    @Override
    void inherit(RuleEvaluator previous) {
        super.inherit(previous);
        this.since = ((PowerOffOverrideEvaluator) previous).since;
    }

    @Override
    Finding evaluate(double v, DataFlag flag, long t) {
        if (!flag.isValid()) {
            return null;
        }
        double m = methane.value;
        boolean powered = v >= 0.5;
        boolean holds = powered && !Double.isNaN(m) && m >= binding.powerOff();
        if (!holds) {
            since = -1;
            if (active == null) {
                return null;
            }
            Level was = active;
            active = null;
            return finding(Condition.CLEARED, was, v, Double.NaN, t,
                    powered ? "甲烷 " + fmt(m) + "% 已低于断电值" : "已断电",
                    powered ? "methane " + fmt(m) + " % below the power-off limit" : "power cut", details(m));
        }
        if (since < 0) {
            since = t;
        }
        if (active != null || t - since < minMillis) {
            return null;
        }
        active = level;
        return finding(Condition.ACTIVE, level, v, binding.powerOff(), t,
                "仍有电，而甲烷 " + fmt(m) + "% 已达断电值 " + fmt(binding.powerOff()) + "%（" + binding.methane() + "）",
                "power still on while methane is " + fmt(m) + " %, at or above the power-off limit of "
                        + fmt(binding.powerOff()) + " % (" + binding.methane() + ")", details(m));
    }

    private Map<String, String> details(double m) {
        return Map.of("methaneSensor", binding.methane(), "methane", fmt(m), "powerOffLimit", fmt(binding.powerOff()));
    }
}
