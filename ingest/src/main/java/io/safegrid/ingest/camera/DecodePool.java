package io.safegrid.ingest.camera;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A few threads (about one per core) that decode every camera whose input never makes a grab
 * wait: files (paced to their timestamps) and pushed streams (bytes already buffered from the
 * socket). Each camera gets turns of a few pictures, so 48 cameras are 48 queued tasks, not 48
 * runnable threads fighting analysis for two cores. Opening a stream (which probes and may wait)
 * stays on the camera's own thread, which then sleeps until the pool says the stream ended.
 */
final class DecodePool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DecodePool.class);
    /** Pictures per turn: enough to amortise a task switch, few enough to stay fair (≈ 0.2 s of video). */
    static final int PICTURES_PER_TURN = 5;

    private final ScheduledThreadPoolExecutor executor;
    private final java.util.Set<Driven> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Timer turns;
    private final Timer late;

    DecodePool(int threads, MeterRegistry meters) {
        AtomicInteger n = new AtomicInteger();
        executor = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, "camera-decode-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        turns = Timer.builder("safegrid.camera.decode.turn")
                .description("time one camera holds a decode thread for a turn").register(meters);
        late = Timer.builder("safegrid.camera.decode.late")
                .description("how long a camera's turn waited for a decode thread past its time (the pool is short of CPU when it grows)")
                .register(meters);
        Gauge.builder("safegrid.camera.decode.queued", executor, e -> e.getQueue().size())
                .description("camera turns waiting for a decode thread").register(meters);
        Gauge.builder("safegrid.camera.decode.streams", streams, java.util.Set::size)
                .description("streams driven by the decode pool").register(meters);
        LOG.info("camera decode pool: {} thread(s)", threads);
    }

    /**
     * Drives {@code decoder} in turns until it ends. A decoder that waits for input is woken by the
     * returned stream's {@link Driven#wake()} (call it whenever input arrives or the stream ends).
     */
    Driven drive(StreamDecoder decoder) {
        Driven d = new Driven(decoder);
        streams.add(d);
        d.done.whenComplete((v, e) -> streams.remove(d));
        d.submit(0);
        return d;
    }

    /** One stream in the pool. At most one turn of it runs at a time. */
    final class Driven {
        private final StreamDecoder decoder;
        final CompletableFuture<Long> done = new CompletableFuture<>();
        /** A turn is queued or running; wakes meanwhile only set {@link #woken}. */
        private final AtomicBoolean scheduled = new AtomicBoolean(true);
        private volatile boolean woken;
        private long dueNanos;

        Driven(StreamDecoder decoder) {
            this.decoder = decoder;
        }

        /** Input arrived or the stream ended: make sure a turn comes. Cheap; safe on any thread. */
        void wake() {
            woken = true;
            if (scheduled.compareAndSet(false, true)) {
                submit(0);
            }
        }

        /**
         * Waits until the stream ends and returns the pictures decoded. Interrupted (the session is
         * stopping, its running flag already down), it still lets the current turn finish, so the
         * caller does not close the grabber under it.
         */
        long awaitEnd() throws InterruptedException {
            try {
                return done.get();
            } catch (InterruptedException e) {
                wake();
                try {
                    done.get(2, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                         | InterruptedException ignored) {
                    // ending anyway
                }
                throw e;
            } catch (java.util.concurrent.ExecutionException e) {
                return decoder.decoded();
            }
        }

        private void submit(long delayNanos) {
            try {
                dueNanos = System.nanoTime() + Math.max(0, delayNanos);
                if (delayNanos > 0) {
                    executor.schedule(this::turn, delayNanos, TimeUnit.NANOSECONDS);
                } else {
                    executor.execute(this::turn);
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                done.complete(decoder.decoded());   // the pool is closing
            }
        }

        private void turn() {
            long start = System.nanoTime();
            late.record(Math.max(0, start - dueNanos), TimeUnit.NANOSECONDS);
            woken = false;
            long next;
            try {
                next = decoder.turn(PICTURES_PER_TURN);
            } catch (RuntimeException e) {
                LOG.warn("camera {}: decoding failed: {}", decoder.feed().camera().id(), e.toString());
                next = StreamDecoder.ENDED;
            }
            turns.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (next == StreamDecoder.ENDED) {
                done.complete(decoder.decoded());
            } else if (next == StreamDecoder.WAIT_FOR_INPUT) {
                scheduled.set(false);
                // input may have come between the turn's last look and now
                if ((woken || decoder.ready()) && scheduled.compareAndSet(false, true)) {
                    submit(0);
                }
            } else {
                submit(next - System.nanoTime());
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // streams still in the pool will get no more turns: let their sessions end
        streams.forEach(d -> d.done.complete(d.decoder.decoded()));
    }
}
