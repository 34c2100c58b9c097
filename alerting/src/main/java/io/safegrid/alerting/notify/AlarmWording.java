package io.safegrid.alerting.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An alarm notification's wording: {@link MessageRenderer}'s layouts of the queued {@link Message}. */
public record AlarmWording(Message m) implements Wording {
    @Override
    public String subject() { return MessageRenderer.subject(m); }

    @Override
    public String title() { return "【" + m.level().labelZh() + "】" + MessageRenderer.whatZh(m); }

    @Override
    public String text() { return MessageRenderer.text(m); }

    @Override
    public String markdown() { return MessageRenderer.markdown(m); }

    @Override
    public String html() { return MessageRenderer.html(m); }

    @Override
    public String sms(String template, int max) { return SmsNotifier.text(m, template, max); }

    @Override
    public void fields(ObjectNode body) {
        body.put("event", m.event().name());
        body.put("alarmId", m.alarmId());
        body.put("level", m.level().colour());
        body.put("levelLabel", m.level().labelZh());
        body.put("levelLabelEn", m.level().labelEn());
        body.put("state", m.state().name());
        body.put("kind", m.kind().name());
        body.put("site", String.join("/", m.place()));
        body.put("source", m.sourceId());
        body.put("device", m.device());
        body.put("message", m.text());
        if (m.value() != null) {
            body.put("value", m.value());
        }
        if (m.threshold() != null) {
            body.put("threshold", m.threshold());
        }
        body.put("unit", m.unit());
        body.put("time", m.time().toString());
        body.put("link", m.link());
        body.put("summary", MessageRenderer.text(m));
    }

    @Override
    public String logLine() {
        return "[" + m.level().labelZh() + "] " + m.event() + " " + m.alarmId() + " at " + String.join("/", m.place()) + ": " + m.text();
    }
}
