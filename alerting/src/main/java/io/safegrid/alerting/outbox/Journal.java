package io.safegrid.alerting.outbox;

import io.safegrid.model.alarm.AlarmEvent;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the outbox writes a delivery's outcome: the alarm service's store, so that the outbox row
 * and the timeline event (NOTIFIED / NOTIFICATION_FAILED) commit together or not at all.
 */
public interface Journal {
    @FunctionalInterface
    interface Change {
        void apply(Connection c) throws SQLException;
    }

    /** In one transaction: applies {@code change} to the outbox table and appends the event to the alarm's timeline. */
    void record(String alarmId, AlarmEvent.Type type, String note, Change change);

    /** True once the alarm is closed (handled, with a handling note): what is still queued for it is dropped. */
    default boolean isClosed(String alarmId) {
        return false;
    }
}
