package io.safegrid.alerting.notify;

import io.safegrid.config.ChannelDef;
import io.safegrid.config.UserDef;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;

/**
 * Delivers one notification about an alarm event to one person over one channel. Returning means
 * delivered (the alarm's timeline gets NOTIFIED); throwing means it was not (NOTIFICATION_FAILED).
 * The seam for DingTalk, WeCom, SMTP, SMS and a durable outbox.
 *
 * @param address the recipient's address on that channel (from {@link UserDef#contacts()}), or null
 *                for the console's own in-app list
 */
public interface Notifier {
    void send(UserDef recipient, ChannelDef channel, String address, Alarm alarm, AlarmEvent event) throws Exception;
}
