package io.safegrid.alerting.alarm;

import io.micrometer.core.instrument.Counter;
import io.safegrid.alerting.outbox.Delivery;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One open transaction: what it saved, held back until the commit and then published. Every
 * change of an alarm goes through {@link #save}, so the row, its timeline event and the memory
 * mirror move together.
 */
final class Tx {
    final AlarmStore store;
    final List<AlarmEvent> events = new ArrayList<>();
    /** Notification rows this transaction added: handed to the outbox once it committed. */
    final List<Delivery> staged = new ArrayList<>();
    private final OpenAlarms mirror;
    private final Clock clock;
    private final Map<AlarmEvent.Type, Counter> counters;

    Tx(AlarmStore store, OpenAlarms mirror, Clock clock, Map<AlarmEvent.Type, Counter> counters) {
        this.store = store;
        this.mirror = mirror;
        this.clock = clock;
        this.counters = counters;
    }

    /** Stores the alarm as it is now and a timeline event of {@code type}; returns the event. */
    AlarmEvent save(Alarm a, AlarmEvent.Type type, String actor, String note) throws SQLException {
        store.upsert(a);
        AlarmEvent e = store.append(type, a, clock.instant(), actor, note);
        mirror.saved(a);
        events.add(e);
        counters.get(type).increment();
        return e;
    }
}
