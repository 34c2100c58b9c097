package io.safegrid.model.alarm;

import java.time.Instant;

/**
 * One entry on an alarm's timeline, published on the bus so the console and the cascade see
 * every transition in order.
 *
 * @param actor who did it: a user name, or {@code system}
 * @param note  the comment, handling note, recipient or other detail; may be null
 * @param alarm the alarm as it stands after the event
 */
public record AlarmEvent(long sequence, Type type, String alarmId, Instant time, String actor, String note,
                         Alarm alarm) {
    public enum Type {
        RAISED, UPDATED, LEVEL_CHANGED, ACKNOWLEDGED, COMMENTED, ASSIGNED, ESCALATED, NOTIFIED, NOTIFICATION_FAILED,
        CLEARED, CLOSED, SILENCED
    }
}
