package io.safegrid.bus.inprocess;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One group's queue on one partition: any number of publishers, one consumer thread. Bounded by
 * {@link #reserve}, which publishers call before they push, so a full queue refuses instead of
 * growing. The consumer parks only after announcing itself and looking once more, and a publisher
 * unparks it only when it announced itself: under load nobody parks and a message costs no system
 * call.
 */
final class PartitionQueue<E> {
    /** How long a patient (bulk) consumer sleeps when it found nothing: ~200 wake-ups a second at most. */
    static final long PATIENCE_NANOS = 5_000_000;

    private final ConcurrentLinkedQueue<E> items = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int cap;
    private volatile Thread parked;

    PartitionQueue(int cap) {
        this.cap = cap;
    }

    /** Room for {@code n} more, taken now (a CAS on the size), or false and nothing taken. */
    boolean reserve(int n) {
        while (true) {
            int s = size.get();
            if (s + n > cap) {
                return false;
            }
            if (size.compareAndSet(s, s + n)) {
                return true;
            }
        }
    }

    void unreserve(int n) {
        size.addAndGet(-n);
    }

    /** Only after {@link #reserve}. */
    void push(E e) {
        items.offer(e);
    }

    /** Past the bound: a marker is one element and must not be refused. */
    void pushOver(E e) {
        size.incrementAndGet();
        items.offer(e);
        signal();
    }

    /** Wakes the consumer if it announced that it parks. */
    void signal() {
        Thread t = parked;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** The consumer announced that it parks (or is parked) and waits for a {@link #signal}. */
    boolean consumerParked() {
        return parked != null;
    }

    E poll() {
        E e = items.poll();
        if (e != null) {
            size.decrementAndGet();
        }
        return e;
    }

    /**
     * The next element, or null after {@code timeoutNanos} without one. A {@code patient} consumer
     * does not announce itself, so no publisher wakes it: it looks again after {@link #PATIENCE_NANOS}.
     */
    E take(long timeoutNanos, boolean patient) throws InterruptedException {
        E e = poll();
        if (e != null) {
            return e;
        }
        if (patient) {
            LockSupport.parkNanos(this, Math.min(timeoutNanos, PATIENCE_NANOS));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            return poll();
        }
        parked = Thread.currentThread();
        try {
            e = poll(); // a push between the first look and the announcement would not signal
            if (e == null) {
                LockSupport.parkNanos(this, timeoutNanos);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                e = poll();
            }
            return e;
        } finally {
            parked = null;
        }
    }

    int size() {
        return size.get();
    }

    boolean isEmpty() {
        return items.isEmpty();
    }
}
