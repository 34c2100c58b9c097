package io.safegrid.model.finding;

import io.safegrid.model.Level;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.text.Texts;
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
 * @param messageKey  the {@link io.safegrid.model.text.Texts} key of what it says, so each reader gets
 *                    it in their language; {@code message} is the same in Chinese and English together
 * @param messageArgs the key's parameters
 */
public record Finding(String id, FindingKind kind, Level level, Condition condition, String sourceId,
                      GridPath site, String rule, String zone, double value, double threshold, Instant time,
                      String message, byte[] snapshot, Map<String, String> details, String messageKey,
                      Map<String, String> messageArgs) {
    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(time, "time");
        details = details == null ? Map.of() : Map.copyOf(details);
        if (messageKey == null) {
            messageKey = defaultKey(zone, condition);
            messageArgs = defaultArgs(kind, zone);
        }
        messageArgs = messageArgs == null ? Map.of() : Map.copyOf(messageArgs);
    }

    /** A finding whose producer names no message key: it says its kind (and zone) in the reader's language. */
    public Finding(String id, FindingKind kind, Level level, Condition condition, String sourceId, GridPath site,
                   String rule, String zone, double value, double threshold, Instant time, String message,
                   byte[] snapshot, Map<String, String> details) {
        this(id, kind, level, condition, sourceId, site, rule, zone, value, threshold, time, message, snapshot, details,
                null, null);
    }

    /** The same finding at another level (alerting's level overrides keep what it says). */
    public Finding withLevel(Level other) {
        return new Finding(id, kind, other, condition, sourceId, site, rule, zone, value, threshold, time, message,
                snapshot, details, messageKey, messageArgs);
    }

    /** The same finding without its picture (links with a size limit). */
    public Finding withoutSnapshot() {
        return new Finding(id, kind, level, condition, sourceId, site, rule, zone, value, threshold, time, message,
                null, details, messageKey, messageArgs);
    }

    /** What it says in {@code lang} ({@code zh} or {@code en}). */
    public String text(String lang) {
        return Texts.render(messageKey, messageArgs, lang);
    }

    private static String defaultKey(String zone, Condition condition) {
        return "finding.default" + (zone == null ? "" : ".zone") + (condition == Condition.CLEARED ? ".cleared" : "");
    }

    private static Map<String, String> defaultArgs(FindingKind kind, String zone) {
        return zone == null ? Map.of("kind", "@kind." + kind.name()) : Map.of("kind", "@kind." + kind.name(), "zone", zone);
    }

    /** One active alarm per (source, rule, zone). */
    public String alarmKey() {
        return sourceId + "|" + rule + (zone == null ? "" : "|" + zone);
    }

    public boolean isActive() { return condition == Condition.ACTIVE; }
}
