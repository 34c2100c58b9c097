package io.safegrid.alerting.ledger;

import io.safegrid.model.scheduling.ThreadPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.safegrid.alerting.notify.Notifier;
import io.safegrid.alerting.outbox.Delivery;
import io.safegrid.alerting.outbox.Outcome;
import io.safegrid.alerting.outbox.OutboxSettings;
import io.safegrid.alerting.outbox.Pending;
import io.safegrid.alerting.outbox.Senders;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmPage;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.Silence;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.bus.Urgency;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of alarm state. One thread ({@code alarm-ledger}) holds the alarm store's only
 * connection, the {@link OpenAlarms} aggregate and the notification outbox rows; everything that
 * changes them arrives as a command on its queue: findings and people's actions as decisions
 * ({@link #call}), the escalation tick ({@link #every}), the outcomes the {@link Senders} hand back,
 * the store keeper's reopened file. A decision fills a {@link Draft}; the ledger commits it: store
 * rows, timeline lines and outbox rows in one H2 transaction, then memory, then the events go out
 * on {@link Topic#ALARMS} and the rows it claimed go to the senders.
 *
 * <p>Notifications: a new row whose channel has no attempt running is stored already claimed
 * (SENDING), so the alarm's own commit is the claim. When an attempt's outcome comes back, the row's
 * change, its timeline line and the claim of the channel's next due row commit together. The poller
 * (every {@link OutboxSettings#poll()}) claims due retries on idle channels. A row waiting for an
 * alarm that was closed meanwhile is dropped when it would be claimed. Rows a killed process left
 * SENDING are sent again at the next start (at-least-once; webhooks carry an idempotency key).
 *
 * <p>When the file store fails so that it cannot go on (a full disk: H2 closes the database whose
 * write failed), memory is put back, a stand-in store in memory takes over seeded from memory, and
 * the change is decided again there: the finding still becomes an alarm and its notifications still
 * go out. A {@link StoreKeeper} reopens the file with backoff off the ledger's thread; the ledger
 * copies what the stand-in holds into it, with the outcomes of file rows reached meanwhile.
 */
public final class AlarmLedger implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmLedger.class);
    private static final int BATCH = 500;
    /** A cheap read of the file store this often: one H2 closed after a failed write is found even when idle. */
    private static final Duration PING = Duration.ofSeconds(2);

    /** One change of the alarm state: decides against the draft's memory and records its decisions there. */
    @FunctionalInterface
    public interface Decision<T> {
        T decide(Draft draft) throws SQLException;
    }

    @FunctionalInterface
    private interface Read<T> {
        T read(AlarmStore store) throws SQLException;
    }

    private final ConfigSource config;
    private final Clock clock;
    private final OutboxSettings settings;
    private final OpenAlarms memory = new OpenAlarms();
    private final EventPublisher publisher;
    private final Senders senders;
    private final StoreKeeper keeper;
    private final ServerScheduling serverScheduling;
    /** Told (on the ledger's thread, after the switch) when the file store went down (false) or is back (true). */
    private final Consumer<Boolean> storeChanged;
    private final ScheduledThreadPoolExecutor executor;
    private final List<ScheduledFuture<?>> ticks = new ArrayList<>();
    private volatile Thread thread;
    private volatile boolean up;

    // the ledger thread's own state
    private AlarmStore store;
    private long lastSeq;
    private long lastRowId;
    /** While the stand-in holds the alarms: rows up to this id live in the file, which cannot take their outcome now. */
    private long fileRowsUpTo = -1;
    /** Outcomes of file rows reached while the file was down, applied to it when it is back. */
    private final Map<Long, Draft.RowWrite> held = new HashMap<>();
    /**
     * File rows the stand-in took over when the file failed (waiting to be sent then): their outcomes go
     * to the stand-in, whose rows replace the file's when it is back.
     */
    private final Set<Long> adopted = new HashSet<>();
    /** Channel to the row whose attempt runs now: one at a time per channel. */
    private final Map<String, Long> sending = new HashMap<>();
    /**
     * Channels that had no notification due (QUEUED or RETRYING) when the ledger last looked, with none
     * queued or put back since: an attempt's outcome on such a channel claims nothing, without a read of
     * the store on the alarm path's one connection. A retry falling due later is the poller's to find.
     * Emptied whenever rows may have changed behind the ledger's back (a rolled-back change, the store
     * swapped or reconciled).
     */
    private final Set<String> nothingWaits = new HashSet<>();
    private boolean dispatching;
    /** Set for one node of an active/standby pair: run instead of a stand-in when the store is lost. */
    private volatile Runnable onLeadershipLost;

    private final Counter storeErrors;
    private final Counter reconciled;
    private final Counter journalErrors;
    private final Counter dispatchErrors;
    private final Timer txTime;
    private final Timer commitTime;
    private final Timer waitTime;
    private final Map<AlarmEvent.Type, Counter> eventCounters = new EnumMap<>(AlarmEvent.Type.class);
    private final MeterRegistry registry;
    private final AtomicLong depth = new AtomicLong();
    private final AtomicLong oldestCreated = new AtomicLong(-1);

    /**
     * @param reopen       opens the file store again (the keeper calls it, with backoff, after a failure)
     * @param storeChanged told when the file store went down or is back, on the ledger's thread
     * @param threads      how its threads are scheduled: all are on the alarm path
     */
    public AlarmLedger(ConfigSource config, Bus bus, MeterRegistry registry, Clock clock, Notifier notifier,
                       OutboxSettings settings, Callable<AlarmStore> reopen, Consumer<Boolean> storeChanged,
                       ThreadPolicy threads) {
        this.config = config;
        this.clock = clock;
        this.settings = settings;
        this.registry = registry;
        this.storeChanged = storeChanged;
        this.publisher = new EventPublisher(bus, registry, threads);
        this.keeper = new StoreKeeper(reopen, this::reattach, registry, threads);
        this.serverScheduling = new ServerScheduling(threads, registry);
        this.senders = new Senders(config, notifier, registry, this::handBack, threads);
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(threads.at(Urgency.URGENT, r), "alarm-ledger");
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        Gauge.builder("safegrid.alarms.ledger.queue", executor, e -> e.getQueue().size())
                .description("commands waiting for the alarm ledger (findings, desk actions, send outcomes, ticks)")
                .register(registry);
        storeErrors = Counter.builder("safegrid.alarms.store.errors").register(registry);
        txTime = Timer.builder("safegrid.alarms.store.transaction").register(registry);
        commitTime = Timer.builder("safegrid.alarms.store.commit")
                .description("a change's commit; on PostgreSQL its writes' one round trip and the WAL flush").register(registry);
        waitTime = Timer.builder("safegrid.alarms.ledger.wait")
                .description("from a command's hand-over to the alarm ledger's thread to its start").register(registry);
        for (AlarmEvent.Type t : AlarmEvent.Type.values()) {
            eventCounters.put(t, Counter.builder("safegrid.alarms.events").tag("type", t.name()).register(registry));
        }
        reconciled = Counter.builder("safegrid.alarms.store.reconciled")
                .description("rows kept in memory while the alarm store was down, stored once it was back").register(registry);
        Gauge.builder("safegrid.alarms.store.up", this, l -> l.storeUp() ? 1 : 0)
                .description("1 while the alarm store takes writes, 0 while alarms are held in memory").register(registry);
        journalErrors = Counter.builder("safegrid.notify.journal.errors")
                .description("outcomes that could not be put on the timeline (the outbox row was still updated)").register(registry);
        dispatchErrors = Counter.builder("safegrid.notify.dispatch.errors").register(registry);
        Gauge.builder("safegrid.notify.outbox.depth", depth, AtomicLong::get)
                .description("notifications queued, retrying or being sent").register(registry);
        Gauge.builder("safegrid.notify.outbox.oldest.age", this, AlarmLedger::oldestAgeSeconds).baseUnit("seconds")
                .description("age of the oldest notification not yet sent or failed").register(registry);
    }

    /** Takes over an opened store: fills memory from it, resumes interrupted sends, starts dispatching. */
    public void open(AlarmStore opened) {
        publisher.start();
        await(submit(() -> {
            store = opened;
            serverScheduling.follow(opened);
            nothingWaits.clear();
            lastSeq = opened.lastSeq();
            lastRowId = opened.lastRowId();
            memory.restore(opened, config.current());
            up = !opened.isMemory();
            dispatching = true;
            recover();
            return null;
        }));
        ticks.add(executor.scheduleWithFixedDelay(this::dispatchDue, 0, settings.poll().toMillis(), TimeUnit.MILLISECONDS));
        every(PING, this::ping);
    }

    /** Runs {@code task} on the ledger's thread every {@code period} (e.g. the escalation tick). */
    public void every(Duration period, Runnable task) {
        ticks.add(executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("alarm ledger tick failed", e);
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Decides and commits one change on the ledger's thread and returns its result; its failure is thrown here. */
    public <T> T call(Decision<T> decision) {
        if (onLedger()) {
            return commit(decision);
        }
        Runnable waited = waited();
        return await(submit(() -> {
            waited.run();
            return commit(decision);
        }));
    }

    /** Queues one change; a failure is logged. */
    public void post(Decision<?> decision, String what) {
        Runnable waited = waited();
        try {
            executor.execute(() -> {
                waited.run();
                try {
                    commit(decision);
                } catch (RuntimeException e) {
                    LOG.error("could not {}", what, e);
                }
            });
        } catch (RejectedExecutionException closed) {
            LOG.warn("alarm ledger closed; could not {}", what);
        }
    }

    // ---------------------------------------------------------------- reads

    /** Alarms not yet closed, read off the ledger's thread without waiting. */
    public Collection<Alarm> openAlarms() {
        return memory.openAlarms();
    }

    public AlarmPage list(AlarmQuery query) {
        return read(s -> s.query(query));
    }

    public Optional<Alarm> alarm(String alarmId) {
        Alarm a = memory.open(alarmId);
        return a != null ? Optional.of(a) : read(s -> s.alarm(alarmId));
    }

    public List<AlarmEvent> timeline(String alarmId) {
        return read(s -> {
            Alarm a = memory.open(alarmId);
            if (a == null) {
                a = s.alarm(alarmId).orElseThrow(() -> new java.util.NoSuchElementException("no alarm " + alarmId));
            }
            return s.timeline(a);
        });
    }

    public List<Silence> silences(boolean includeEnded) {
        return read(s -> memory.silences(includeEnded, clock.instant()));
    }

    /** Every delivery of one alarm, oldest first, as it stands. */
    public List<Delivery> deliveries(String alarmId) {
        return read(s -> OutboxRows.ofAlarm(s.reader(), alarmId));
    }

    /** True while the file store takes writes (false while the stand-in in memory holds the alarms). */
    public boolean storeUp() {
        return up;
    }

    /** Free space came back: the keeper tries to reopen the store now. */
    public void wakeKeeper() {
        keeper.wake();
    }

    // ---------------------------------------------------------------- the ledger's thread

    private boolean onLedger() {
        return Thread.currentThread() == thread;
    }

    /** Started now, at a hand-over to the ledger's thread; run there, it records how long the command waited. */
    private Runnable waited() {
        long handed = System.nanoTime();
        return () -> waitTime.record(System.nanoTime() - handed, TimeUnit.NANOSECONDS);
    }

    private <T> Future<T> submit(Callable<T> task) {
        try {
            return executor.submit(task);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("alarm service is stopped", e);
        }
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c.getMessage(), c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the alarm ledger", e);
        }
    }

    private <T> T read(Read<T> r) {
        Callable<T> task = () -> {
            try {
                return r.read(started());
            } catch (SQLException e) {
                storeErrors.increment();
                throw new IllegalStateException("alarm store failed: " + e.getMessage(), e);
            }
        };
        if (onLedger()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return await(submit(task));
    }

    private AlarmStore started() {
        if (store == null) {
            throw new IllegalStateException("alarm service is not started");
        }
        return store;
    }

    /**
     * Decides, writes, commits; then memory stays, events are published and claimed rows go to the
     * senders. A failure puts memory back; a failed file store is replaced by the stand-in and the
     * change decided again there.
     */
    private <T> T commit(Decision<T> decision) {
        started();
        for (boolean retried = false; ; retried = true) {
            long t0 = System.nanoTime();
            Draft draft = new Draft(memory, store, clock, lastSeq);
            memory.begin();
            T result;
            List<Delivery> claimed;
            try {
                result = decision.decide(draft);
                if (draft.isEmpty()) {
                    memory.commit();
                    return result;
                }
                claimed = apply(draft);
                if (store.dirty()) {
                    long c0 = System.nanoTime();
                    store.commit();
                    commitTime.record(System.nanoTime() - c0, TimeUnit.NANOSECONDS);
                }
                memory.commit();
            } catch (SQLException e) {
                storeErrors.increment();
                store.rollback();
                nothingWaits.clear();
                memory.undo();
                if (!retried && !store.isMemory() && StoreFailure.isStorage(e)) {
                    detach(e);
                    continue;
                }
                LOG.error("alarm store transaction failed; memory put back to the last commit", e);
                throw new IllegalStateException("alarm store failed: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                // a refused action throws while deciding, before anything is written
                if (store.dirty()) {
                    storeErrors.increment();
                    LOG.error("alarm transaction failed half-way; rolled back, memory put back", e);
                    store.rollback();
                    nothingWaits.clear();
                }
                memory.undo();
                throw e;
            } finally {
                txTime.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            }
            afterCommit(draft, claimed);
            return result;
        }
    }

    /** The draft's writes, its notifications (claimed where their channel is idle), its channels' next due rows. */
    private List<Delivery> apply(Draft d) throws SQLException {
        Instant now = clock.instant();
        List<Delivery> claimed = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        // where writes wait for one round trip, a change that only pulls (an outcome, the poller) reads
        // the next due rows first: a read after a held-back write would send it on its own first. The
        // row an outcome settles is SENDING either way, so the claim does not see it either way.
        boolean pullsFirst = store.batches() && d.notices.isEmpty();
        if (pullsFirst) {
            pull(d, now, claimed, taken);
        }
        int done = write(d, 0);
        if (!d.notices.isEmpty()) {
            Set<String> keys = new HashSet<>();
            for (Pending p : d.notices) {
                boolean claim = dispatching && !sending.containsKey(p.channelId()) && !taken.contains(p.channelId());
                long id;
                if (store.batches()) {
                    if (!keys.add(p.key())) {
                        continue;
                    }
                    id = Math.max(lastRowId, d.maxRowId) + 1;
                    OutboxRows.queue(store, id, p, now, claim);
                } else {
                    id = OutboxRows.insert(store.connection(), p, now, claim);
                    if (id < 0) {
                        continue;
                    }
                }
                d.maxRowId = Math.max(d.maxRowId, id);
                if (!claim) {
                    nothingWaits.remove(p.channelId());
                }
                d.onCommit(() -> count(p.channelType(), "queued"));
                if (claim) {
                    taken.add(p.channelId());
                    claimed.add(new Delivery(id, p.key(), p.recipient(), p.channelId(), p.channelType(), p.address(),
                            p.message(), Delivery.Status.SENDING, 1, now, now, null));
                }
            }
        }
        if (!pullsFirst) {
            pull(d, now, claimed, taken);
        }
        write(d, done);
        return claimed;
    }

    /** Claims each pulled channel's next due row, unless this change already gave the channel one. */
    private void pull(Draft d, Instant now, List<Delivery> claimed, Set<String> taken) throws SQLException {
        if (dispatching) {
            for (String channel : d.pulls) {
                if (!taken.contains(channel) && !nothingWaits.contains(channel)) {
                    Delivery next = claimNext(d, channel, now);
                    if (next != null) {
                        taken.add(channel);
                        claimed.add(next);
                    } else {
                        nothingWaits.add(channel);
                    }
                }
            }
        }
    }

    private int write(Draft d, int from) throws SQLException {
        int i = from;
        for (; i < d.writes.size(); i++) {
            d.writes.get(i).apply(store);
        }
        return i;
    }

    /** Claims the channel's next due row; one for an alarm closed meanwhile is dropped, and the timeline says so. */
    private Delivery claimNext(Draft d, String channel, Instant now) throws SQLException {
        while (true) {
            OutboxRows.Due next = OutboxRows.nextDue(store.reader(), channel, now);
            if (next == null) {
                return null;
            }
            Delivery row;
            if (store.batches()) {
                Delivery due = OutboxRows.row(store.reader(), next.id());
                OutboxRows.claimQueued(store, next.id());
                row = new Delivery(due.id(), due.key(), due.recipient(), due.channelId(), due.channelType(), due.address(),
                        due.message(), Delivery.Status.SENDING, due.attempts() + 1, due.createdAt(), due.nextAt(),
                        due.lastError());
            } else {
                Connection c = store.connection();
                if (!OutboxRows.claim(c, next.id(), now)) {
                    return null;
                }
                row = OutboxRows.row(c, next.id());
            }
            if (memory.open(row.message().alarmId()) != null) {
                return row;
            }
            Outcome.Verdict v = Outcome.cancelled(row, clock, config.current());
            change(store, row.id(), row.channelId(), v.row());
            store.alarm(row.message().alarmId()).ifPresent(a -> d.line(a, v.type(), Draft.SYSTEM, v.note()));
            d.onCommit(() -> count(row.channelType(), v.result()));
        }
    }

    private void change(AlarmStore s, long id, String channel, Outcome.RowChange r) throws SQLException {
        switch (r.status()) {
            case SENT, FAILED -> OutboxRows.finish(s, id, r.status(), r.error(), r.at());
            case RETRYING -> {
                nothingWaits.remove(channel);
                OutboxRows.retryAt(s, id, r.nextAt(), r.error());
            }
            default -> {
                nothingWaits.remove(channel);
                OutboxRows.unclaim(s, id);
            }
        }
    }

    private void afterCommit(Draft d, List<Delivery> claimed) {
        lastSeq = d.lastSeq();
        lastRowId = Math.max(lastRowId, d.maxRowId);
        for (String channel : d.pulls) {
            sending.remove(channel); // its attempt ended, or it was idle; taken again below if a row was claimed
        }
        // the senders first: the notification is the end of the alarm path, the rest is bookkeeping
        long committedAt = System.nanoTime();
        for (Delivery row : claimed) {
            lastRowId = Math.max(lastRowId, row.id());
            sending.put(row.channelId(), row.id());
            senders.send(row, committedAt);
        }
        if (!d.events.isEmpty()) {
            publisher.publish(d.events);
            for (AlarmEvent e : d.events) {
                eventCounters.get(e.type()).increment();
            }
        }
        d.onCommit.forEach(Runnable::run);
    }

    /** From a sender's thread: the outcome is stored on the ledger's thread. */
    private void handBack(Outcome o) {
        Runnable waited = waited();
        try {
            executor.execute(() -> {
                waited.run();
                settle(o);
            });
        } catch (RejectedExecutionException closed) {
            LOG.warn("alarm ledger closed before the outcome of notification {} could be stored; it is sent again at the"
                    + " next start", o.delivery().key());
        }
    }

    /** One attempt's outcome: the row's change, the timeline line and the channel's next claim, in one transaction. */
    private void settle(Outcome o) {
        Delivery x = o.delivery();
        Outcome.Verdict v = o.verdict(settings, clock, config.current());
        Draft.RowWrite w = s -> change(s, x.id(), x.channelId(), v.row());
        if (o.kind() == Outcome.Kind.RETRYABLE && v.row().status() == Delivery.Status.FAILED) {
            LOG.error("notifying {} via {} about alarm {} failed for good after {} attempt(s): {}", x.recipient(),
                    x.channelId(), x.message().alarmId(), x.attempts(), o.error());
        }
        if (store == null) {
            LOG.warn("alarm store closed before the outcome of notification {} could be stored; it is sent again at the"
                    + " next start", x.key());
            return;
        }
        try {
            commit(d -> {
                if (store.isMemory() && x.id() <= fileRowsUpTo && !adopted.contains(x.id())) {
                    held.put(x.id(), w); // the row is in the file, which is down: its outcome waits for it
                } else {
                    d.row(w);
                }
                if (v.type() != null) {
                    Alarm a = memory.open(x.message().alarmId());
                    Alarm now = a != null ? a : store.alarm(x.message().alarmId()).orElse(null);
                    if (now != null) {
                        d.line(now, v.type(), Draft.SYSTEM, v.note());
                    }
                }
                d.pull(x.channelId());
                d.onCommit(() -> count(x.channelType(), v.result()));
                return null;
            });
        } catch (RuntimeException e) {
            journalErrors.increment();
            sending.remove(x.channelId());
            LOG.error("could not put on the timeline of alarm {}: {}", x.message().alarmId(), v.note(), e);
            try {
                w.apply(store);
                store.commit();
            } catch (SQLException | RuntimeException again) {
                store.rollback();
                nothingWaits.clear();
                LOG.error("outbox row {} not updated either; it is resumed at the next start", x.key(), again);
            }
        }
    }

    /** Claims due rows (retries whose time came, rows queued behind a busy channel) on idle channels. */
    private void dispatchDue() {
        if (!dispatching || store == null) {
            return;
        }
        try {
            refreshDepth();
            Set<String> idle = new LinkedHashSet<>();
            for (OutboxRows.Due r : OutboxRows.due(store.reader(), clock.instant(), BATCH)) {
                nothingWaits.remove(r.channelId());
                if (!sending.containsKey(r.channelId())) {
                    idle.add(r.channelId());
                }
            }
            if (!idle.isEmpty()) {
                commit(d -> {
                    idle.forEach(d::pull);
                    return null;
                });
            }
        } catch (SQLException | RuntimeException e) {
            dispatchErrors.increment();
            LOG.error("notification dispatch pass failed; retrying in {}", settings.poll(), e);
        }
    }

    /** Rows a killed process left mid-send: the outcome is unknown, so they are queued to be sent again. */
    private void recover() throws SQLException {
        List<Delivery> stuck = OutboxRows.inStatus(store.reader(), Delivery.Status.SENDING);
        if (stuck.isEmpty()) {
            return;
        }
        commit(d -> {
            for (Delivery x : stuck) {
                Outcome.Verdict v = Outcome.unknown(x, clock, config.current());
                d.row(s -> change(s, x.id(), x.channelId(), v.row()));
                Alarm a = memory.open(x.message().alarmId());
                Alarm now = a != null ? a : store.alarm(x.message().alarmId()).orElse(null);
                if (now != null) {
                    d.line(now, v.type(), Draft.SYSTEM, v.note());
                }
                d.onCommit(() -> count(x.channelType(), v.result()));
            }
            return null;
        });
        LOG.warn("{} notification(s) were being sent when the node stopped; sending them again", stuck.size());
    }

    private void ping() {
        if (store == null || store.isMemory()) {
            return;
        }
        try {
            store.ping();
        } catch (SQLException e) {
            storeErrors.increment();
            if (StoreFailure.isStorage(e)) {
                detach(e);
            } else {
                LOG.warn("alarm store ping failed: {}", e.toString());
            }
        }
    }

    /**
     * The file store failed in a way that leaves it unusable. It is closed on another thread (a
     * hanging file never holds the ledger up), a stand-in in memory takes over with what memory
     * holds, and the keeper reopens the file with backoff.
     */
    private void detach(SQLException cause) {
        AlarmStore broken = store;
        Runnable lost = onLeadershipLost;
        if (lost != null && !broken.isMemory()) {
            // one of a pair: the other node may take the store over now, so this one stops instead of going on
            // in memory; what it confirmed is stored, and rows it was sending are the next leader's to resend
            LOG.error("ALARM STORE LOST by this node of an active/standby pair ({}): it stops claiming and sending;"
                    + " the standby takes over", cause.getMessage());
            dispatching = false;
            up = false;
            StoreKeeper.closeQuietly(broken, "lost alarm store");
            store = null;
            lost.run();
            return;
        }
        LOG.error("ALARM STORE DOWN: {}. Alarms are kept in memory and still notified until it is reopened and"
                + " reconciled", cause.getMessage(), cause);
        AlarmStore standIn;
        try {
            standIn = AlarmStore.inMemory(lastSeq, lastRowId);
            standIn.seed(memory);
        } catch (SQLException e) {
            StoreKeeper.closeQuietly(broken, "failed alarm store");
            LOG.error("no stand-in alarm store could be made", e);
            throw new IllegalStateException("alarm store failed and no stand-in could be made: " + e.getMessage(), e);
        }
        // notifications stored and waiting for their channel go on from memory, not when the store is back
        adopted.clear();
        try {
            adopted.addAll(standIn.adoptWaiting(broken));
        } catch (SQLException e) {
            LOG.warn("the failed alarm store cannot be read for the notifications waiting in it ({}); they are sent"
                    + " when it is back", e.getMessage());
        }
        if (!adopted.isEmpty()) {
            LOG.warn("{} notification(s) waiting in the failed alarm store are sent from memory", adopted.size());
        }
        StoreKeeper.closeQuietly(broken, "failed alarm store");
        fileRowsUpTo = lastRowId;
        store = standIn;
        serverScheduling.follow(standIn);
        nothingWaits.clear();
        up = false;
        keeper.storeFailed();
        executor.execute(() -> storeChanged.accept(false));
    }

    /**
     * Makes this ledger one of an active/standby pair: when its store (and with it the ledger's lock)
     * is lost it stops claiming and sending and runs {@code lost}, instead of going on in memory while
     * the standby may already hold the store.
     */
    public void fenceOnLoss(Runnable lost) {
        this.onLeadershipLost = lost;
    }

    /** From the keeper's thread: the file is open again; on the ledger's thread, what the stand-in holds goes into it. */
    private boolean reattach(AlarmStore file) {
        try {
            return await(submit(() -> reconcile(file)));
        } catch (IllegalStateException stopped) {
            StoreKeeper.closeQuietly(file, "alarm store reopened while stopping");
            return true;
        }
    }

    private boolean reconcile(AlarmStore file) {
        AlarmStore standIn = store;
        if (standIn == null || !standIn.isMemory()) {
            StoreKeeper.closeQuietly(file, "superfluous alarm store");
            return true;
        }
        int rows;
        int requeued;
        try {
            rows = file.absorb(standIn);
            for (Draft.RowWrite w : held.values()) {
                w.apply(file);
            }
            requeued = OutboxRows.requeueSending(file.connection(), sending.keySet());
            file.commit();
        } catch (SQLException | RuntimeException e) {
            file.rollback();
            StoreKeeper.closeQuietly(file, "alarm store that failed to reconcile");
            LOG.warn("alarm store reopened but could not take what memory held: {}", e.toString());
            return false;
        }
        reconciled.increment(rows);
        LOG.warn("ALARM STORE BACK: {} rows kept in memory while it was down are now stored; {} outcome(s) applied, {}"
                + " interrupted send(s) queued again", rows, held.size(), requeued);
        held.clear();
        adopted.clear();
        store = file;
        serverScheduling.follow(file);
        nothingWaits.clear();
        lastSeq = Math.max(lastSeq, file.lastSeq());
        lastRowId = Math.max(lastRowId, file.lastRowId());
        fileRowsUpTo = -1;
        up = true;
        StoreKeeper.closeQuietly(standIn, "stand-in alarm store");
        executor.execute(() -> storeChanged.accept(true));
        return true;
    }

    private void count(String type, String result) {
        Counter.builder("safegrid.notify.deliveries").tag("type", type).tag("result", result).register(registry).increment();
    }

    private void refreshDepth() {
        try {
            long[] d = OutboxRows.depth(store.reader());
            depth.set(d[0]);
            oldestCreated.set(d[1]);
        } catch (SQLException e) {
            dispatchErrors.increment();
            LOG.warn("cannot read outbox depth: {}", e.toString());
        }
    }

    private double oldestAgeSeconds() {
        long t = oldestCreated.get();
        return t < 0 ? 0 : Math.max(0, (clock.millis() - t) / 1000.0);
    }

    /**
     * Stops claiming, lets sends in flight finish (up to {@link OutboxSettings#drainOnClose()}) and
     * stores their outcomes, then closes the store; rows still SENDING are sent again at the next start.
     */
    @Override
    public void close() {
        ticks.forEach(t -> t.cancel(false));
        try {
            await(submit(() -> {
                dispatching = false;
                return null;
            }));
        } catch (IllegalStateException stopped) {
            LOG.debug("alarm ledger already stopped");
        }
        senders.close(settings.drainOnClose());
        keeper.close();
        try {
            await(submit(() -> {
                closeStore();
                return null;
            }));
        } catch (IllegalStateException stopped) {
            LOG.debug("alarm ledger already stopped");
        }
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
    }

    private void closeStore() {
        if (store == null) {
            return;
        }
        if (store.isMemory()) {
            LOG.error("stopping while the alarm store is down: {} open alarms and the changes since it failed"
                    + " were held in memory only and are not stored", memory.size());
        }
        try {
            if (up) {
                store.release();
            } else {
                store.close();
            }
        } catch (SQLException e) {
            LOG.warn("closing the alarm store failed", e);
        }
        store = null;
        up = false;
    }
}
