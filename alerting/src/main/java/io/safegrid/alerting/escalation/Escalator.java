package io.safegrid.alerting.escalation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.safegrid.alerting.ledger.Draft;
import io.safegrid.alerting.ledger.EscalationDue;
import io.safegrid.alerting.notify.ChannelNotifier;
import io.safegrid.alerting.notify.Message;
import io.safegrid.alerting.notify.MessageRenderer;
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
 * silences that keep everybody quiet. Its decisions (timeline lines, timers, notifications) go into
 * the caller's {@link Draft}, which the ledger commits as one change.
 */
public final class Escalator {
    private static final Logger LOG = LoggerFactory.getLogger(Escalator.class);
    /** The due time of a stopped timer. */
    public static final Instant NEVER = Instant.ofEpochMilli(Long.MAX_VALUE);

    private final Clock clock;
    private final Counter escalated;
    private final Counter notifyFailed;
    private final Timer lateness;

    public Escalator(Clock clock, MeterRegistry registry) {
        this.clock = clock;
        escalated = Counter.builder("safegrid.alarms.escalations").register(registry);
        notifyFailed = Counter.builder("safegrid.alarms.notifications").tag("result", "failed").register(registry);
        lateness = Timer.builder("safegrid.alarms.escalation.lateness")
                .description("how long after its due time an escalation fired").register(registry);
    }

    // ---------------------------------------------------------------- timers

    /** Somebody answered (or nobody needs to): the rung reached is kept, the clock stops. */
    public void stopTimer(Draft tx, String alarmId) {
        EscalationDue d = tx.memory().escalation(alarmId);
        if (d != null && !d.dueAt().equals(NEVER)) {
            tx.setTimer(alarmId, d.rung(), NEVER);
        }
    }

    // ---------------------------------------------------------------- notifying

    /** A new (or newly unsilenced) alarm: tell every rung its level reaches at once, start the clock. */
    public void start(Draft tx, Deployment d, Alarm a, AlarmEvent cause, Instant now) {
        EscalationLadder ladder = EscalationLadder.of(d.grid(), a.site());
        int reach = ladder.initialReach(d.escalation(), a.level());
        notifyRungs(tx, d, ladder, a, cause, 0, reach, now);
        tx.setTimer(a.id(), reach, ladder.isTop(reach) ? NEVER
                : now.plus(EscalationLadder.ackTimeout(d.escalation(), a.level())));
    }

    /** A rise in level: tell the rungs the new level reaches, restart the clock unless somebody answered. */
    public void rise(Draft tx, Deployment d, Alarm u, AlarmEvent cause, Instant now) {
        EscalationLadder ladder = EscalationLadder.of(d.grid(), u.site());
        EscalationDue due = tx.memory().escalation(u.id());
        int reached = due == null ? -1 : due.rung();
        int reach = Math.max(reached, ladder.initialReach(d.escalation(), u.level()));
        notifyRungs(tx, d, ladder, u, cause, reached + 1, reach, now);
        boolean waiting = !u.acknowledged() && !ladder.isTop(reach);
        tx.setTimer(u.id(), reach, waiting ? now.plus(EscalationLadder.ackTimeout(d.escalation(), u.level())) : NEVER);
    }

    /** True when a silence covers the alarm; the timeline says so, nobody is told, no timer runs. */
    public boolean silenced(Draft tx, Alarm a, Instant now) {
        Optional<Silence> s = tx.memory().silenceMatching(a.sourceId(), a.site(), now);
        if (s.isEmpty()) {
            return false;
        }
        Silence x = s.get();
        tx.save(a, AlarmEvent.Type.SILENCED, Draft.SYSTEM, "屏蔽 " + x.id() + "（" + x.createdBy() + "：" + x.reason()
                + "，至 " + x.expiresAt() + "）/ silenced by " + x.createdBy() + ": " + x.reason() + " until " + x.expiresAt());
        stopTimer(tx, a.id());
        return true;
    }

