package io.safegrid.alerting.notify;

import io.safegrid.model.Level;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.finding.FindingKind;
import java.time.Instant;
import java.util.List;

/**
 * What one notification says, fixed when it is queued (so a retry an hour later still tells what
 * happened then). {@link MessageRenderer} lays it out per channel.
 *
 * @param eventSeq  the timeline sequence of the transition that caused it
 * @param place     grid names from the county down to the alarm's node, e.g. 蒲县, 克城镇, 三村, 七号煤矿
 * @param device    the device's name and id, e.g. {@code T1 (ch4-1)}
 * @param metricZh  the metric's Chinese name, or null
 * @param metricEn  the metric's English name, or null
 * @param value     the value judged, or null when there is none
 * @param threshold the limit, or null when there is none
 * @param unit      the value's unit ("" when none)
 * @param time      when it happened
 * @param link      the alarm in the console
 * @param reason    why this recipient: the grid node whose roster they are on
 * @param lang      the recipient's language, {@code zh} or {@code en} (a person without one: {@code zh});
 *                  null only for a message with no person behind it: both, Chinese first
 */
public record Message(String alarmId, long eventSeq, AlarmEvent.Type event, Level level, FindingKind kind,
                      AlarmState state, String sourceId, String device, List<String> place, String metricZh,
                      String metricEn, Double value, Double threshold, String unit, Instant time, String text,
                      String link, String reason, String lang) {

    /** A message in both languages. */
    public Message(String alarmId, long eventSeq, AlarmEvent.Type event, Level level, FindingKind kind,
                   AlarmState state, String sourceId, String device, List<String> place, String metricZh,
                   String metricEn, Double value, Double threshold, String unit, Instant time, String text,
                   String link, String reason) {
        this(alarmId, eventSeq, event, level, kind, state, sourceId, device, place, metricZh, metricEn, value, threshold,
                unit, time, text, link, reason, null);
    }
    /** Put before the text of a notification whose alarm is held in memory while the alarm store is down. */
    public static final String NOT_YET_STORED = "【告警未入库 / alarm not yet stored】";
    public static final String NOT_YET_STORED_ZH = "【告警未入库】";
    public static final String NOT_YET_STORED_EN = "[alarm not yet stored]";

    public Message {
        place = place == null ? List.of() : List.copyOf(place);
        unit = unit == null ? "" : unit;
    }

    /** The same message, marked as sent while its alarm is held in memory only (the alarm store is down). */
    public Message notYetStored() {
        String mark = "zh".equals(lang) ? NOT_YET_STORED_ZH : "en".equals(lang) ? NOT_YET_STORED_EN : NOT_YET_STORED;
        return new Message(alarmId, eventSeq, event, level, kind, state, sourceId, device, place, metricZh, metricEn, value,
                threshold, unit, time, text == null || text.isBlank() ? mark : mark + " " + text, link, reason, lang);
    }
}
