package io.safegrid.cascade.forward;

import io.safegrid.cascade.link.Applier;
import io.safegrid.cascade.link.Message;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmDesk;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmQuery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Comparator;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the county's answers on the enterprise node: the county acknowledged (or closed) its alarm
 * for a source and rule, so the enterprise's open alarm for the same source and rule is
 * acknowledged here as {@code county:<user>} — the control room sees that the county has it in hand.
 * If it was already acknowledged here, the answer lands on its timeline as a comment instead.
 */
public final class AnswerApplier implements Applier {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerApplier.class);
    public static final String COUNTY_PREFIX = "county:";

    private final AlarmDesk desk;
    private final Counter unmatched;

    /** @param desk this node's alarms; null when the node runs no alerting (answers are then only counted) */
    public AnswerApplier(AlarmDesk desk, MeterRegistry registry) {
        this.desk = desk;
        this.unmatched = Counter.builder("safegrid.cascade.unmatched").tag("kind", "answer")
                .description("answers or alarm transitions with no matching open alarm here").register(registry);
    }

    @Override
    public void apply(String peer, Message m) throws Refused {
        if (m.kind() != Message.Kind.ANSWER || m.answer() == null) {
            throw new Refused("wrong-direction", "the county sent a " + m.kind() + "; only answers come down");
        }
        Message.Answer a = m.answer();
        Optional<Alarm> alarm = desk == null ? Optional.empty() : openAlarm(a);
        if (alarm.isEmpty()) {
            unmatched.increment();
            LOG.warn("cascade: county {} {} by {} matches no open alarm here (key {})", a.countyAlarmId(), a.action(),
                    a.user(), a.alarmKey());
            return;
        }
        String user = COUNTY_PREFIX + a.user();
        String what = a.action() == AlarmEvent.Type.CLOSED ? "县级已关闭 / closed at the county" : "县级已确认 / acknowledged at the county";
        String note = what + (a.note() == null || a.note().isBlank() ? "" : ": " + a.note());
        Alarm here = alarm.get();
        if (!here.acknowledged()) {
            desk.acknowledge(here.id(), user, note);
            LOG.info("cascade: alarm {} acknowledged by {} ({})", here.id(), user, a.action());
        } else {
            desk.comment(here.id(), user, note);
        }
    }

    /** The newest open alarm here with the same source, rule and zone. */
    private Optional<Alarm> openAlarm(Message.Answer a) {
        return desk.list(AlarmQuery.open(a.site()).page(0, AlarmQuery.MAX_LIMIT)).items().stream()
                .filter(x -> x.key().equals(a.alarmKey()))
                .max(Comparator.comparing(Alarm::raisedAt));
    }
}
