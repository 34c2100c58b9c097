package io.safegrid.model.alarm;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the console does with alarms: find them, read their timeline, and act on them. Alerting
 * implements it; every action is stored before it returns and appears on {@code Topic.ALARMS}.
 *
 * <p>Errors: an unknown alarm or silence id throws {@link java.util.NoSuchElementException}; an
 * action the alarm's state does not allow (acknowledging twice, closing before acknowledging)
 * throws {@link IllegalStateException}; missing input (a blank handling note) throws
 * {@link IllegalArgumentException}. Messages are meant for the operator.
 */
public interface AlarmDesk {

    AlarmPage list(AlarmQuery query);

    Optional<Alarm> get(String alarmId);

    /** Every event of the alarm, oldest first. */
    List<AlarmEvent> timeline(String alarmId);

    /** 确认: somebody has it in hand; stops escalation. Allowed while raised, and after clearing. */
    Alarm acknowledge(String alarmId, String user, String note);

    Alarm comment(String alarmId, String user, String text);

    Alarm assign(String alarmId, String user, String assignee);

    /** 关闭 with the handling note (处置记录); needs an acknowledgement first. */
    Alarm close(String alarmId, String user, String handlingNote);

    /** Silences one device ({@code deviceId}) or a grid subtree ({@code node}) until {@code expiresAt}. */
    Silence silence(String deviceId, GridPath node, String user, String reason, Instant expiresAt);

    /** Silences still in force (and, with {@code includeEnded}, past ones too), newest first. */
    List<Silence> silences(boolean includeEnded);

    /** Ends a silence now. */
    Silence endSilence(String silenceId, String user);
}
