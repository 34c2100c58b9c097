package io.safegrid.alerting.notify;

import io.safegrid.config.ChannelDef;
import io.safegrid.config.UserDef;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The console channel: the alarm is on the recipient's list in the console; this only logs it. */
public final class LogNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(LogNotifier.class);

    @Override
    public void send(UserDef recipient, ChannelDef channel, String address, Alarm alarm, AlarmEvent event) {
        LOG.info("notify {} via {}: [{}] {} {} at {}: {}", recipient.name(), channel.id(), alarm.level().labelZh(),
                event.type(), alarm.id(), alarm.site(), alarm.message());
    }
}
