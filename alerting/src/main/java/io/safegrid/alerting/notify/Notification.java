package io.safegrid.alerting.notify;

import io.safegrid.config.ChannelDef;
import io.safegrid.config.UserDef;

/**
 * One delivery attempt: tell {@code recipient} at {@code address} over {@code channel}.
 *
 * @param key     the idempotency key, the same on every attempt of this delivery (webhooks send it,
 *                so a receiver can drop the duplicate a crash mid-send may cause)
 * @param address the recipient's address on the channel, or null for the console list
 * @param attempt 1 for the first try
 */
public record Notification(String key, UserDef recipient, ChannelDef channel, String address, Message message,
                           int attempt) {
}
