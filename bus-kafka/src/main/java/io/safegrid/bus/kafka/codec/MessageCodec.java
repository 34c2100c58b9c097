package io.safegrid.bus.kafka.codec;

/** Turns one topic's messages into record values and back. */
public interface MessageCodec<T> {
    byte[] encode(T message);

    /** @throws BadMessageException when the bytes are not a message of this topic */
    T decode(byte[] bytes);
}
