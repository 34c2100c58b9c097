package io.safegrid.alerting.notify;

/**
 * Delivers one notification over one channel. Returning means the receiver accepted it; throwing
 * means it did not: {@link PermanentFailure} (bad settings or address, refused for good) is not
 * retried, anything else is retried by the outbox with backoff.
 */
@FunctionalInterface
public interface Notifier {
    void send(Notification n) throws Exception;
}
