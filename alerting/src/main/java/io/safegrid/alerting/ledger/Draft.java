package io.safegrid.alerting.ledger;

import io.safegrid.alerting.outbox.Pending;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.Silence;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.grid.GridPath;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The decisions of one change of the alarm state, as the lifecycle, inhibition, escalation and
 * handling make them: alarms saved with their timeline lines, timers, site inhibition, silences and
 * the notifications they cause. A decision reads {@link #memory()} (which shows its own earlier
 * decisions) and writes nothing to the store: the {@link AlarmLedger} commits the draft, store rows
 * and outbox rows in one transaction, and puts memory back if that fails.
 */
public final class Draft {
    /** The actor of what the node decides by itself. */
    public static final String SYSTEM = "system";

    @FunctionalInterface
    interface StoreWrite {
        void apply(AlarmStore s) throws SQLException;
    }

    @FunctionalInterface
    interface RowWrite {
        void apply(AlarmStore s) throws SQLException;
    }

    private final OpenAlarms memory;
    private final AlarmStore store;
    private final Clock clock;
    private long seq;
    /** The highest notification row id this change inserted. */
    long maxRowId;
    final List<StoreWrite> writes = new ArrayList<>();
    final List<AlarmEvent> events = new ArrayList<>();
    final List<Pending> notices = new ArrayList<>();
    /** Channels whose next due notification this transaction claims (a send ended, or the poller found work). */
    final Set<String> pulls = new LinkedHashSet<>();
    /** What to do once the change is committed (metrics); dropped with it. */
    final List<Runnable> onCommit = new ArrayList<>();

    Draft(OpenAlarms memory, AlarmStore store, Clock clock, long lastSeq) {
        this.memory = memory;
        this.store = store;
        this.clock = clock;
        this.seq = lastSeq;
    }

    /** The open alarms as they stand with this draft's decisions so far. */
    public OpenAlarms memory() {
        return memory;
    }

    /** True while a stand-in in memory holds the alarms (the file store failed). */
    public boolean standIn() {
        return store.isMemory();
    }

    /** An alarm by id: open ones from memory, closed ones from the store. */
    public Alarm find(String alarmId) throws SQLException {
        Alarm a = memory.open(alarmId);
        if (a == null) {
            a = store.alarm(alarmId).orElseThrow(() -> new NoSuchElementException("no alarm " + alarmId));
        }
        return a;
    }

    /** The alarm as it is now, and a line of {@code type} on its timeline; returns the line. */
    public AlarmEvent save(Alarm a, AlarmEvent.Type type, String actor, String note) {
        AlarmEvent e = line(a, type, actor, note);
        writes.add(s -> s.upsert(a));
        memory.saved(a);
        return e;
    }

    /** Only a line on the alarm's timeline (the alarm row stays as it is). */
    public AlarmEvent line(Alarm a, AlarmEvent.Type type, String actor, String note) {
        AlarmEvent e = new AlarmEvent(++seq, type, a.id(), clock.instant(), actor, note, a);
        writes.add(s -> s.append(e));
        events.add(e);
        return e;
    }

    /** The alarm is now the active one for its key: later findings with that key update it. */
    public void activate(Alarm a) {
        memory.activate(a.key(), a.id());
    }

    /** The alarm is no longer the active one for its key. */
    public void deactivate(Alarm a) {
        memory.deactivate(a.key(), a.id());
    }

    /** The escalation timer: the rung reached, and when to climb ({@code Escalator.NEVER}: stopped). */
    public void setTimer(String alarmId, int rung, Instant due) {
        memory.timer(alarmId, new EscalationDue(rung, due));
        writes.add(s -> s.setEscalation(alarmId, rung, due));
    }

    public void dropTimer(String alarmId) {
        memory.dropTimer(alarmId);
        writes.add(s -> s.clearEscalation(alarmId));
    }

    /** A site-offline alarm now inhibits the device-offline alarms of its enterprise. */
    public void inhibit(GridPath enterprise, String siteAlarmId) {
        memory.siteAlarm(enterprise, siteAlarmId);
    }

    /** The enterprise's site alarm ended; returns the device-offline findings folded into it meanwhile. */
    public Collection<Finding> endInhibition(GridPath enterprise) {
        return memory.endSiteAlarm(enterprise).values();
    }

    /** A device-offline finding (or its clearing) under an offline site: kept with the site alarm. */
    public void fold(GridPath enterprise, Finding f) {
        memory.fold(enterprise, f);
    }

    /** A closed alarm inhibits nothing any more. */
    public void forgetInhibition(String alarmId) {
        memory.forgetSiteAlarm(alarmId);
    }

    public Silence silence(String deviceId, GridPath node, String user, String reason, Instant expiresAt) {
        Silence s = memory.createSilence(deviceId, node, user, reason, expiresAt, clock.instant());
        writes.add(st -> st.upsert(s));
        return s;
    }

    public Silence endSilence(String silenceId, String user) {
        Silence s = memory.endSilence(silenceId, user, clock.instant());
        writes.add(st -> st.upsert(s));
        return s;
    }

    /** A notification to store with this change: it exists exactly when the change does. */
    public void notify(Pending p) {
        notices.add(p);
    }

    /** Changes a notification row in this transaction. */
    void row(RowWrite w) {
        writes.add(w::apply);
    }

    /** Claims the channel's next due notification in this transaction. */
    void pull(String channelId) {
        pulls.add(channelId);
    }

    /** Runs {@code r} once the change is committed and its notifications are handed to the senders. */
    public void onCommit(Runnable r) {
        onCommit.add(r);
    }

    boolean isEmpty() {
        return writes.isEmpty() && notices.isEmpty() && pulls.isEmpty();
    }

    long lastSeq() {
        return seq;
    }
}
