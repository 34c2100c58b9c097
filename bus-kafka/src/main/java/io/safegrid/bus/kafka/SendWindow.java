package io.safegrid.bus.kafka;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer-side bound for one topic: records and bytes sent but not yet acknowledged by the
 * broker. Above the high-water mark offers are refused; once acknowledgements bring both back to
 * half, waiting publishers are called back (on the bus's own callback thread, never on the
 * producer's I/O thread, where a publisher's next send could stall the acknowledgements themselves).
 * This is what makes a BLOCK topic hold publishers back
 * when Kafka is slow or down, instead of the producer buffering without limit or dropping.
 */
final class SendWindow {
    private static final Logger LOG = LoggerFactory.getLogger(SendWindow.class);

    private final String topic;
    private final int maxRecords;
    private final long maxBytes;
    private final ConcurrentLinkedQueue<Runnable> waiters = new ConcurrentLinkedQueue<>();
    private final Executor callbacks;
    private int records;
    private long bytes;

    SendWindow(String topic, int maxRecords, long maxBytes, Executor callbacks) {
        this.callbacks = callbacks;
        this.topic = topic;
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    /** Takes room for a batch, or refuses it whole. A batch always fits an empty window, however big. */
    synchronized boolean tryAcquire(int n, long size) {
        boolean empty = records == 0;
        if (!empty && (records + n > maxRecords || bytes + size > maxBytes)) {
            return false;
        }
        records += n;
        bytes += size;
        return true;
    }

    /** One record acknowledged (or failed for good). */
    void release(long size) {
        release(1, size);
    }

    /** {@code n} records acknowledged (or failed for good) at once, {@code size} bytes in all. */
    void release(int n, long size) {
        boolean wake;
        synchronized (this) {
            records -= n;
            bytes -= size;
            wake = belowLowWater();
        }
        if (wake && !waiters.isEmpty()) {
            try {
                callbacks.execute(this::wakeWaiters);
            } catch (RejectedExecutionException closing) {
                wakeWaiters();
            }
        }
    }

    void whenWritable(Runnable callback) {
        waiters.add(callback);
        boolean now;
        synchronized (this) {
            now = belowLowWater();
        }
        if (now) {
            wakeWaiters();
        }
    }

    private boolean belowLowWater() {
        return records <= maxRecords / 2 && bytes <= maxBytes / 2;
    }

    void wakeWaiters() {
        Runnable r;
        while ((r = waiters.poll()) != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("bus writability callback failed on {}", topic, e);
            }
        }
    }

    synchronized int records() { return records; }

    synchronized long bytes() { return bytes; }

    int capacity() { return maxRecords; }
}
