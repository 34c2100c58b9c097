package io.safegrid.bus.inprocess;

/**
 * A message on its way to one group, or a marker whose {@code reached} runs when the group's
 * consumer gets to it (see {@link InProcessBus#awaitDelivered}).
 */
record Envelope<T>(String key, T message, Runnable reached) {
    Envelope(String key, T message) {
        this(key, message, null);
    }

    static <T> Envelope<T> marker(Runnable reached) {
        return new Envelope<>(null, null, reached);
    }

    boolean isMarker() {
        return reached != null;
    }
}
