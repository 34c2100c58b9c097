package io.safegrid.alerting.outbox;

import io.safegrid.config.Deployment;
import io.safegrid.config.UserDef;
import io.safegrid.model.alarm.AlarmEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * What one attempt to send a notification came to, as a sender hands it back to the ledger; and
 * {@link #verdict} turns it into what the row becomes and the line on the alarm's timeline.
 *
 * @param error why it failed (null when sent)
 */
public record Outcome(Delivery delivery, Kind kind, String error) {
    public enum Kind {
        /** The receiver accepted it. */
        SENT,
        /** It failed in a way a later attempt may not (a timeout, a 5xx, a rate limit). */
        RETRYABLE,
        /** It can never succeed as it is (a refusal, a channel that is not configured). */
        PERMANENT,
        /** It was never attempted (the node is stopping): the claim is undone, nothing is said. */
        NOT_STARTED
    }

    /**
     * What the row becomes: SENT or FAILED (with {@code error}), RETRYING at {@code nextAt}, or
     * QUEUED: the claim undone, as if the attempt had never started.
     */
    public record RowChange(Delivery.Status status, Instant nextAt, String error, Instant at) {
    }

    /**
     * The row's change, the timeline line ({@code type} null: none) and the result counted in
     * {@code safegrid_notify_deliveries}.
     */
    public record Verdict(RowChange row, AlarmEvent.Type type, String note, String result) {
    }

    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** Decides retry or give-up by the policy; the notes name who was (not) told, how and why. */
    public Verdict verdict(OutboxSettings settings, Clock clock, Deployment d) {
        Delivery x = delivery;
        Instant now = clock.instant();
        return switch (kind) {
            case SENT -> new Verdict(new RowChange(Delivery.Status.SENT, null, null, now), AlarmEvent.Type.NOTIFIED,
                    who(d, x) + (x.attempts() > 1 ? "（第 " + x.attempts() + " 次尝试送达 / delivered on attempt " + x.attempts() + "）" : ""),
                    "sent");
            case PERMANENT -> failed(d, now, error, false);
            case NOT_STARTED -> new Verdict(new RowChange(Delivery.Status.QUEUED, null, null, now), null, null, "not-started");
            case RETRYABLE -> {
                Duration wait = settings.backoff(x.attempts());
                Instant next = now.plus(wait);
                if (x.attempts() >= settings.maxAttempts()) {
                    yield failed(d, now, error + "; gave up after " + x.attempts() + " attempts", true);
                }
                if (next.isAfter(x.createdAt().plus(settings.maxAge()))) {
                    yield failed(d, now, error + "; gave up after " + x.attempts() + " attempts: older than "
                            + settings.maxAge().toMinutes() + " min", true);
                }
                String at = HMS.format(next.atZone(clock.getZone()));
                yield new Verdict(new RowChange(Delivery.Status.RETRYING, next, error, now), AlarmEvent.Type.NOTIFICATION_FAILED,
                        who(d, x) + ": 第 " + x.attempts() + " 次发送失败，" + at + " 重试 / attempt " + x.attempts() + " of "
                                + settings.maxAttempts() + " failed, retry at " + at + " (in " + wait.toSeconds() + " s): " + error,
                        "retried");
            }
        };
    }

    private Verdict failed(Deployment d, Instant now, String why, boolean retried) {
        return new Verdict(new RowChange(Delivery.Status.FAILED, null, why, now), AlarmEvent.Type.NOTIFICATION_FAILED,
                who(d, delivery) + ": 发送失败，不再重试 / failed for good" + (retried ? "" : " (not retryable)") + ": " + why,
                "failed");
    }

    /** A closed alarm needs nobody woken: a row still waiting for it is dropped, and the timeline says so. */
    public static Verdict cancelled(Delivery x, Clock clock, Deployment d) {
        String why = "alarm closed before it was sent";
        return new Verdict(new RowChange(Delivery.Status.FAILED, null, why, clock.instant()), AlarmEvent.Type.NOTIFICATION_FAILED,
                who(d, x) + ": 告警已关闭，不再发送 / not sent: " + why, "cancelled");
    }

    /** A row a killed process left mid-send: its outcome is unknown, so it is sent again (at-least-once). */
    public static Verdict unknown(Delivery x, Clock clock, Deployment d) {
        Instant now = clock.instant();
        String error = "outcome of attempt " + x.attempts() + " unknown: the node stopped while sending";
        return new Verdict(new RowChange(Delivery.Status.RETRYING, now, error, now), AlarmEvent.Type.NOTIFICATION_FAILED,
                who(d, x) + ": 第 " + x.attempts() + " 次发送结果未知（节点中途停止），将重发 / " + error + "; sending again",
                "resumed");
    }

    /** {@code kzs (矿调度室) via sms @ puxian/…/coalmine-7}: who, how, and why (the roster's node). */
    static String who(Deployment d, Delivery x) {
        UserDef u = user(d, x.recipient());
        return u.name() + (u.displayName() == null ? "" : " (" + u.displayName() + ")") + " via " + x.channelId()
                + " @ " + x.message().reason();
    }

    static UserDef user(Deployment d, String name) {
        return d.users().stream().filter(u -> u.name().equals(name)).findFirst()
                .orElse(new UserDef(name, null, null, null, null, Map.of()));
    }
}
