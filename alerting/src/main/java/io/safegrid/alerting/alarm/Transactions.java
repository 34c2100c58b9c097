package io.safegrid.alerting.alarm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.bus.Urgency;
import io.safegrid.model.scheduling.ThreadPolicy;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every change of the alarm state one at a time, under one lock, in one H2 transaction that
 * is committed before its events go out on {@link Topic#ALARMS}. A failed transaction is rolled
 * back and the memory mirror reloaded from the store, so memory never runs ahead of the disk.
 *
 * <p>When the file store fails so that it cannot go on (a full disk: H2 closes the database whose
 * write failed), the change is undone in memory, a stand-in store in memory takes over seeded from
 * memory, and the change runs again there: the finding still becomes an alarm and its notifications
 * still go out. A {@link StoreKeeper} reopens the file with backoff (never under the lock) and
 * {@link #reattach} copies what the stand-in holds into it.
 */
final class Transactions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    private static final AlarmEvent STOP = new AlarmEvent(-1, AlarmEvent.Type.UPDATED, "", Instant.EPOCH, "", null, null);

    @FunctionalInterface
    interface Body<T> {
        T run(Tx tx) throws SQLException;
    }

    final Object lock = new Object();
    private final ConfigSource config;
    private final Bus bus;
    private final Clock clock;
    private final OpenAlarms mirror;
    private final Counter storeErrors;
    private final Timer txTime;
    private final Map<AlarmEvent.Type, Counter> eventCounters = new EnumMap<>(AlarmEvent.Type.class);
    private final LinkedBlockingQueue<AlarmEvent> committed = new LinkedBlockingQueue<>();
    /** Called after each commit that added notification rows (the outbox sends them), outside the lock. */
    private final Consumer<Tx> afterCommit;
    /** Called after a rollback with what the transaction had staged (the outbox frees channels it reserved). */
    private final Consumer<Tx> afterRollback;
    private final Counter reconciled;
    private final Storage storage;
    private final StoreKeeper keeper;
    private volatile AlarmStore store;
    private Thread publisher;
    private final ThreadPolicy threads;

    /** Told when the store in use changes; {@link #changed} runs outside the lock, {@link #switched} under it. */
    interface Storage {
        /** The store now in use (file or stand-in): e.g. the outbox connects to it. Under the lock. */
        void switched(AlarmStore now);

        /** The file store went down (false) or is back and reconciled (true). Outside the lock. */
        void changed(boolean up);
    }

    Transactions(ConfigSource config, Bus bus, MeterRegistry registry, Clock clock, OpenAlarms mirror,
                 Consumer<Tx> afterCommit, Consumer<Tx> afterRollback, Storage storage,
                 java.util.concurrent.Callable<AlarmStore> reopen, ThreadPolicy threads) {
        this.storage = storage;
        this.threads = threads;
        this.keeper = new StoreKeeper(reopen, this::reattach, registry, threads);
        reconciled = Counter.builder("safegrid.alarms.store.reconciled")
                .description("rows kept in memory while the alarm store was down, stored once it was back").register(registry);
        Gauge.builder("safegrid.alarms.store.up", this, t -> t.storeUp() ? 1 : 0)
                .description("1 while the alarm store takes writes, 0 while alarms are held in memory").register(registry);
        this.config = config;
        this.bus = bus;
        this.clock = clock;
        this.mirror = mirror;
        this.afterCommit = afterCommit;
        this.afterRollback = afterRollback;
        storeErrors = Counter.builder("safegrid.alarms.store.errors").register(registry);
        txTime = Timer.builder("safegrid.alarms.store.transaction").register(registry);
        for (AlarmEvent.Type t : AlarmEvent.Type.values()) {
            eventCounters.put(t, Counter.builder("safegrid.alarms.events").tag("type", t.name()).register(registry));
        }
        Gauge.builder("safegrid.alarms.outbox", committed, Collection::size)
                .description("committed alarm events waiting to be published").register(registry);
    }

    /** Takes over an opened store and fills the mirror from it; starts publishing. */
    void open(AlarmStore opened) throws SQLException {
        synchronized (lock) {
            store = opened;
            mirror.restore(store, config.current());
        }
        publisher = new Thread(threads.at(Urgency.URGENT, this::publishLoop), "alarm-publish");
        publisher.setDaemon(true);
        publisher.start();
    }

    /** The open store, for reads under {@link #lock}; null once closed. */
    AlarmStore store() {
        return store;
    }

    /** A store failure outside a transaction (a read): counted, and reported to the caller. */
    IllegalStateException failed(SQLException e) {
        storeErrors.increment();
        return new IllegalStateException("alarm store failed: " + e.getMessage(), e);
    }

    <T> T run(Body<T> body) {
        Tx tx;
        T result;
        boolean detachedNow = false;
        synchronized (lock) {
            if (store == null) {
                throw new IllegalStateException("alarm service is not started");
            }
            tx = new Tx(store, mirror, clock, eventCounters);
            try {
                result = attempt(tx, body);
            } catch (StoreDown down) {
                // memory is back at the last commit and a stand-in holds it: the same change, once more, there
                detachedNow = true;
                tx = new Tx(store, mirror, clock, eventCounters);
                result = attempt(tx, body);
            }
            // handed to the publisher thread in commit order: a full ALARMS topic (or a console handler
            // that calls back into the desk) must never hold the lock
            committed.addAll(tx.events);
        }
        // outside the lock: the next finding need not wait for notifications to be handed over
        if (!tx.staged.isEmpty()) {
            afterCommit.accept(tx);
        }
        if (detachedNow) {
            storage.changed(false);
        }
        return result;
    }

    /** Thrown (under the lock) once a failed file store has been replaced by the stand-in. */
    private static final class StoreDown extends RuntimeException {
        StoreDown() {
            super(null, null, false, false);
        }
    }

    private <T> T attempt(Tx tx, Body<T> body) {
        long t0 = System.nanoTime();
        mirror.begin();
        try {
            T result = body.run(tx);
            if (store.dirty()) {
                store.commit(); // the escalation tick mostly finds nothing to do: no empty commit 4 times a second
            }
            mirror.commit();
            return result;
        } catch (SQLException e) {
            storeErrors.increment();
            store.rollback();
            afterRollback.accept(tx);
            if (!store.isMemory() && StoreFailure.isStorage(e)) {
                mirror.undo();
                detach(e);
                throw new StoreDown();
            }
            mirror.commit();
            LOG.error("alarm store transaction failed; memory state reloaded from the store", e);
            try {
                mirror.restore(store, config.current());
            } catch (SQLException again) {
                LOG.error("alarm store cannot be read", again);
            }
            throw new IllegalStateException("alarm store failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // a refused action throws before writing; anything half-written must not ride on the next commit
            if (!store.dirty()) {
                mirror.undo();
                afterRollback.accept(tx); // nothing written, so nothing staged either; cheap to be sure
                throw e;
            }
            storeErrors.increment();
            LOG.error("alarm transaction failed half-way; rolled back, memory state put back", e);
            store.rollback();
            afterRollback.accept(tx);
            mirror.undo();
            throw e;
        } finally {
            txTime.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Under the lock: the file store failed in a way that leaves it unusable (H2 closes a database
     * whose write failed, e.g. on a full disk). It is closed on another thread (so a hanging file
     * never holds the lock), a stand-in in memory takes over with what memory holds, and the keeper
     * reopens the file with backoff.
     */
    private void detach(SQLException cause) {
        AlarmStore broken = store;
        LOG.error("ALARM STORE DOWN: {}. Alarms are kept in memory and still notified until it is reopened and"
                + " reconciled", cause.getMessage(), cause);
        StoreKeeper.closeQuietly(broken, "failed alarm store");
        AlarmStore standIn;
        try {
            standIn = AlarmStore.inMemory(broken.lastSeq());
            standIn.seed(mirror);
        } catch (SQLException e) {
            LOG.error("no stand-in alarm store could be made", e);
            throw new IllegalStateException("alarm store failed and no stand-in could be made: " + e.getMessage(), e);
        }
        store = standIn;
        storage.switched(standIn);
        keeper.storeFailed();
    }

    /**
     * The keeper reopened the file: under the lock, everything the stand-in holds is copied into
     * it in one transaction, then the file takes over again. False (and the file closed) when that failed.
     */
    boolean reattach(AlarmStore file) {
        synchronized (lock) {
            AlarmStore standIn = store;
            if (standIn == null || !standIn.isMemory()) {
                StoreKeeper.closeQuietly(file, "superfluous alarm store");
                return true;
            }
            try {
                int rows = file.absorb(standIn);
                file.commit();
                reconciled.increment(rows);
                LOG.warn("ALARM STORE BACK: {} rows kept in memory while it was down are now stored", rows);
            } catch (SQLException | RuntimeException e) {
                file.rollback();
                StoreKeeper.closeQuietly(file, "alarm store that failed to reconcile");
                LOG.warn("alarm store reopened but could not take what memory held: {}", e.toString());
                return false;
            }
            store = file;
            storage.switched(file);
            StoreKeeper.closeQuietly(standIn, "stand-in alarm store");
        }
        storage.changed(true);
        return true;
    }

    /** A cheap read of the file store: one H2 closed after a failed write is replaced at once. */
    void ping() {
        if (storeUp()) {
            run(tx -> {
                tx.store.ping();
                return null;
            });
        }
    }

    /** Free space came back: the keeper tries to reopen the store now. */
    void wakeKeeper() {
        keeper.wake();
    }

    /** True while the file store takes writes (false while the stand-in in memory holds the alarms). */
    boolean storeUp() {
        AlarmStore s = store;
        return s != null && !s.isMemory();
    }

    /** Publishes committed events on ALARMS, one at a time, in commit order. */
    private void publishLoop() {
        while (true) {
            AlarmEvent e;
            try {
                e = committed.take();
            } catch (InterruptedException ie) {
                return;
            }
            if (e == STOP) {
                return;
            }
            try {
                bus.publish(Topic.ALARMS, e.alarmId(), e);
            } catch (InterruptedException ie) {
                LOG.warn("interrupted while publishing alarm event {}; it stays on the stored timeline", e.sequence());
                return;
            } catch (IllegalStateException closed) {
                LOG.warn("bus closed; alarm event {} stays on the stored timeline only", e.sequence());
            }
        }
    }

    /** Lets the publisher finish what was committed (up to 5 s), then closes the store. */
    @Override
    public void close() {
        if (publisher != null) {
            committed.add(STOP);
            try {
                publisher.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            publisher = null;
        }
        keeper.close();
        synchronized (lock) {
            if (store != null) {
                if (store.isMemory()) {
                    LOG.error("stopping while the alarm store is down: {} open alarms and the changes since it failed"
                            + " were held in memory only and are not stored", mirror.open.size());
                }
                try {
                    store.close();
                } catch (SQLException e) {
                    LOG.warn("closing the alarm store failed", e);
                }
                store = null;
            }
        }
    }
}
