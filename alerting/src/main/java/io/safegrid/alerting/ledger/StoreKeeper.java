package io.safegrid.alerting.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.model.bus.Urgency;
import io.safegrid.model.scheduling.ThreadPolicy;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reopens the alarm store after it failed: on its own thread, with backoff (1 s doubling to
 * {@link #MAX_WAIT}), never on the ledger's thread while it opens the file; a free-space recovery
 * ({@link #wake}) makes it try at once. Each reopened store is handed to {@code reattach}, which
 * reconciles what memory held into it.
 */
final class StoreKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreKeeper.class);
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration MAX_WAIT = Duration.ofSeconds(15);

    private final Callable<AlarmStore> reopen;
    private final Predicate<AlarmStore> reattach;
    private final Counter failures;
    private final Counter reopened;
    private final Counter attempts;
    private final ThreadPolicy threads;
    private final Object signal = new Object();
    private Thread thread;
    private boolean woken;
    private volatile boolean closed;

    StoreKeeper(Callable<AlarmStore> reopen, Predicate<AlarmStore> reattach, MeterRegistry registry, ThreadPolicy threads) {
        this.threads = threads;
        this.reopen = reopen;
        this.reattach = reattach;
        failures = Counter.builder("safegrid.alarms.store.failures")
                .description("times the alarm store failed and a stand-in in memory took over").register(registry);
        reopened = Counter.builder("safegrid.alarms.store.reopen").tag("result", "ok").register(registry);
        attempts = Counter.builder("safegrid.alarms.store.reopen").tag("result", "failed").register(registry);
    }

    /** On the ledger's thread: the store failed; start reopening it (once). */
    synchronized void storeFailed() {
        failures.increment();
        if (closed || thread != null && thread.isAlive()) {
            return;
        }
        thread = new Thread(threads.at(Urgency.URGENT, this::loop), "alarm-store-keeper");
        thread.setDaemon(true);
        thread.start();
    }

    /** Space came back (or somebody asks): try now instead of after the current wait. */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void loop() {
        long wait = FIRST_WAIT.toMillis();
        int attempt = 0;
        while (!closed) {
            synchronized (signal) {
                if (!woken) {
                    try {
                        signal.wait(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
            if (closed) {
                return;
            }
            attempt++;
            AlarmStore file;
            try {
                file = reopen.call();
            } catch (Exception e) {
                attempts.increment();
                wait = Math.min(wait * 2, MAX_WAIT.toMillis());
                LOG.warn("alarm store still cannot be opened (attempt {}, next in {} ms): {}", attempt, wait, e.toString());
                continue;
            }
            if (reattach.test(file)) {
                reopened.increment();
                LOG.info("alarm store reopened after {} attempt(s)", attempt);
                synchronized (this) {
                    thread = null;
                }
                return;
            }
            attempts.increment();
            wait = Math.min(wait * 2, MAX_WAIT.toMillis());
        }
    }

    /** Closes a store on a short-lived thread: a store whose file is in trouble may take its time. */
    static void closeQuietly(AlarmStore s, String what) {
        Thread t = new Thread(() -> {
            try {
                s.close();
            } catch (Exception e) {
                LOG.debug("closing the {} failed: {}", what, e.toString());
            }
        }, "alarm-store-close");
        t.setDaemon(true);
        t.start();
        try {
            t.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("closing the {} takes over 2 s; left to finish on its own", what);
        }
    }

    @Override
    public void close() {
        closed = true;
        wake();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