    private void notifyRungs(Draft tx, Deployment d, EscalationLadder ladder, Alarm a, AlarmEvent cause, int from, int to,
                             Instant now) {
        Set<String> told = new LinkedHashSet<>();
        for (int i = Math.max(0, from); i <= to && i < ladder.rungs().size(); i++) {
            for (GridPath node : ladder.rungs().get(i).nodes()) {
                notifyNode(tx, d, a, cause, node, now, told);
            }
        }
    }

    /** The people on duty at one grid node, each on every configured channel they have (else the console). */
    private void notifyNode(Draft tx, Deployment d, Alarm a, AlarmEvent cause, GridPath node, Instant now, Set<String> told)
            {
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
                queue(tx, d, user, ChannelNotifier.CONSOLE_CHANNEL, null, a, cause, why);
            }
        }
    }

    private void failed(Draft tx, Alarm a, String why) {
        tx.save(a, AlarmEvent.Type.NOTIFICATION_FAILED, Draft.SYSTEM, why);
        notifyFailed.increment();
    }

    /** Stores the notification in this transaction: it exists exactly when the transition that caused it does. */
    private void queue(Draft tx, Deployment d, UserDef user, ChannelDef ch, String address, Alarm a, AlarmEvent cause, String why)
            {
        Message m = MessageRenderer.message(d, a, cause, why, user.name());
        tx.notify(new Pending(user.name(), ch.id(), ch.type(), address, tx.standIn() ? m.notYetStored() : m));
    }

    // ---------------------------------------------------------------- the climb

    /** Climbs one rung for every unacknowledged alarm whose time is up; returns how many climbed. */
    public int escalateDue(Draft tx, Deployment d) {
        Instant now = clock.instant();
        int n = 0;
        // alarms raised under a silence that has since ended or expired start their notification now
        for (Alarm a : List.copyOf(tx.memory().openAlarms())) {
            if (a.state() == AlarmState.RAISED && !a.acknowledged() && tx.memory().escalation(a.id()) == null
                    && tx.memory().silenceMatching(a.sourceId(), a.site(), now).isEmpty()) {
                AlarmEvent ev = tx.save(a, AlarmEvent.Type.UPDATED, Draft.SYSTEM,
                        "屏蔽结束，告警仍未确认，开始通知 / silence over and still unacknowledged: notifying");
                start(tx, d, a, ev, now);
            }
        }
        for (Map.Entry<String, EscalationDue> e : List.copyOf(tx.memory().escalations().entrySet())) {
            EscalationDue due = e.getValue();
            if (due.dueAt().isAfter(now)) {
                continue;
            }
            Alarm a = tx.memory().open(e.getKey());
            if (a == null || a.acknowledged() || a.state() != AlarmState.RAISED) {
                tx.setTimer(e.getKey(), due.rung(), NEVER);
                continue;
            }
            EscalationLadder ladder = EscalationLadder.of(d.grid(), a.site());
            int next = due.rung() + 1;
            if (next >= ladder.rungs().size()) {
                tx.setTimer(a.id(), due.rung(), NEVER);
                continue;
            }
            lateness.record(Duration.between(due.dueAt(), now));
            EscalationLadder.Rung rung = ladder.rungs().get(next);
            Duration timeout = EscalationLadder.ackTimeout(d.escalation(), a.level());
            AlarmEvent ev = tx.save(a, AlarmEvent.Type.ESCALATED, Draft.SYSTEM, "升级至" + rung.kind().labelZh() + " "
                    + rung.nodes() + "（" + timeout.toMinutes() + " 分钟未确认）/ escalated to "
                    + rung.kind().name().toLowerCase(Locale.ROOT) + " " + rung.nodes() + ", unacknowledged for " + timeout);
            escalated.increment();
            LOG.warn("alarm {} unacknowledged, escalated to {} {}", a.id(), rung.kind(), rung.nodes());
            notifyRungs(tx, d, ladder, a, ev, next, next, now);
            tx.setTimer(a.id(), next, ladder.isTop(next) ? NEVER : now.plus(timeout));
            n++;
        }
        return n;
    }
}
