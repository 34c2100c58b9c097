package io.safegrid.model.notice;

/**
 * One person on one channel: the unit a notice is sent, retried and remembered by, so that a retry
 * after one channel failed never repeats a channel that already took it.
 *
 * @param recipient the user's name
 * @param channelId the channel's id ({@code console} for the in-app list)
 * @param address   the user's address on it (phone, e-mail, robot id); null for the console
 */
public record NoticeRoute(String recipient, String channelId, String address) {
}
