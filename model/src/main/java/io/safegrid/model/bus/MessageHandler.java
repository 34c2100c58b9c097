package io.safegrid.model.bus;

/** Consumes messages of one topic, one at a time per key. */
@FunctionalInterface
public interface MessageHandler<T> {
    void handle(String key, T message) throws Exception;
}
