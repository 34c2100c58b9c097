package io.safegrid.alerting.alarm;

import io.safegrid.alerting.escalation.Escalator;
import io.safegrid.alerting.ledger.AlarmLedger;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.alarm.Silence;
import io.safegrid.model.grid.GridPath;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What people do to alarms (处置): acknowledge, comment, assign, close with a handling note, and
 * set or end silences. Each action is one decision on the ledger: it checks the alarm's state as
 * the ledger holds it, then records the change.
 */
final class Handling {
    private static final Logger LOG = LoggerFactory.getLogger(Handling.class);

    private final AlarmLedger ledger;
    private final Escalator escalator;
    private final Clock clock;

    Handling(AlarmLedger ledger, Escalator escalator, Clock clock) {
        this.ledger = ledger;
        this.escalator = escalator;
        this.clock = clock;
    }

    private static String required(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what);
        }
        return text.strip();
    }

    Alarm acknowledge(String alarmId, String user, String note) {
        String who = required(user, "who acknowledges? / 请登录");
        return ledger.call(tx -> {
            Alarm a = tx.find(alarmId);
            if (a.state() == AlarmState.CLOSED) {
                throw new IllegalStateException("alarm " + alarmId + " is closed / 告警已关闭");
            }
            if (a.acknowledged()) {
                throw new IllegalStateException("alarm " + alarmId + " is already acknowledged / 告警已确认");
            }
            AlarmState next = a.state() == AlarmState.RAISED ? AlarmState.ACKNOWLEDGED : a.state();
            Alarm u = with(a, next, true, a.assignee());
            tx.save(u, AlarmEvent.Type.ACKNOWLEDGED, who, note);
            escalator.stopTimer(tx, a.id());
            LOG.info("alarm {} acknowledged by {}", a.id(), who);
            return u;
        });
    }

    Alarm comment(String alarmId, String user, String text) {
        String who = required(user, "who comments?");
        String body = required(text, "a comment needs text / 请填写备注");
        return ledger.call(tx -> {
            Alarm a = tx.find(alarmId);
            Alarm u = with(a, a.state(), a.acknowledged(), a.assignee());
            tx.save(u, AlarmEvent.Type.COMMENTED, who, body);
            return u;
        });
    }

    Alarm assign(String alarmId, String user, String assignee) {
        String who = required(user, "who assigns?");
        String to = required(assignee, "assign to whom? / 请指定处置人");
        return ledger.call(tx -> {
            Alarm a = tx.find(alarmId);
            if (a.state() == AlarmState.CLOSED) {
                throw new IllegalStateException("alarm " + alarmId + " is closed / 告警已关闭");
            }
            Alarm u = with(a, a.state(), a.acknowledged(), to);
            tx.save(u, AlarmEvent.Type.ASSIGNED, who, to);
            return u;
        });
    }

    Alarm close(String alarmId, String user, String handlingNote) {
        String who = required(user, "who closes?");
        String note = required(handlingNote, "closing needs a handling note / 关闭告警须填写处置记录");
        return ledger.call(tx -> {
            Alarm a = tx.find(alarmId);
            if (a.state() == AlarmState.CLOSED) {
                throw new IllegalStateException("alarm " + alarmId + " is already closed / 告警已关闭");
            }
            if (!a.acknowledged()) {
                throw new IllegalStateException("acknowledge alarm " + alarmId + " before closing it / 请先确认告警");
            }
            Alarm u = with(a, AlarmState.CLOSED, true, a.assignee());
            tx.save(u, AlarmEvent.Type.CLOSED, who, note);
            tx.deactivate(a);
            tx.dropTimer(a.id());
            tx.forgetInhibition(a.id());
            return u;
        });
    }

    private Alarm with(Alarm a, AlarmState state, boolean ack, String assignee) {
        return new Alarm(a.id(), a.key(), a.kind(), a.level(), a.peakLevel(), state, ack, a.sourceId(), a.site(), a.rule(),
                a.message(), a.value(), a.peakValue(), a.threshold(), a.count(), a.raisedAt(), a.lastSeen(), clock.instant(),
                assignee);
    }

    Silence silence(String deviceId, GridPath node, String user, String reason, Instant expiresAt) {
        return ledger.call(tx -> {
            Silence s = tx.silence(deviceId, node, user, reason, expiresAt);
            LOG.info("silence {} set by {} on {} until {}: {}", s.id(), user, deviceId != null ? deviceId : node,
                    expiresAt, reason);
            return s;
        });
    }

    Silence endSilence(String silenceId, String user) {
        String who = required(user, "who ends the silence?");
        return ledger.call(tx -> {
            return tx.endSilence(silenceId, who);
        });
    }
}
