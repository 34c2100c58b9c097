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
    private volatile AlarmStore store;
    private Thread publisher;

    Transactions(ConfigSource config, Bus bus, MeterRegistry registry, Clock clock, OpenAlarms mirror,
                 Consumer<Tx> afterCommit, Consumer<Tx> afterRollback) {
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
        publisher = Urgency.URGENT.newThread(this::publishLoop, "alarm-publish");
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
        synchronized (lock) {
            if (store == null) {
                throw new IllegalStateException("alarm service is not started");
            }
            tx = new Tx(store, mirror, clock, eventCounters);
            long t0 = System.nanoTime();
            try {
                result = body.run(tx);
                if (store.dirty()) {
                    store.commit(); // the escalation tick mostly finds nothing to do: no empty commit 4 times a second
                }
            } catch (SQLException e) {
                storeErrors.increment();
                store.rollback();
                afterRollback.accept(tx);
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
                    afterRollback.accept(tx); // nothing written, so nothing staged either; cheap to be sure
                    throw e;
                }
                storeErrors.increment();
                LOG.error("alarm transaction failed half-way; rolled back, memory state reloaded from the store", e);
                store.rollback();
                afterRollback.accept(tx);
                try {
                    mirror.restore(store, config.current());
                } catch (SQLException again) {
                    LOG.error("alarm store cannot be read", again);
                }
                throw e;
            } finally {
                txTime.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            }
            // handed to the publisher thread in commit order: a full ALARMS topic (or a console handler
            // that calls back into the desk) must never hold the lock
            committed.addAll(tx.events);
        }
        // outside the lock: the next finding need not wait for notifications to be handed over
        if (!tx.staged.isEmpty()) {
            afterCommit.accept(tx);
        }
        return result;
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
        synchronized (lock) {
            if (store != null) {
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
