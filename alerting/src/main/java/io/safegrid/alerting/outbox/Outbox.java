package io.safegrid.alerting.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.safegrid.alerting.notify.ChannelNotifier;
import io.safegrid.alerting.notify.Notification;
import io.safegrid.alerting.notify.Notifier;
import io.safegrid.alerting.notify.PermanentFailure;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.UserDef;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.bus.Urgency;
import io.safegrid.model.scheduling.ThreadPolicy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox: notifications are stored by {@link #enqueue} inside the alarm transaction that
 * caused them, then a dispatcher thread sends them, retries failures with capped exponential backoff
 * and records each outcome on the alarm's timeline through the {@link Journal} (row update and
 * timeline event in one transaction).
 *
 * <p>Guarantees: at most one row per (alarm transition, recipient, channel); a row is handed to its
 * channel once per attempt and never while another attempt of it runs; SENT and FAILED rows are never
 * sent again. A process killed during an attempt finds the row SENDING at the next start and sends
 * it again (the receiver may then see it twice: delivery is at-least-once; webhooks carry an
 * idempotency key for that case).
 *
 * <p>Sends run one at a time per channel (order per channel is kept, and a hanging receiver holds
 * up only its own channel, for at most its timeout), different channels in parallel.
 *
 * <p>Wiring: built by the alarm service; {@link #start} after the alarm store is open, {@link #close}
 * before it closes.
 */
public final class Outbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    /** The in-app channel every person without a configured contact gets. */
    public static final ChannelDef CONSOLE = new ChannelDef(ChannelNotifier.CONSOLE, ChannelNotifier.CONSOLE, Map.of());
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final int BATCH = 500;

    private final ConfigSource config;
    private final Notifier notifier;
    private final OutboxSettings settings;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Object db = new Object();
    private final Object signal = new Object();
    private final Set<String> busyChannels = ConcurrentHashMap.newKeySet();
    /** Rows stored claimed whose transaction has not been handed over yet: each goes to a lane once. */
    private final Set<Long> reservedRows = ConcurrentHashMap.newKeySet();
    private final AtomicLong depth = new AtomicLong();
    private final AtomicLong oldestCreated = new AtomicLong(-1);
    private final AtomicInteger inFlight = new AtomicInteger();
    /** The highest row id handed out or found: a stand-in store numbers its rows above it. */
    private final AtomicLong lastId = new AtomicLong();
    /** While the alarm store is down: rows up to this id live in the file, which cannot take their outcome now. */
    private volatile long detachedAbove = -1;
    /** Outcomes of file rows reached while the file was down, applied to it when it is back. */
    private final Map<Long, Journal.Change> held = new ConcurrentHashMap<>();
    private final Counter journalErrors;
    private final Counter dispatchErrors;
    private final Counter invalidChannels;
    private final Timer pickup;

    private Connection conn;
    private Journal journal;
    private Thread loop;
    private ExecutorService workers;
    private final ThreadPolicy threads;
    private volatile boolean running;
    private boolean woken;

    public Outbox(ConfigSource config, Notifier notifier, OutboxSettings settings, MeterRegistry registry, Clock clock) {
        this(config, notifier, settings, registry, clock, ThreadPolicy.NONE);
    }

    /** @param threads how its dispatch and send threads are scheduled (urgent: the alarm path's last step) */
    public Outbox(ConfigSource config, Notifier notifier, OutboxSettings settings, MeterRegistry registry, Clock clock,
                  ThreadPolicy threads) {
        this.threads = threads;
        this.config = config;
        this.notifier = notifier;
        this.settings = settings;
        this.registry = registry;
        this.clock = clock;
        journalErrors = Counter.builder("safegrid.notify.journal.errors")
                .description("outcomes that could not be put on the timeline (the outbox row was still updated)").register(registry);
        dispatchErrors = Counter.builder("safegrid.notify.dispatch.errors").register(registry);
        invalidChannels = Counter.builder("safegrid.notify.channels.invalid")
                .description("channel setting problems found at start").register(registry);
        Gauge.builder("safegrid.notify.outbox.depth", depth, AtomicLong::get)
                .description("notifications queued, retrying or being sent").register(registry);
        Gauge.builder("safegrid.notify.outbox.oldest.age", this, Outbox::oldestAgeSeconds).baseUnit("seconds")
                .description("age of the oldest notification not yet sent or failed").register(registry);
        Gauge.builder("safegrid.notify.outbox.in.flight", inFlight, AtomicInteger::get).register(registry);
        pickup = Timer.builder("safegrid.notify.pickup")
                .description("from the alarm commit to its notification's send starting, for rows dispatched at once")
                .register(registry);
    }

    /** Opens its own connection to the alarm database, resumes what a previous run left, starts dispatching. */
    public void start(String jdbcUrl, Journal journal) throws SQLException {
        this.journal = journal;
        conn = DriverManager.getConnection(jdbcUrl, "sa", "");
        conn.setAutoCommit(true);
        OutboxStore.create(conn);
        lastId.set(OutboxStore.maxId(conn));
        validate(config.current());
        config.onChange(this::validate);
        recover();
        // sending is the last step of the alarm path: its threads run ahead of bulk work (see Urgency)
        workers = Executors.newCachedThreadPool(r -> daemon(threads.at(Urgency.URGENT, r), "notify-send"));
        running = true;
        loop = daemon(threads.at(Urgency.URGENT, this::run), "notify-dispatch");
        loop.start();
        refreshDepth();
        LOG.info("notification outbox started: {} pending", depth.get());
    }

    /** Logs (and counts) every channel setting problem: at start and after each config reload. */
    private void validate(io.safegrid.config.Deployment d) {
        if (notifier instanceof ChannelNotifier cn) {
            for (String p : cn.validate(d.channels())) {
                LOG.error("notification channel misconfigured, its sends will fail: {}", p);
                invalidChannels.increment();
            }
        }
    }

    /**
     * Stores a notification in the caller's transaction (the alarm store's connection). False when
     * one with the same key is already there. Call {@link #wake} after the commit.
     */
    public boolean enqueue(Connection tx, Pending p) throws SQLException {
        return insert(tx, p, false) != null;
    }

    /**
     * Stores a notification in the caller's transaction and returns its row as stored (null when
     * one with the same key is already there). When its channel is idle the row is stored already
     * claimed (SENDING, attempt 1) and the channel reserved for it, so the alarm's own commit is the
     * claim: no second commit before the send. Hand the rows to {@link #dispatch} after the commit,
     * or to {@link #release} after a rollback.
     */
    public Delivery stage(Connection tx, Pending p) throws SQLException {
        return insert(tx, p, running);
    }

    private Delivery insert(Connection tx, Pending p, boolean claim) throws SQLException {
        Instant now = clock.instant();
        boolean reserved = claim && busyChannels.add(p.channelId());
        long id;
        try {
            id = OutboxStore.insert(tx, p, now, reserved);
        } catch (SQLException | RuntimeException e) {
            if (reserved) {
                busyChannels.remove(p.channelId());
            }
            throw e;
        }
        if (id < 0) {
            if (reserved) {
                busyChannels.remove(p.channelId());
            }
            return null;
        }
        if (reserved) {
            reservedRows.add(id);
        }
        lastId.accumulateAndGet(id, Math::max);
        count(p.channelType(), "queued");
        return new Delivery(id, p.key(), p.recipient(), p.channelId(), p.channelType(), p.address(), p.message(),
                reserved ? Delivery.Status.SENDING : Delivery.Status.QUEUED, reserved ? 1 : 0, now, now, null);
    }

    /** After a rollback: frees the channels {@link #stage} reserved for rows that now never existed. */
    public void release(List<Delivery> rolledBack) {
        for (Delivery row : rolledBack) {
            if (reservedRows.remove(row.id())) {
                busyChannels.remove(row.channelId());
            }
        }
    }

    /**
     * Sends rows just committed at once, on this thread's time up to the hand-over. A row stored
     * claimed goes straight to its channel's lane (its commit was the claim); any other is claimed
     * here (SENDING, committed) first if its channel is idle, else left to that channel's lane, which
     * takes its due rows one after the other; the poller stays the fallback.
     */
    public void dispatch(List<Delivery> committed) {
        long t0 = System.nanoTime();
        boolean leftOver = false;
        for (Delivery row : committed) {
            // stored claimed, its channel reserved for it; a row handed over twice is claimed (and refused) like any other
            boolean claimed = reservedRows.remove(row.id());
            if (!running) {
                if (claimed) {
                    unclaimQuietly(row); // stored: the next start sends it
                    busyChannels.remove(row.channelId());
                }
                continue;
            }
            if (!claimed && !busyChannels.add(row.channelId())) {
                leftOver = true;
                continue;
            }
            Delivery d = claimed ? row : null;
            try {
                if (d == null) {
                    Instant now = clock.instant();
                    synchronized (db) {
                        if (OutboxStore.claim(conn, row.id(), now)) {
                            d = new Delivery(row.id(), row.key(), row.recipient(), row.channelId(), row.channelType(),
                                    row.address(), row.message(), Delivery.Status.SENDING, row.attempts() + 1, row.createdAt(),
                                    row.nextAt(), null);
                        }
                    }
                }
                if (d != null) {
                    Delivery first = d;
                    workers.execute(() -> {
                        pickup.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                        lane(first);
                    });
                }
            } catch (SQLException | RuntimeException e) {
                dispatchErrors.increment();
                LOG.warn("direct dispatch of notification {} failed; the dispatcher takes it: {}", row.key(), e.toString());
                if (d != null) {
                    unclaimQuietly(d);
                    d = null;
                }
                leftOver = true;
            } finally {
                if (d == null) {
                    busyChannels.remove(row.channelId());
                }
            }
        }
        if (leftOver) {
            wake();
        }
    }

    private void unclaimQuietly(Delivery d) {
        synchronized (db) {
            try {
                if (conn != null) {
                    OutboxStore.unclaim(conn, d.id());
                }
            } catch (SQLException e) {
                LOG.warn("could not hand notification {} back; it resumes at the next start", d.key(), e);
            }
        }
    }

    /**
     * The alarm store in use changed (called under the alarm lock, before anything is staged in the
     * new one). To the stand-in in memory: rows are numbered above the file's, so ids never clash when
     * they are copied back. Back to the file: outcomes reached meanwhile for its rows are applied,
     * and rows left SENDING on a channel no attempt holds go back to the queue.
     */
    public void switchTo(String jdbcUrl, boolean standIn) throws SQLException {
        synchronized (db) {
            Connection fresh = DriverManager.getConnection(jdbcUrl, "sa", "");
            try {
                fresh.setAutoCommit(true);
                if (standIn) {
                    OutboxStore.create(fresh);
                    OutboxStore.restartIds(fresh, lastId.get() + 1);
                    detachedAbove = lastId.get();
                } else {
                    for (Map.Entry<Long, Journal.Change> e : held.entrySet()) {
                        e.getValue().apply(fresh);
                    }
                    int applied = held.size();
                    held.clear();
                    int requeued = OutboxStore.requeueSending(fresh, busyChannels);
                    detachedAbove = -1;
                    LOG.info("outbox back on the alarm store: {} outcome(s) applied, {} interrupted send(s) queued again",
                            applied, requeued);
                }
            } catch (SQLException | RuntimeException e) {
                fresh.close();
                throw e;
            }
            Connection old = conn;
            conn = fresh;
            if (old != null) {
                try {
                    old.close();
                } catch (SQLException e) {
                    LOG.debug("closing the outbox's old connection: {}", e.toString());
                }
            }
        }
        wake();
    }

    /** Makes the dispatcher look now (after new rows were committed). */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** Every delivery of one alarm, oldest first, as it stands. */
    public List<Delivery> deliveries(String alarmId) {
        synchronized (db) {
            if (conn == null) {
                throw new IllegalStateException("outbox is not started");
            }
            try {
                return OutboxStore.ofAlarm(conn, alarmId);
            } catch (SQLException e) {
                throw new IllegalStateException("outbox store failed: " + e.getMessage(), e);
            }
        }
    }

    // ---------------------------------------------------------------- dispatch

    private void run() {
        while (running) {
            try {
                dispatchDue();
            } catch (Exception e) {
                dispatchErrors.increment();
                LOG.error("notification dispatch pass failed; retrying in {}", settings.poll(), e);
            }
            synchronized (signal) {
                if (!woken && running) {
                    try {
                        signal.wait(settings.poll().toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    /** Starts a lane for each channel that has a due row and no attempt running. */
    private void dispatchDue() throws SQLException {
        Instant now = clock.instant();
        List<OutboxStore.Due> due;
        synchronized (db) {
            due = OutboxStore.due(conn, now, BATCH);
        }
        refreshDepth();
        for (OutboxStore.Due row : due) {
            if (!running) {
                return;
            }
            if (!busyChannels.add(row.channelId())) {
                continue; // one attempt at a time per channel
            }
            Delivery d = null;
            try {
                d = claim(row.id(), now);
                if (d != null) {
                    Delivery first = d;
                    workers.execute(() -> lane(first));
                }
            } catch (RejectedExecutionException closing) {
                synchronized (db) {
                    OutboxStore.unclaim(conn, d.id());
                }
                LOG.info("outbox closing; notification {} resumes at the next start", d.key());
                d = null;
                return;
            } finally {
                if (d == null) {
                    busyChannels.remove(row.channelId());
                }
            }
        }
    }

    /** Claims a due row: SENDING, one more attempt, committed before anything goes out. Null if it was not due any more. */
    private Delivery claim(long id, Instant now) throws SQLException {
        synchronized (db) {
            return OutboxStore.claim(conn, id, now) ? OutboxStore.row(conn, id) : null;
        }
    }

    /** Sends a channel's due rows one after the other, then frees the channel. */
    private void lane(Delivery first) {
        String channel = first.channelId();
        try {
            for (Delivery d = first; d != null; ) {
                attempt(d);
                d = null;
                if (running) {
                    Instant now = clock.instant();
                    synchronized (db) {
                        OutboxStore.Due next = OutboxStore.nextDue(conn, channel, now);
                        d = next == null ? null : claim(next.id(), now);
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            dispatchErrors.increment();
            LOG.error("notification lane {} stopped; the dispatcher resumes it", channel, e);
        } finally {
            busyChannels.remove(channel);
            wake();
        }
    }

    private void attempt(Delivery d) {
        inFlight.incrementAndGet();
        Timer.Sample t = Timer.start(registry);
        try {
            if (journal.isClosed(d.message().alarmId())) {
                cancel(d);
                return;
            }
            ChannelDef ch = channel(d);
            notifier.send(new Notification(d.key(), user(d.recipient()), ch, d.address(), d.message(), d.attempts()));
            sent(d);
        } catch (PermanentFailure | UnsupportedOperationException | IllegalArgumentException e) {
            fail(d, describe(e), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            retryOrFail(d, "interrupted: the node is stopping");
        } catch (Exception e) {
            retryOrFail(d, describe(e));
        } finally {
            t.stop(Timer.builder("safegrid.notify.send").tag("type", d.channelType()).register(registry));
            inFlight.decrementAndGet();
        }
    }

    private void sent(Delivery d) {
        Instant now = clock.instant();
        String note = who(d) + (d.attempts() > 1 ? "（第 " + d.attempts() + " 次尝试送达 / delivered on attempt " + d.attempts() + "）" : "");
        record(d, AlarmEvent.Type.NOTIFIED, note, c -> OutboxStore.finish(c, d.id(), Delivery.Status.SENT, null, now));
        count(d.channelType(), "sent");
        LOG.info("notified {} via {} about alarm {} (attempt {})", d.recipient(), d.channelId(), d.message().alarmId(), d.attempts());
    }

    private void retryOrFail(Delivery d, String error) {
        Instant now = clock.instant();
        Duration wait = settings.backoff(d.attempts());
        Instant next = now.plus(wait);
        if (d.attempts() >= settings.maxAttempts()) {
            fail(d, error + "; gave up after " + d.attempts() + " attempts", true);
            return;
        }
        if (next.isAfter(d.createdAt().plus(settings.maxAge()))) {
            fail(d, error + "; gave up after " + d.attempts() + " attempts: older than " + settings.maxAge().toMinutes() + " min", true);
            return;
        }
        String at = HMS.format(next.atZone(clock.getZone()));
        String note = who(d) + ": 第 " + d.attempts() + " 次发送失败，" + at + " 重试 / attempt " + d.attempts() + " of "
                + settings.maxAttempts() + " failed, retry at " + at + " (in " + wait.toSeconds() + " s): " + error;
        record(d, AlarmEvent.Type.NOTIFICATION_FAILED, note, c -> OutboxStore.retryAt(c, d.id(), next, error));
        count(d.channelType(), "retried");
        LOG.warn("notifying {} via {} about alarm {} failed (attempt {}), retry at {}: {}", d.recipient(), d.channelId(),
                d.message().alarmId(), d.attempts(), next, error);
    }

    /** A closed alarm needs nobody woken: what is still queued for it is dropped, and the timeline says so. */
    private void cancel(Delivery d) {
        Instant now = clock.instant();
        String why = "alarm closed before it was sent";
        record(d, AlarmEvent.Type.NOTIFICATION_FAILED, who(d) + ": 告警已关闭，不再发送 / not sent: " + why,
                c -> OutboxStore.finish(c, d.id(), Delivery.Status.FAILED, why, now));
        count(d.channelType(), "cancelled");
    }

    private void fail(Delivery d, String error, boolean retried) {
        Instant now = clock.instant();
        String note = who(d) + ": 发送失败，不再重试 / failed for good" + (retried ? "" : " (not retryable)") + ": " + error;
        record(d, AlarmEvent.Type.NOTIFICATION_FAILED, note, c -> OutboxStore.finish(c, d.id(), Delivery.Status.FAILED, error, now));
        count(d.channelType(), "failed");
        LOG.error("notifying {} via {} about alarm {} failed for good after {} attempt(s): {}", d.recipient(), d.channelId(),
                d.message().alarmId(), d.attempts(), error);
    }

    /** The row change and its timeline line together; if the timeline cannot be written, the row still moves on. */
    private void record(Delivery d, AlarmEvent.Type type, String note, Journal.Change change) {
        if (d.id() <= detachedAbove) {
            held.put(d.id(), change); // the row is in the file, which is down: its outcome waits for it
        }
        try {
            journal.record(d.message().alarmId(), type, note, change);
        } catch (RuntimeException e) {
            journalErrors.increment();
            LOG.error("could not put on the timeline of alarm {}: {}", d.message().alarmId(), note, e);
            synchronized (db) {
                try {
                    change.apply(conn);
                } catch (SQLException again) {
                    LOG.error("outbox row {} not updated either; it is resumed at the next start", d.key(), again);
                }
            }
        }
    }

    /** Rows a killed process left mid-send: the outcome is unknown, so they are sent again (at-least-once). */
    private void recover() throws SQLException {
        List<Delivery> stuck;
        synchronized (db) {
            stuck = OutboxStore.inStatus(conn, Delivery.Status.SENDING);
        }
        Instant now = clock.instant();
        for (Delivery d : stuck) {
            String error = "outcome of attempt " + d.attempts() + " unknown: the node stopped while sending";
            record(d, AlarmEvent.Type.NOTIFICATION_FAILED, who(d) + ": 第 " + d.attempts() + " 次发送结果未知（节点中途停止），将重发 / "
                    + error + "; sending again", c -> OutboxStore.retryAt(c, d.id(), now, error));
            count(d.channelType(), "resumed");
        }
        if (!stuck.isEmpty()) {
            LOG.warn("{} notification(s) were being sent when the node stopped; sending them again", stuck.size());
        }
    }

    // ---------------------------------------------------------------- helpers

    private ChannelDef channel(Delivery d) throws PermanentFailure {
        if (ChannelNotifier.CONSOLE.equals(d.channelId())) {
            return CONSOLE;
        }
        return config.current().channels().stream().filter(c -> c.id().equals(d.channelId())).findFirst()
                .orElseThrow(() -> new PermanentFailure("channel " + d.channelId() + " is no longer configured"));
    }

    private UserDef user(String name) {
        return config.current().users().stream().filter(u -> u.name().equals(name)).findFirst()
                .orElse(new UserDef(name, null, null, null, null, Map.of()));
    }

    /** {@code kzs (矿调度室) via sms @ puxian/…/coalmine-7}: who, how, and why (the roster's node). */
    private String who(Delivery d) {
        UserDef u = user(d.recipient());
        return u.name() + (u.displayName() == null ? "" : " (" + u.displayName() + ")") + " via " + d.channelId()
                + " @ " + d.message().reason();
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private void count(String type, String result) {
        Counter.builder("safegrid.notify.deliveries").tag("type", type).tag("result", result).register(registry).increment();
    }

    private void refreshDepth() {
        try {
            long[] d;
            synchronized (db) {
                d = OutboxStore.depth(conn);
            }
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

    /** Stops dispatching, lets sends in flight finish (up to {@code drainOnClose}), closes its connection. */
    @Override
    public void close() {
        running = false;
        wake();
        if (loop != null) {
            try {
                loop.join(settings.poll().toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (workers != null) {
            workers.shutdown();
            try {
                if (!workers.awaitTermination(settings.drainOnClose().toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("notifications still being sent after {}; they are resumed at the next start", settings.drainOnClose());
                    workers.shutdownNow();
                    workers.awaitTermination(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (db) {
            if (conn != null) {
                try {
                    conn.close();
                } catch (SQLException e) {
                    LOG.warn("closing the outbox connection failed", e);
                }
                conn = null;
            }
        }
    }

    private static Thread daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}
