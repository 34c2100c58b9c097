package io.safegrid.alerting.alarm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.safegrid.alerting.escalation.EscalationLadder;
import io.safegrid.alerting.notify.Message;
import io.safegrid.alerting.notify.MessageRenderer;
import io.safegrid.alerting.outbox.Delivery;
import io.safegrid.alerting.outbox.Outbox;
import io.safegrid.alerting.outbox.Pending;
import io.safegrid.alerting.roster.DutyRoster;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.Deployment;
import io.safegrid.config.UserDef;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.alarm.Silence;
import io.safegrid.model.grid.GridPath;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is told about an alarm, and when it climbs the grid: the first notification up the ladder
 * by level, a rise that reaches new rungs, the escalation timer per unacknowledged alarm, and the
 * silences that keep everybody quiet. Notifications are stored in the outbox within the caller's
 * transaction.
 */
final class Escalator {
    private static final Logger LOG = LoggerFactory.getLogger(Escalator.class);
    static final Instant NEVER = Instant.ofEpochMilli(Long.MAX_VALUE);

    private final OpenAlarms mirror;
    private final Outbox notifications;
    private final Clock clock;
    private final Counter escalated;
    private final Counter notifyFailed;
    private final Timer lateness;

    Escalator(OpenAlarms mirror, Outbox notifications, Clock clock, MeterRegistry registry) {
        this.mirror = mirror;
        this.notifications = notifications;
        this.clock = clock;
        escalated = Counter.builder("safegrid.alarms.escalations").register(registry);
        notifyFailed = Counter.builder("safegrid.alarms.notifications").tag("result", "failed").register(registry);
        lateness = Timer.builder("safegrid.alarms.escalation.lateness")
                .description("how long after its due time an escalation fired").register(registry);
    }

    // ---------------------------------------------------------------- timers

    void setTimer(Tx tx, String alarmId, int rung, Instant due) throws SQLException {
        tx.store.setEscalation(alarmId, rung, due);
        mirror.put(mirror.escalations, alarmId, new EscalationDue(rung, due));
    }

    /** Somebody answered (or nobody needs to): the rung reached is kept, the clock stops. */
    void stopTimer(Tx tx, String alarmId) throws SQLException {
        EscalationDue d = mirror.escalations.get(alarmId);
        if (d != null && !d.dueAt().equals(NEVER)) {
            setTimer(tx, alarmId, d.rung(), NEVER);
        }
    }

    void dropTimer(Tx tx, String alarmId) throws SQLException {
        mirror.remove(mirror.escalations, alarmId);
        tx.store.clearEscalation(alarmId);
    }

    // ---------------------------------------------------------------- notifying

    /** A new (or newly unsilenced) alarm: tell every rung its level reaches at once, start the clock. */
    void start(Tx tx, Deployment d, Alarm a, AlarmEvent cause, Instant now) throws SQLException {
        EscalationLadder ladder = EscalationLadder.of(d.grid(), a.site());
        int reach = ladder.initialReach(d.escalation(), a.level());
        notifyRungs(tx, d, ladder, a, cause, 0, reach, now);
        setTimer(tx, a.id(), reach, ladder.isTop(reach) ? NEVER
                : now.plus(EscalationLadder.ackTimeout(d.escalation(), a.level())));
    }

    /** A rise in level: tell the rungs the new level reaches, restart the clock unless somebody answered. */
    void rise(Tx tx, Deployment d, Alarm u, AlarmEvent cause, Instant now) throws SQLException {
        EscalationLadder ladder = EscalationLadder.of(d.grid(), u.site());
        EscalationDue due = mirror.escalations.get(u.id());
        int reached = due == null ? -1 : due.rung();
        int reach = Math.max(reached, ladder.initialReach(d.escalation(), u.level()));
        notifyRungs(tx, d, ladder, u, cause, reached + 1, reach, now);
        boolean waiting = !u.acknowledged() && !ladder.isTop(reach);
        setTimer(tx, u.id(), reach, waiting ? now.plus(EscalationLadder.ackTimeout(d.escalation(), u.level())) : NEVER);
    }

    /** True when a silence covers the alarm; the timeline says so, nobody is told, no timer runs. */
    boolean silenced(Tx tx, Alarm a, Instant now) throws SQLException {
        Optional<Silence> s = mirror.silences.matching(a.sourceId(), a.site(), now);
        if (s.isEmpty()) {
            return false;
        }
        Silence x = s.get();
        tx.save(a, AlarmEvent.Type.SILENCED, AlarmService.SYSTEM, "屏蔽 " + x.id() + "（" + x.createdBy() + "：" + x.reason()
                + "，至 " + x.expiresAt() + "）/ silenced by " + x.createdBy() + ": " + x.reason() + " until " + x.expiresAt());
        stopTimer(tx, a.id());
        return true;
    }

    private void notifyRungs(Tx tx, Deployment d, EscalationLadder ladder, Alarm a, AlarmEvent cause, int from, int to,
                             Instant now) throws SQLException {
        Set<String> told = new LinkedHashSet<>();
        for (int i = Math.max(0, from); i <= to && i < ladder.rungs().size(); i++) {
            for (GridPath node : ladder.rungs().get(i).nodes()) {
                notifyNode(tx, d, a, cause, node, now, told);
            }
        }
    }

