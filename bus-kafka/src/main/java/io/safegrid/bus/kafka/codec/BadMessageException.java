package io.safegrid.bus.kafka.codec;

/** A record on a topic that cannot be read as that topic's message; the consumer counts and skips it. */
public final class BadMessageException extends RuntimeException {
    public BadMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
