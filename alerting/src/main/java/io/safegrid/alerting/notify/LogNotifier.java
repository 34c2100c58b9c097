package io.safegrid.alerting.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The console channel: the alarm is on the recipient's list in the console; this only logs it. */
public final class LogNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(LogNotifier.class);

    @Override
    public void send(Notification n) {
        Message m = n.message();
        LOG.info("notify {} via {}: [{}] {} {} at {}: {}", n.recipient().name(), n.channel().id(), m.level().labelZh(),
                m.event(), m.alarmId(), String.join("/", m.place()), m.text());
    }
}
