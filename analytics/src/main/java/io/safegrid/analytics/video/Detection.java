package io.safegrid.analytics.video;

import io.safegrid.model.Level;
import io.safegrid.model.device.Zone;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;

/**
 * An analyzer's judgement on one frame: a condition that has begun (or been raised in level), or
 * one that has ended. Analyzers only report changes, never "still there".
 *
 * @param zone      the camera zone it concerns, or null for the whole picture
 * @param box       where in the picture (analysis pixels), or null
 * @param value     the measure judged (area fraction, people count, blur ratio …)
 * @param threshold the limit it was judged against
 * @param time      stream time of the frame, seconds
 */
public record Detection(FindingKind kind, Level level, Condition condition, Zone zone, Box box, double value,
                        double threshold, String message, double time) {

    public boolean isActive() { return condition == Condition.ACTIVE; }

    /** What one alarm is about: the kind and the zone. */
    public String key() { return kind + (zone == null ? "" : "|" + zone.name()); }
}
