package io.safegrid.alerting.outbox;

import io.safegrid.alerting.notify.Message;

/**
 * A notification to queue: tell {@code recipient} over {@code channelId} about the transition
 * {@code message.eventSeq()} of alarm {@code message.alarmId()}.
 */
public record Pending(String recipient, String channelId, String channelType, String address, Message message) {
    /** Unique per (alarm transition, recipient, channel): the outbox holds at most one row per key. */
    public String key() {
        return message.alarmId() + "/" + message.eventSeq() + "/" + recipient + "/" + channelId;
    }
}
