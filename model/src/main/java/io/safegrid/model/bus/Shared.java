package io.safegrid.model.bus;

/**
 * A message that holds memory outside the Java heap (a decoded picture), freed when its last holder
 * lets go rather than when the collector gets to it: at 48 cameras the decoder fills hundreds of
 * such pictures a second. Whoever keeps the message past the call that handed it over
 * {@link #retain}s it first and {@link #release}s it when done; the in-process bus holds one
 * reference per group queue it sits in and lets go once the group's handler returned or the queue
 * dropped it, so a handler that does not keep the message does nothing.
 */
public interface Shared {
    /** One more holder. Fails if the memory was already freed. */
    void retain();

    /** This holder is done; the last one frees the memory. Fails on a release without a holder. */
    void release();
}
