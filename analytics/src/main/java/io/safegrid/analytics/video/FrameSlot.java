package io.safegrid.analytics.video;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One camera's latest frame waiting for analysis (Frigate's shape): a newer frame replaces one not
 * yet taken, so a camera that falls behind loses its own stale frames, never another camera's,
 * and is analysed on its newest picture. At most one drain per camera runs at a time, so a
 * camera's frames are analysed in order, one after the other; different cameras run in parallel
 * on the shared executor.
 *
 * @param <F> the frame
 */
public final class FrameSlot<F> {
    private final AtomicReference<F> latest = new AtomicReference<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Executor executor;
    private final Consumer<F> analyse;

    public FrameSlot(Executor executor, Consumer<F> analyse) {
        this.executor = executor;
        this.analyse = analyse;
    }

    /**
     * Puts a frame in the slot, to be analysed on the executor.
     *
     * @return the frame it replaced, not analysed (null if the slot was empty)
     */
    public F offer(F frame) {
        F replaced = latest.getAndSet(frame);
        if (draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
        return replaced;
    }

    /** Takes the frame left waiting, if any, so its owner can let it go (the camera is closing). */
    public F clear() {
        return latest.getAndSet(null);
    }

    private void drain() {
        while (true) {
            F f = latest.getAndSet(null);
            if (f != null) {
                analyse.accept(f);
                continue;
            }
            draining.set(false);
            // a frame offered between the empty take and the flag: take it unless its offer started a drain
            if (latest.get() == null || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }
}
