package io.safegrid.cascade.link;

import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.grid.GridPath;
import java.time.Instant;

/**
 * What travels in a numbered {@code MSG} frame: exactly one of a finding or an alarm transition
 * (enterprise → county), or an answer (county → enterprise).
 */
public record Message(Kind kind, Finding finding, AlarmEvent event, Answer answer) {

    public enum Kind { FINDING, ALARM, ANSWER }

    /**
     * The county answered its alarm for the same source and rule.
     *
     * @param alarmKey {@link Finding#alarmKey()}, the same at both ends
     * @param action   {@code ACKNOWLEDGED} or {@code CLOSED} at the county
     * @param user     the county user who did it
     */
    public record Answer(String alarmKey, GridPath site, AlarmEvent.Type action, String user, String note,
                         Instant time, String countyAlarmId) {
    }

    public static Message of(Finding f) { return new Message(Kind.FINDING, f, null, null); }

    public static Message of(AlarmEvent e) { return new Message(Kind.ALARM, null, e, null); }

    public static Message of(Answer a) { return new Message(Kind.ANSWER, null, null, a); }
}
