package io.safegrid.console;

import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmDesk;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmPage;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.alarm.Silence;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory {@link AlarmDesk} for the console's own unit tests only: it follows the desk's
 * documented contract (state rules, errors, events on ALARMS) so the console's scoping and HTTP
 * mapping can be tested without alerting. The real desk is tested in alerting and end to end in node.
 */
public final class FakeDesk implements AlarmDesk {
    private final Map<String, Alarm> alarms = new LinkedHashMap<>();
    private final Map<String, List<AlarmEvent>> timelines = new LinkedHashMap<>();
    private final List<Silence> silences = new ArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private final Clock clock;
    private volatile Bus bus;
    /** Every change the desk was asked for (acknowledge, comment, assign, close, silence, endSilence), in order. */
    public final List<String> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** When set, every change fails with it, as the real desk does when its store fails. */
    public volatile RuntimeException storeFailure;

    public FakeDesk(Clock clock) { this.clock = clock; }

    public FakeDesk publishTo(Bus bus) {
        this.bus = bus;
        return this;
    }

    /** Raises an alarm as alerting would on an ACTIVE finding. */
    public synchronized Alarm raise(String id, String sourceId, GridPath site, Level level, Instant raisedAt) {
        Alarm a = new Alarm(id, sourceId + "|rule", FindingKind.THRESHOLD, level, level, AlarmState.RAISED, false,
                sourceId, site, "rule", "甲烷超限 " + id, 1.2, 1.2, 1.0, 1, raisedAt, raisedAt, raisedAt, null);
        alarms.put(id, a);
        event(AlarmEvent.Type.RAISED, a, "system", null, raisedAt);
        return a;
    }

    @Override
    public synchronized AlarmPage list(AlarmQuery q) {
        List<Alarm> all = alarms.values().stream()
                .filter(a -> q.subtree() == null || (a.site() != null && a.site().isWithin(q.subtree())))
                .filter(a -> q.levels().isEmpty() || q.levels().contains(a.level()))
                .filter(a -> q.states().isEmpty() || q.states().contains(a.state()))
                .filter(a -> q.from() == null || !a.raisedAt().isBefore(q.from()))
                .filter(a -> q.to() == null || a.raisedAt().isBefore(q.to()))
                .sorted(Comparator.comparing(Alarm::raisedAt).reversed()).toList();
        return new AlarmPage(all.subList(Math.min(q.offset(), all.size()), Math.min(q.offset() + q.limit(), all.size())),
                all.size(), q.offset(), q.limit());
    }

    @Override
    public synchronized Optional<Alarm> get(String id) { return Optional.ofNullable(alarms.get(id)); }

    @Override
    public synchronized List<AlarmEvent> timeline(String id) {
        return List.copyOf(timelines.getOrDefault(require(id).id(), List.of()));
    }

    @Override
    public synchronized Alarm acknowledge(String id, String user, String note) {
        asked("acknowledge");
        Alarm a = require(id);
        if (a.acknowledged() || a.state() == AlarmState.CLOSED) {
            throw new IllegalStateException("alarm " + id + " is already acknowledged");
        }
        AlarmState s = a.state() == AlarmState.RAISED ? AlarmState.ACKNOWLEDGED : a.state();
        return change(a, s, true, a.assignee(), AlarmEvent.Type.ACKNOWLEDGED, user, note);
    }

    @Override
    public synchronized Alarm comment(String id, String user, String text) {
        asked("comment");
        Alarm a = require(id);
        return change(a, a.state(), a.acknowledged(), a.assignee(), AlarmEvent.Type.COMMENTED, user, text);
    }

    @Override
    public synchronized Alarm assign(String id, String user, String assignee) {
        asked("assign");
        Alarm a = require(id);
        return change(a, a.state(), a.acknowledged(), assignee, AlarmEvent.Type.ASSIGNED, user, assignee);
    }

    @Override
    public synchronized Alarm close(String id, String user, String note) {
        asked("close");
        Alarm a = require(id);
        if (note == null || note.isBlank()) {
            throw new IllegalArgumentException("a handling note is required to close an alarm");
        }
        if (!a.acknowledged()) {
            throw new IllegalStateException("alarm " + id + " must be acknowledged before it is closed");
        }
        return change(a, AlarmState.CLOSED, true, a.assignee(), AlarmEvent.Type.CLOSED, user, note);
    }

    @Override
    public synchronized Silence silence(String deviceId, GridPath node, String user, String reason, Instant expiresAt) {
        asked("silence");
        Silence s = new Silence("s-" + (silences.size() + 1), deviceId, node, user, reason, clock.instant(), expiresAt, null, null);
        silences.add(0, s);
        return s;
    }

    @Override
    public synchronized List<Silence> silences(boolean includeEnded) {
        return silences.stream().filter(s -> includeEnded || s.isActive(clock.instant())).toList();
    }

    @Override
    public synchronized Silence endSilence(String id, String user) {
        asked("endSilence");
        for (int i = 0; i < silences.size(); i++) {
            Silence s = silences.get(i);
            if (s.id().equals(id)) {
                Silence ended = new Silence(s.id(), s.deviceId(), s.node(), s.createdBy(), s.reason(), s.createdAt(),
                        s.expiresAt(), clock.instant(), user);
                silences.set(i, ended);
                return ended;
            }
        }
        throw new NoSuchElementException("no such silence: " + id);
    }

    private void asked(String change) {
        changes.add(change);
        RuntimeException e = storeFailure;
        if (e != null) {
            throw e;
        }
    }

    private Alarm require(String id) {
        Alarm a = alarms.get(id);
        if (a == null) {
            throw new NoSuchElementException("no such alarm: " + id);
        }
        return a;
    }

    private Alarm change(Alarm a, AlarmState state, boolean acked, String assignee, AlarmEvent.Type type, String user,
                         String note) {
        Instant now = clock.instant();
        Alarm b = new Alarm(a.id(), a.key(), a.kind(), a.level(), a.peakLevel(), state, acked, a.sourceId(), a.site(),
                a.rule(), a.message(), a.value(), a.peakValue(), a.threshold(), a.count(), a.raisedAt(), a.lastSeen(),
                now, assignee);
        alarms.put(a.id(), b);
        event(type, b, user, note, now);
        return b;
    }

    private void event(AlarmEvent.Type type, Alarm a, String actor, String note, Instant time) {
        AlarmEvent e = new AlarmEvent(seq.incrementAndGet(), type, a.id(), time, actor, note, a);
        timelines.computeIfAbsent(a.id(), k -> new ArrayList<>()).add(e);
        Bus b = bus;
        if (b != null) {
            b.offer(Topic.ALARMS, a.id(), e);
        }
    }
}
