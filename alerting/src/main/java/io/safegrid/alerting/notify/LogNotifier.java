package io.safegrid.alerting.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The console channel: the alarm (or notice) is on the recipient's list in the console; this only logs it. */
public final class LogNotifier implements Worded {
    private static final Logger LOG = LoggerFactory.getLogger(LogNotifier.class);

    @Override
    public void send(Notification n, Wording w) {
        LOG.info("notify {} via {}: {}", n.recipient().name(), n.channel().id(), w.logLine());
    }
}