    /** The people on duty at one grid node, each on every configured channel they have (else the console). */
    private void notifyNode(Tx tx, Deployment d, Alarm a, AlarmEvent cause, GridPath node, Instant now, Set<String> told)
            throws SQLException {
        var roster = DutyRoster.rosterOf(d.rosters(), node);
        if (roster.isEmpty()) {
            failed(tx, a, "无值班表 / no duty roster at " + node);
            return;
        }
        DutyRoster.Duty duty = DutyRoster.onDuty(roster.get(), now.atZone(clock.getZone()));
        if (duty.people().isEmpty()) {
            failed(tx, a, "无人值班 / nobody on duty at " + node);
            return;
        }
        Map<String, UserDef> users = d.users().stream().collect(Collectors.toMap(UserDef::name, u -> u, (x, y) -> x));
        Map<String, ChannelDef> channels = d.channels().stream().collect(Collectors.toMap(ChannelDef::id, c -> c, (x, y) -> x));
        for (String name : duty.people()) {
            if (!told.add(name)) {
                continue;
            }
            UserDef user = users.get(name);
            if (user == null) {
                failed(tx, a, "未知用户 / unknown user " + name + " on the roster of " + node);
                continue;
            }
            String why = node + (duty.fallback() ? " (fallback)" : "");
            boolean any = false;
            for (Map.Entry<String, String> contact : user.contacts().entrySet()) {
                ChannelDef ch = channels.get(contact.getKey());
                if (ch != null) {
                    any = true;
                    queue(tx, d, user, ch, contact.getValue(), a, cause, why);
                }
            }
            if (!any) {
                queue(tx, d, user, Outbox.CONSOLE, null, a, cause, why);
            }
        }
    }

    private void failed(Tx tx, Alarm a, String why) throws SQLException {
        tx.save(a, AlarmEvent.Type.NOTIFICATION_FAILED, AlarmService.SYSTEM, why);
        notifyFailed.increment();
    }

    /** Stores the notification in this transaction: it exists exactly when the transition that caused it does. */
    private void queue(Tx tx, Deployment d, UserDef user, ChannelDef ch, String address, Alarm a, AlarmEvent cause, String why)
            throws SQLException {
        Message m = MessageRenderer.message(d, a, cause, why, user.name());
        Pending p = new Pending(user.name(), ch.id(), ch.type(), address, tx.store.isMemory() ? m.notYetStored() : m);
        Delivery row = notifications.stage(tx.store.connection(), p);
        if (row != null) {
            tx.staged.add(row);
        }
    }

    // ---------------------------------------------------------------- the climb

    /** Climbs one rung for every unacknowledged alarm whose time is up; returns how many climbed. */
    int escalateDue(Tx tx, Deployment d) throws SQLException {
        Instant now = clock.instant();
        int n = 0;
        // alarms raised under a silence that has since ended or expired start their notification now
        for (Alarm a : List.copyOf(mirror.open.values())) {
            if (a.state() == AlarmState.RAISED && !a.acknowledged() && !mirror.escalations.containsKey(a.id())
                    && mirror.silences.matching(a.sourceId(), a.site(), now).isEmpty()) {
                AlarmEvent ev = tx.save(a, AlarmEvent.Type.UPDATED, AlarmService.SYSTEM,
                        "屏蔽结束，告警仍未确认，开始通知 / silence over and still unacknowledged: notifying");
                start(tx, d, a, ev, now);
            }
        }
        for (Map.Entry<String, EscalationDue> e : List.copyOf(mirror.escalations.entrySet())) {
            EscalationDue due = e.getValue();
            if (due.dueAt().isAfter(now)) {
                continue;
            }
            Alarm a = mirror.open.get(e.getKey());
            if (a == null || a.acknowledged() || a.state() != AlarmState.RAISED) {
                setTimer(tx, e.getKey(), due.rung(), NEVER);
                continue;
            }
            EscalationLadder ladder = EscalationLadder.of(d.grid(), a.site());
            int next = due.rung() + 1;
            if (next >= ladder.rungs().size()) {
                setTimer(tx, a.id(), due.rung(), NEVER);
                continue;
            }
            lateness.record(Duration.between(due.dueAt(), now));
            EscalationLadder.Rung rung = ladder.rungs().get(next);
            Duration timeout = EscalationLadder.ackTimeout(d.escalation(), a.level());
            AlarmEvent ev = tx.save(a, AlarmEvent.Type.ESCALATED, AlarmService.SYSTEM, "升级至" + rung.kind().labelZh() + " "
                    + rung.nodes() + "（" + timeout.toMinutes() + " 分钟未确认）/ escalated to "
                    + rung.kind().name().toLowerCase(Locale.ROOT) + " " + rung.nodes() + ", unacknowledged for " + timeout);
            escalated.increment();
            LOG.warn("alarm {} unacknowledged, escalated to {} {}", a.id(), rung.kind(), rung.nodes());
            notifyRungs(tx, d, ladder, a, ev, next, next, now);
            setTimer(tx, a.id(), next, ladder.isTop(next) ? NEVER : now.plus(timeout));
            n++;
        }
        return n;
    }
}
