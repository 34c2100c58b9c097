package io.safegrid.model.bus;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;

/**
 * How stages talk. Everything that crosses a stage boundary goes through here, so that the
 * in-process bus can be swapped for Kafka without touching a stage.
 *
 * <p>Contract, for every implementation:
 * <ul>
 *   <li>Per key, messages reach each subscribing group in publish order.</li>
 *   <li>{@link Overflow#BLOCK} topics never drop: a full bus holds the publisher back.</li>
 *   <li>{@link Overflow#DROP_OLDEST} topics drop and count instead of blocking.</li>
 *   <li>Each group gets every message once; within a group one handler call runs at a time per key.</li>
 *   <li>A {@link Shared} message (a native frame) is held by the bus while it waits for a group and let
 *       go when the group's handler returned or it was dropped; a handler keeps it past the call only
 *       by retaining it. The publisher releases its own hold after the offer.</li>
 * </ul>
 */
public interface Bus extends AutoCloseable {

    /** Publishes, waiting while the key's partition is full (BLOCK topics). */
    default <T> void publish(Topic<T> topic, String key, T message) throws InterruptedException {
        while (!offer(topic, key, message)) {
            CountDownLatch room = new CountDownLatch(1);
            whenWritable(topic, key, room::countDown);
            room.await();
        }
    }

    /**
     * Publishes only if there is room now. False means nothing was enqueued and the caller still
     * owns the message: it should stop reading its source and retry after {@link #whenWritable}.
     * DROP_OLDEST topics always accept.
     */
    default <T> boolean offer(Topic<T> topic, String key, T message) {
        return offerAll(topic, key, List.of(message));
    }

    /** Like {@link #offer} for several messages under one key, all or none, in order. */
    <T> boolean offerAll(Topic<T> topic, String key, List<T> messages);

    /**
     * Runs {@code callback} once, on a bus thread, when the key's partition has drained to its
     * low-water mark (immediately if it already has). The callback must not block.
     */
    void whenWritable(Topic<?> topic, String key, Runnable callback);

    /**
     * Subscribes a consumer group. Groups each get every message; a handler that throws is
     * counted and logged, and the next message follows.
     */
    default <T> Subscription subscribe(Topic<T> topic, String group, MessageHandler<? super T> handler) {
        return subscribe(topic, group, Urgency.NORMAL, handler);
    }

    /** Like {@link #subscribe(Topic, String, MessageHandler)}, with the group's consumers run at {@code urgency}. */
    <T> Subscription subscribe(Topic<T> topic, String group, Urgency urgency, MessageHandler<? super T> handler);

    /**
     * Waits until every subscribing group has handled each message published to {@code topic} before
     * the call (handled: its handler returned or threw). The ingest journal uses it to learn what the
     * stages behind the bus have seen. False on timeout, and where the bus cannot tell (the default).
     */
    default boolean awaitDelivered(Topic<?> topic, Duration timeout) throws InterruptedException {
        return false;
    }

    /**
     * Runs {@code onStored} once every message the calling thread offered so far is stored by the bus
     * itself, in the order of the calls, or {@code onFailed} when one could not be. Callbacks must not
     * block. A bus that keeps nothing across a crash (in process) runs {@code onStored} at once.
     */
    default void whenStored(Runnable onStored, Runnable onFailed) {
        onStored.run();
    }

    /**
     * From now on the consumers that offers made on the calling thread would wake are woken once
     * {@code afterTurn} runs a task handed to it (an event loop runs it after the I/O of its current
     * turn), or after a bounded number of such offers, instead of at each offer: a thread that puts one
     * small message from each of many connections on the bus in one turn wakes each consumer once, not
     * once per message. Groups on the alarm path are still woken at each offer. A bus whose consumers
     * never wait for its publishers ignores it (the default).
     */
    default void wakeAfterTurn(Executor afterTurn) {
    }

    /**
     * A new share of the cameras for this node, for the caller to start and close: every camera on a
     * bus that stays in one process (the default), a share agreed with the other nodes on one that spans
     * several. Where a camera is decoded follows from it, the same way on every bus.
     */
    default CameraShare cameraShare() {
        return CameraShare.WHOLE;
    }

    /** Counters per topic, for metrics. */
    List<TopicStats> stats();

    /** Stops accepting, delivers what is queued (up to a timeout), then stops the consumers. */
    @Override
    void close();
}
