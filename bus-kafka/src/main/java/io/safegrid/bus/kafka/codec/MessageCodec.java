package io.safegrid.bus.kafka.codec;

/** Turns one topic's messages into record values and back. */
public interface MessageCodec<T> {
    byte[] encode(T message);

    /** @throws BadMessageException when the bytes are not a message of this topic */
    T decode(byte[] bytes);

    /** The message in {@code bytes[offset, offset + length)}, a line of a bundle. */
    default T decode(byte[] bytes, int offset, int length) {
        return decode(java.util.Arrays.copyOfRange(bytes, offset, offset + length));
    }
}
