package io.safegrid.alerting.alarm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.alerting.disk.DiskSettings;
import io.safegrid.alerting.disk.DiskWatch;
import io.safegrid.alerting.escalation.Escalator;
import io.safegrid.alerting.ledger.AlarmLedger;
import io.safegrid.alerting.ledger.AlarmStore;
import io.safegrid.alerting.ledger.OpenAlarms;
import io.safegrid.alerting.notify.Notifier;
import io.safegrid.alerting.outbox.Delivery;
import io.safegrid.alerting.outbox.OutboxSettings;
import io.safegrid.alerting.outbox.Senders;
import io.safegrid.config.AlarmsConfig;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.link.AlarmLinks;
import io.safegrid.config.Deployment;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmDesk;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmPage;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.OpenConditions;
import io.safegrid.model.alarm.Silence;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.bus.Urgency;
import io.safegrid.model.scheduling.ThreadPolicy;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.grid.GridPath;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm lifecycle behind one facade: findings from {@link Topic#FINDINGS} become alarms
 * ({@link Lifecycle}, {@link SiteInhibition}), people act on them through {@link AlarmDesk}
 * ({@link Handling}), unanswered alarms climb the grid ({@link Escalator}). Each of them decides a
 * change; the {@link AlarmLedger} commits it on its own thread (store, memory and outbox rows
 * together) before its events are published on {@link Topic#ALARMS}, and hands the notifications
 * to the {@link Senders}, whose outcomes land on the timeline as NOTIFIED / NOTIFICATION_FAILED.
 *
 * <p>Wiring: {@code new AlarmService(config, bus, registry, dataDir, clock, notifier[, outboxSettings])},
 * {@link #start()}, {@link #close()}. The clock's zone is the zone of the duty rosters.
 */
public final class AlarmService implements AlarmDesk, OpenConditions, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmService.class);
    public static final String GROUP = "alerting-alarms";
    /** Rule id of the site-offline alarm alerting raises itself when every device of an enterprise is offline. */
    public static final String DERIVED_SITE_OFFLINE = "site-offline-derived";
    static final Duration TICK = Duration.ofMillis(250);
    /** How often a standby tries to take the alarm store over. */
    static final Duration STANDBY_POLL = Duration.ofMillis(500);
    /** How long a single node waits for a store whose last holder's server session is still ending. */
    static final Duration LOCK_LINGERS = Duration.ofSeconds(5);
    /** Exit status of a node of a pair that lost its alarm store: its supervisor restarts it as the standby. */
    public static final int LOST_LEADERSHIP_EXIT = 75;

    private final ConfigSource config;
    private final Bus bus;
    private final Path dataDir;
    /** Where the alarm store is: read at start. */
    private final AlarmsConfig store;
    private final java.util.concurrent.atomic.AtomicInteger standby = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Runnable leadershipLost = () -> Runtime.getRuntime().halt(LOST_LEADERSHIP_EXIT);
    private volatile Runnable standingBy = () -> { };
    private final AlarmLedger ledger;
    private final Escalator escalator;
    private final Lifecycle lifecycle;
    private final Handling handling;
    private final Counter lost;
    private final StorageTrouble trouble;
    private final DiskSettings diskSettings;
    private final MeterRegistry registry;
    private volatile DiskWatch disk;

    private Subscription subscription;

    public AlarmService(ConfigSource config, Bus bus, MeterRegistry registry, Path dataDir, Clock clock, Notifier notifier) {
        this(config, bus, registry, dataDir, clock, notifier, OutboxSettings.defaults());
    }

    /** @param outboxSettings retry policy of notifications (see {@link OutboxSettings#defaults()}) */
    public AlarmService(ConfigSource config, Bus bus, MeterRegistry registry, Path dataDir, Clock clock, Notifier notifier,
                        OutboxSettings outboxSettings) {
        this(config, bus, registry, dataDir, clock, notifier, outboxSettings, DiskSettings.of(config.current().acceptance().disk()));
    }

    /** @param disk the free-space watermarks of the data directory and the alarm store's reserve */
    public AlarmService(ConfigSource config, Bus bus, MeterRegistry registry, Path dataDir, Clock clock, Notifier notifier,
                        OutboxSettings outboxSettings, DiskSettings disk) {
        this(config, bus, registry, dataDir, clock, notifier, outboxSettings, disk, ThreadPolicy.NONE);
    }

    /** @param threads how its threads are scheduled: all of them are on the alarm path ({@link Urgency#URGENT}) */
    public AlarmService(ConfigSource config, Bus bus, MeterRegistry registry, Path dataDir, Clock clock, Notifier notifier,
                        OutboxSettings outboxSettings, DiskSettings disk, ThreadPolicy threads) {
        this.config = config;
        this.registry = registry;
        this.diskSettings = disk;
        this.bus = bus;
        this.dataDir = dataDir;
        this.store = config.current().alarms();
        this.ledger = new AlarmLedger(config, bus, registry, clock, notifier, outboxSettings,
                () -> AlarmStore.open(dataDir, store), this::storeChanged, threads);
        this.escalator = new Escalator(clock, registry);
        this.lifecycle = new Lifecycle(escalator, clock, registry);
        this.handling = new Handling(ledger, escalator, clock);
        this.trouble = new StorageTrouble(f -> ledger.post(d -> {
            lifecycle.handle(d, config.current(), f);
            return null;
        }, "raise or clear the storage-trouble alarm"), config, clock);
        lost = Counter.builder("safegrid.alarms.findings").tag("outcome", "lost").register(registry);
        Gauge.builder("safegrid.alarms.open", ledger, l -> l.openAlarms().size()).register(registry);
        Gauge.builder("safegrid.alarms.standby", standby, java.util.concurrent.atomic.AtomicInteger::get)
                .description("1 while this node stands by for the alarm store another alerting node holds").register(registry);
    }

    /**
     * What a node of an active/standby pair ({@code alarms.standby}) does when it loses the alarm store:
     * by default it halts at once (exit {@link #LOST_LEADERSHIP_EXIT}), so that nothing it holds in
     * memory is sent beside the node that takes over. Call before {@link #start()}.
     */
    public AlarmService onLeadershipLost(Runnable lost) {
        this.leadershipLost = lost;
        return this;
    }

    /**
     * What to do once when {@link #start()} begins to stand by (the store is held by the active node),
     * e.g. answer health checks meanwhile. Call before {@link #start()}.
     */
    public AlarmService onStandingBy(Runnable waiting) {
        this.standingBy = waiting;
        return this;
    }

    /**
     * Makes the node's link key now, while the data disk has room: made at the first notification, a key
     * would be missing exactly when a full disk raises the storage-trouble alarm.
     */
    private void makeLinkKey() {
        if (dataDir == null) {
            return;
        }
        try {
            AlarmLinks.forDataDir(dataDir);
        } catch (java.io.UncheckedIOException e) {
            LOG.warn("ALARM LINK KEY UNAVAILABLE: notifications carry the console's link until it can be made: {}", e.getMessage());
        }
    }

    /**
     * Opens the store, restores open alarms, escalation timers and silences, then starts listening.
     * The standby of a pair waits here until the active node lets go of the store.
     */
    public void start() throws SQLException {
        AlarmStore held = openOrStandBy();
        long t0 = System.nanoTime();
        if (store.standby()) {
            ledger.fenceOnLoss(leadershipLost);
        }
        ledger.open(held);
        makeLinkKey();
        long opened = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        disk = new DiskWatch(dataDir, diskSettings, registry, level -> {
            trouble.set(StorageTrouble.Cause.DISK_FULL, level == DiskWatch.Level.REFUSING);
            if (level != DiskWatch.Level.REFUSING) {
                ledger.wakeKeeper();
            }
        });
        disk.start();
        boolean leftOpen = ledger.openAlarms().stream()
                .anyMatch(a -> StorageTrouble.SOURCE.equals(a.sourceId()) && StorageTrouble.RULE.equals(a.rule())
                        && OpenAlarms.isActive(a));
        if (leftOpen) {
            trouble.settle(); // left open by a run that stopped during the trouble: cleared unless it still holds
        }
        ledger.every(TICK, this::escalateDue);
        // the alarm path: a finding waits for a core ahead of bulk work (recording, the console's views)
        subscription = bus.subscribe(Topic.FINDINGS, GROUP, Urgency.URGENT, (key, f) -> onFinding(f));
        LOG.info("alarm service started: {} open alarms restored from {} in {} ms", ledger.openAlarms().size(),
                AlarmStore.where(dataDir, store), opened);
    }

    /** The store, once this node holds it: at once, or for a standby when the active node let go. */
    private AlarmStore openOrStandBy() throws SQLException {
        boolean waiting = false;
        long giveUp = System.nanoTime() + LOCK_LINGERS.toNanos();
        while (true) {
            try {
                AlarmStore s = AlarmStore.open(dataDir, store);
                if (waiting) {
                    LOG.warn("TAKING OVER: the alarm store {} is free; this node is now the active alerting node",
                            AlarmStore.where(dataDir, store));
                }
                standby.set(0);
                return s;
            } catch (SQLException e) {
                if (!AlarmStore.inUse(e)) {
                    throw e;
                }
                if (!store.standby()) {
                    // a process that died or stopped a moment ago may still hold it until its server session ends
                    if (System.nanoTime() - giveUp > 0) {
                        throw e;
                    }
                    sleep(Duration.ofMillis(100));
                    continue;
                }
            }
            if (!waiting) {
                waiting = true;
                standby.set(1);
                LOG.warn("STANDBY: the alarm store {} is held by the active alerting node; this node takes over when it"
                        + " lets go", AlarmStore.where(dataDir, store));
                standingBy.run();
            }
            sleep(STANDBY_POLL);
        }
    }

    private static void sleep(Duration d) throws SQLException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the alarm store", e);
        }
    }

    /** The file store went down (false) or is back and reconciled (true); on the ledger's thread. */
    private void storeChanged(boolean up) {
        DiskWatch w = disk;
        if (!up && w != null) {
            w.releaseReserve("the alarm store failed");
        }
        trouble.set(StorageTrouble.Cause.ALARM_STORE_DOWN, !up);
    }

    /** Handles one finding; a store failure is retried twice before the finding is logged in full and counted lost. */
    void onFinding(Finding f) throws InterruptedException {
        Deployment d = config.current();
        Finding judged = f;   // as judged where it was found: ingest's DeviceSessions already applied the OFFLINE rule
        for (int attempt = 1; ; attempt++) {
            try {
                ledger.call(tx -> {
                    lifecycle.handle(tx, d, judged);
                    return null;
                });
                return;
            } catch (IllegalStateException e) {
                if (attempt == 3 || !(e.getCause() instanceof SQLException)) {
                    lost.increment();
                    LOG.error("finding LOST after {} attempts: {}", attempt, judged, e);
                    throw e;
                }
                Thread.sleep(200L * attempt);
            }
        }
    }

    /** Alarms whose condition holds (raised or acknowledged): read from memory, without waiting for the ledger. */
    @Override
    public List<Alarm> active() {
        return ledger.openAlarms().stream().filter(OpenAlarms::isActive).toList();
    }

    /** True while the alarm store takes writes; false while alarms are held in memory (the store failed). */
    public boolean storeUp() {
        return ledger.storeUp();
    }

    /** The free-space level of the data directory. */
    public DiskWatch.Level diskLevel() {
        return disk == null ? DiskWatch.Level.OK : disk.level();
    }

    /** Every notification of an alarm and its status, oldest first. */
    public List<Delivery> deliveries(String alarmId) {
        return ledger.deliveries(alarmId);
    }

    /** Free space the alarm store holds for itself (its released reserve): not room for the ingest journal. */
    public long diskSetAside() {
        DiskWatch w = disk;
        return w == null ? 0 : w.setAside();
    }

    /** Climbs one rung for every unacknowledged alarm whose time is up. Runs every 250 ms; tests may call it. */
    public int escalateDue() {
        return ledger.call(tx -> escalator.escalateDue(tx, config.current()));
    }

    // ---------------------------------------------------------------- the desk

    @Override
    public AlarmPage list(AlarmQuery query) {
        return ledger.list(query);
    }

    @Override
    public Optional<Alarm> get(String alarmId) {
        return ledger.alarm(alarmId);
    }

    @Override
    public List<AlarmEvent> timeline(String alarmId) {
        return ledger.timeline(alarmId);
    }

    @Override
    public Alarm acknowledge(String alarmId, String user, String note) {
        return handling.acknowledge(alarmId, user, note);
    }

    @Override
    public Alarm comment(String alarmId, String user, String text) {
        return handling.comment(alarmId, user, text);
    }

    @Override
    public Alarm assign(String alarmId, String user, String assignee) {
        return handling.assign(alarmId, user, assignee);
    }

    @Override
    public Alarm close(String alarmId, String user, String handlingNote) {
        return handling.close(alarmId, user, handlingNote);
    }

    @Override
    public Silence silence(String deviceId, GridPath node, String user, String reason, Instant expiresAt) {
        return handling.silence(deviceId, node, user, reason, expiresAt);
    }

    @Override
    public List<Silence> silences(boolean includeEnded) {
        return ledger.silences(includeEnded);
    }

    @Override
    public Silence endSilence(String silenceId, String user) {
        return handling.endSilence(silenceId, user);
    }

    /** Stops listening; lets notifications in flight finish and stores their outcomes, then closes the store. */
    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        if (disk != null) {
            disk.close();
        }
        ledger.close();
    }
}
