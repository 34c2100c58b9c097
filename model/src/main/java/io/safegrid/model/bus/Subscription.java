package io.safegrid.model.bus;

/** A group's subscription; closing it stops delivery to that group after what is queued. */
public interface Subscription extends AutoCloseable {
    String group();

    @Override
    void close();
}
