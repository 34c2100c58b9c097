package io.safegrid.alerting;

import io.safegrid.alerting.notify.Notification;
import io.safegrid.alerting.notify.Notifier;
import io.safegrid.model.alarm.AlarmEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A notifier that remembers who was told about what. */
public final class Recorder implements Notifier {
    public record Sent(String user, String channel, String alarmId, AlarmEvent.Type cause) {
    }

    public final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public void send(Notification n) {
        sent.add(new Sent(n.recipient().name(), n.channel().id(), n.message().alarmId(), n.message().event()));
    }

    public List<String> users() {
        return sent.stream().map(Sent::user).toList();
    }
}
