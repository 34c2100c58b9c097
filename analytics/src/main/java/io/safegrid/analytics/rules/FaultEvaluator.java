package io.safegrid.analytics.rules;

import io.safegrid.config.RuleDef;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.reading.DataFlag;
import java.util.Map;

/**
 * A sensor that cannot be trusted: a value outside its valid range, a fault/over-range data flag
 * (D, T), or the very same value for {@code stuckFor}. Judges every reading, whatever its flag.
 */
final class FaultEvaluator extends RuleEvaluator {
    private final long stuckForMs;
    private final Level level;
    private double stuckValue = Double.NaN;
    private long stuckSince;

    FaultEvaluator(RuleDef def, SensorInfo sensor) {
        super(def, sensor);
        this.stuckForMs = def.stuckFor() == null ? 0 : def.stuckFor().toMillis();
        this.level = levelOr(def.level(), Level.BLUE);
    }

    @Override
    FindingKind kind() { return FindingKind.SENSOR_FAULT; }

    @Override
    Finding evaluate(double v, DataFlag flag, long t) {
        if (Double.compare(v, stuckValue) != 0) {
            stuckValue = v;
            stuckSince = t;
        }
        String cause = null;
        if (flag == DataFlag.D || flag == DataFlag.T) {
            cause = "flag-" + flag.name();
        } else if (Double.isNaN(v) || (sensor.range() != null && !sensor.range().contains(v))) {
            cause = "out-of-range";
        } else if (stuckForMs > 0 && t - stuckSince >= stuckForMs) {
            cause = "stuck";
        }
        if (active == null && cause != null) {
            active = level;
            String zh = switch (cause) {
                case "stuck" -> "数值长时间不变（" + (stuckForMs / 1000) + " 秒）";
                case "out-of-range" -> "超出量程 " + range();
                default -> "数据标记 " + flag.name() + " " + flag.labelZh();
            };
            String en = switch (cause) {
                case "stuck" -> "stuck at the same value for " + (stuckForMs / 1000) + " s";
                case "out-of-range" -> "outside its valid range " + range();
                default -> "data flag " + flag.name() + " " + flag.labelEn();
            };
            return finding(Condition.ACTIVE, level, v, Double.NaN, t, zh, en, Map.of("cause", cause));
        }
        if (active != null && cause == null) {
            Level was = active;
            active = null;
            return finding(Condition.CLEARED, was, v, Double.NaN, t, "传感器恢复正常", "sensor back to normal", null);
        }
        return null;
    }

    private String range() {
        return sensor.range() == null ? "" : "[" + fmt(sensor.range().min()) + ", " + fmt(sensor.range().max()) + "]";
    }
}
