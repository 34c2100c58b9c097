package io.safegrid.bus.inprocess;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The publishers waiting for room, per partition of one topic: each callback runs once, on the
 * thread that finds the partition drained to its low-water mark (a consumer, or the caller of
 * {@link InProcessBus#whenWritable} when there is room already).
 */
final class Writability {
    private static final System.Logger LOG = System.getLogger(Writability.class.getName());

    private final String topic;
    private final ConcurrentLinkedQueue<Runnable>[] waiters;

    @SuppressWarnings("unchecked")
    Writability(String topic, int partitions) {
        this.topic = topic;
        this.waiters = new ConcurrentLinkedQueue[partitions];
        for (int i = 0; i < partitions; i++) {
            waiters[i] = new ConcurrentLinkedQueue<>();
        }
    }

    void add(int partition, Runnable callback) {
        waiters[partition].add(callback);
    }

    boolean anyWaiting(int partition) {
        return !waiters[partition].isEmpty();
    }

    void wake(int partition) {
        Runnable r;
        while ((r = waiters[partition].poll()) != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "bus writability callback failed on " + topic, e);
            }
        }
    }
}
