package io.safegrid.model.finding;

import io.safegrid.model.Level;
import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A judgement: an unsafe condition at a device (or its end), with the evidence for it.
 * Findings are never dropped by the bus. Alerting keys alarms by {@link #alarmKey()}.
 *
 * @param sourceId  the device or camera id
 * @param rule      the rule or analyzer that judged, e.g. {@code methane-working-face}
 * @param zone      the camera zone, or null
 * @param value     the value judged (NaN when none)
 * @param threshold the limit it was judged against (NaN when none)
 * @param snapshot  JPEG evidence with the detection drawn on it, or null
 * @param details   anything else worth showing (metric, unit, projected time …)
 */
public record Finding(String id, FindingKind kind, Level level, Condition condition, String sourceId,
                      GridPath site, String rule, String zone, double value, double threshold, Instant time,
                      String message, byte[] snapshot, Map<String, String> details) {
    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(time, "time");
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** One active alarm per (source, rule, zone). */
    public String alarmKey() {
        return sourceId + "|" + rule + (zone == null ? "" : "|" + zone);
    }

    public boolean isActive() { return condition == Condition.ACTIVE; }
}
