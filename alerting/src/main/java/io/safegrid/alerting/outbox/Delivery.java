package io.safegrid.alerting.outbox;

import io.safegrid.alerting.notify.Message;
import java.time.Instant;

/**
 * One row of the outbox as it stands.
 *
 * @param attempts  attempts started so far
 * @param nextAt    when the next attempt is due (queued and retrying rows)
 * @param lastError the last failure, or null
 */
public record Delivery(long id, String key, String recipient, String channelId, String channelType, String address,
                       Message message, Status status, int attempts, Instant createdAt, Instant nextAt,
                       String lastError) {
    public enum Status {
        /** Stored, not yet tried. */
        QUEUED,
        /** An attempt is running (after a crash: its outcome is unknown, so it is tried again). */
        SENDING,
        /** Failed at least once, waiting for the next attempt. */
        RETRYING,
        /** The receiver accepted it. */
        SENT,
        /** Given up: permanent error, too many attempts or too old. */
        FAILED;

        public boolean isPending() {
            return this == QUEUED || this == SENDING || this == RETRYING;
        }
    }
}
