package io.safegrid.analytics.video;

import io.safegrid.model.Level;
import io.safegrid.model.device.Zone;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.util.Map;

/**
 * An analyzer's judgement on one frame: a condition that has begun (or been raised in level), or
 * one that has ended. Analyzers only report changes, never "still there".
 *
 * @param zone      the camera zone it concerns, or null for the whole picture
 * @param box       where in the picture (analysis pixels), or null
 * @param value     the measure judged (area fraction, people count, blur ratio …)
 * @param threshold the limit it was judged against
 * @param time      stream time of the frame, seconds
 * @param messageKey  the {@link io.safegrid.model.text.Texts} key of what it says ({@code message} is the
 *                    English of it, for logs); null: the finding says its kind
 * @param messageArgs the key's parameters
 */
public record Detection(FindingKind kind, Level level, Condition condition, Zone zone, Box box, double value,
                        double threshold, String message, double time, String messageKey,
                        Map<String, String> messageArgs) {

    public Detection {
        messageArgs = messageArgs == null ? Map.of() : Map.copyOf(messageArgs);
    }

    /** A detection that says its kind (and zone) only. */
    public Detection(FindingKind kind, Level level, Condition condition, Zone zone, Box box, double value,
                     double threshold, String message, double time) {
        this(kind, level, condition, zone, box, value, threshold, message, time, null, null);
    }

    /** A detection whose text is {@code key} with {@code args}; {@code message} is its English, for the log. */
    public static Detection said(FindingKind kind, Level level, Condition condition, Zone zone, Box box, double value,
                                 double threshold, double time, String key, Map<String, String> args) {
        return new Detection(kind, level, condition, zone, box, value, threshold,
                io.safegrid.model.text.Texts.render(key, args, "en"), time, key, args);
    }

    /** The parameter that names a detected object ({@code person}, {@code car} …) in the reader's language. */
    public static String object(String label) {
        String key = "object." + (label == null ? "object" : label.replace(' ', '-'));
        return io.safegrid.model.text.Texts.has(key) ? "@" + key : label;
    }

    public boolean isActive() { return condition == Condition.ACTIVE; }

    /** What one alarm is about: the kind and the zone. */
    public String key() { return kind + (zone == null ? "" : "|" + zone.name()); }
}
