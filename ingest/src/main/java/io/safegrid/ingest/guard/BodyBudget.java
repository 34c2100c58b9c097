package io.safegrid.ingest.guard;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The HTTP body bytes that unfinished requests of all connections hold together. A request whose
 * next chunk would go over it is answered 503, so a thousand slow uploads cannot fill the direct
 * memory pool. Thread-safe.
 */
public final class BodyBudget {
    private final LongSupplier max;
    private final AtomicLong held = new AtomicLong();

    public BodyBudget(LongSupplier max) {
        this.max = max;
    }

    /** Takes {@code n} bytes if they fit; otherwise takes nothing. */
    public boolean tryTake(long n) {
        long limit = max.getAsLong();
        while (true) {
            long h = held.get();
            if (h + n > limit) {
                return false;
            }
            if (held.compareAndSet(h, h + n)) {
                return true;
            }
        }
    }

    public void give(long n) {
        held.addAndGet(-n);
    }

    public long held() { return held.get(); }
}
