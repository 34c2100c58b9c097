package io.safegrid.alerting;

import io.safegrid.alerting.notify.Notifier;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.UserDef;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A notifier that remembers who was told about what. */
public final class Recorder implements Notifier {
    public record Sent(String user, String channel, String alarmId, AlarmEvent.Type cause) {
    }

    public final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public void send(UserDef recipient, ChannelDef channel, String address, Alarm alarm, AlarmEvent event) {
        sent.add(new Sent(recipient.name(), channel.id(), alarm.id(), event.type()));
    }

    public List<String> users() {
        return sent.stream().map(Sent::user).toList();
    }
}
