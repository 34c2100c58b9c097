package io.safegrid.cascade.link;

/** Applies one message received from a peer: publishes it on the bus, or acts through the alarm desk. */
@FunctionalInterface
public interface Applier {

    /**
     * @throws Refused when the peer may not send this; the message is skipped and counted
     * @throws Exception anything else: the link is reset and the message tried again after reconnecting
     */
    void apply(String peer, Message message) throws Exception;

    /** The peer may not send this message (another enterprise's site, the wrong direction …). */
    final class Refused extends Exception {
        private final String reason;

        public Refused(String reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }

        /** A short tag for the counter, e.g. {@code outside-grid}. */
        public String reason() { return reason; }
    }
}
