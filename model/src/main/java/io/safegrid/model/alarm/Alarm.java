package io.safegrid.model.alarm;

import io.safegrid.model.Level;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.time.Instant;

/**
 * The state of one alarm as alerting keeps it: one per active (source, rule), updated by repeats.
 *
 * @param key        {@link io.safegrid.model.finding.Finding#alarmKey()}
 * @param count      how many findings have fed it
 * @param peakValue  the worst value seen while active
 * @param acknowledged whether somebody answered; an alarm can be cleared without being acknowledged
 * @param assignee   who handles it, or null
 */
public record Alarm(String id, String key, FindingKind kind, Level level, Level peakLevel, AlarmState state,
                    boolean acknowledged, String sourceId, GridPath site, String rule, String message,
                    double value, double peakValue, double threshold, int count, Instant raisedAt,
                    Instant lastSeen, Instant updatedAt, String assignee) {
}
