package io.safegrid.analytics.rules;

import io.safegrid.config.RuleDef;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.text.Texts;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.reading.DataFlag;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One rule applied to one sensor, with that sensor's state in plain fields. The bus hands one
 * device's readings over one at a time and in order (on the in-process bus, under its partition's
 * lock, on whichever ingest thread published the reading), so no two threads touch it at once.
 * {@link #evaluate} returns null when nothing changed, so a quiet reading allocates nothing.
 */
abstract class RuleEvaluator {
    final RuleDef def;
    final SensorInfo sensor;
    /** The level of the finding now active, or null when the condition does not hold. */
    Level active;

    RuleEvaluator(RuleDef def, SensorInfo sensor) {
        this.def = def;
        this.sensor = sensor;
    }

    abstract FindingKind kind();

    abstract Finding evaluate(double value, DataFlag flag, long timeMillis);

    /** Takes over the state of the same rule from the previous config, so a reload does not re-raise. */
    void inherit(RuleEvaluator previous) {
        this.active = previous.active;
    }

    /**
     * Takes up a condition alerting still holds open from before a restart: active at {@code level}
     * (the alarm's last value and limit tell a threshold's side), so the next reading that no
     * longer meets it clears the alarm, and one that still does raises nothing twice.
     */
    void resume(Level level, double value, double threshold) {
        this.active = level;
    }

    /** A CLEARED finding for when this rule stops applying (removed or changed type on reload). */
    Finding retire(long timeMillis) {
        if (active == null) {
            return null;
        }
        Level was = active;
        active = null;
        return finding(Condition.CLEARED, was, Double.NaN, Double.NaN, timeMillis,
                "规则已变更，告警解除", "rule changed or removed, condition cleared", null);
    }

    final Finding finding(Condition condition, Level level, double value, double threshold, long timeMillis,
                          String zh, String en, Map<String, String> extra) {
        Map<String, String> details = new HashMap<>();
        details.put("metric", sensor.metric());
        if (sensor.unit() != null) {
            details.put("unit", sensor.unit());
        }
        if (sensor.site() != null) {
            details.put("gridPath", sensor.site().toString());
        }
        if (sensor.deviceClass() != null) {
            details.put("deviceClass", sensor.deviceClass());
        }
        details.put("ruleType", def.type().name());
        if (extra != null) {
            details.putAll(extra);
        }
        // the rule's own phrase comes in both languages: it travels as a parameter of the one key
        Map<String, String> args = new HashMap<>();
        args.put("metric_zh", String.valueOf(sensor.metricZh()));
        args.put("metric_en", String.valueOf(sensor.metricEn()));
        args.put("value", fmt(value));
        args.put("unit", sensor.unit() == null ? "" : sensor.unit());
        args.put("what_zh", zh);
        args.put("what_en", en);
        args.put("state", condition == Condition.ACTIVE ? "@level." + level.name() : "@cleared");
        return new Finding(UUID.randomUUID().toString(), kind(), level, condition, sensor.deviceId(), sensor.site(),
                def.id(), null, value, threshold, Instant.ofEpochMilli(timeMillis),
                Texts.bilingual("sensor.finding", args), null, details, "sensor.finding", args);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    static Level levelOr(Level level, Level fallback) {
        return level == null ? fallback : level;
    }
}
