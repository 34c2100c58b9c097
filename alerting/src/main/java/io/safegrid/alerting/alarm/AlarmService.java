package io.safegrid.alerting.alarm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.alerting.disk.DiskSettings;
import io.safegrid.alerting.disk.DiskWatch;
import io.safegrid.alerting.notify.Notifier;
import io.safegrid.alerting.outbox.Journal;
import io.safegrid.alerting.outbox.Outbox;
import io.safegrid.alerting.outbox.OutboxSettings;
import io.safegrid.config.ConfigSource;
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
import io.safegrid.model.finding.Finding;
import io.safegrid.model.grid.GridPath;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm lifecycle behind one facade: findings from {@link Topic#FINDINGS} become alarms
 * ({@link Lifecycle}, {@link SiteInhibition}), people act on them through {@link AlarmDesk}
 * ({@link Handling}), unanswered alarms climb the grid ({@link Escalator}), and every change runs
 * in one H2 transaction committed before its events are published on {@link Topic#ALARMS}
 * ({@link Transactions}). Notifications are stored in the {@link Outbox} in that same transaction
 * and sent after the commit; their outcome lands on the timeline as NOTIFIED / NOTIFICATION_FAILED.
 *
 * <p>Wiring: {@code new AlarmService(config, bus, registry, dataDir, clock, notifier[, outboxSettings])},
 * {@link #start()}, {@link #close()}. The clock's zone is the zone of the duty rosters.
 */
public final class AlarmService implements AlarmDesk, OpenConditions, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmService.class);
    public static final String GROUP = "alerting-alarms";
    public static final String SYSTEM = "system";
    /** Rule id of the site-offline alarm alerting raises itself when every device of an enterprise is offline. */
    public static final String DERIVED_SITE_OFFLINE = "site-offline-derived";
    static final Duration TICK = Duration.ofMillis(250);
    private static final int PING_EVERY_TICKS = 8;

    private final ConfigSource config;
    private final Bus bus;
    private final Path dataDir;
    private final Clock clock;
    private final Outbox notifications;
    private final OpenAlarms mirror = new OpenAlarms();
    private final Transactions txs;
    private final Escalator escalator;
    private final Lifecycle lifecycle;
    private final Handling handling;
    private final Counter lost;
    private final StorageTrouble trouble;
    private final DiskSettings diskSettings;
    private final MeterRegistry registry;
    private volatile DiskWatch disk;

    private Subscription subscription;
    private ScheduledExecutorService ticker;
    private long ticks;

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
        this.config = config;
        this.registry = registry;
        this.diskSettings = disk;
        this.bus = bus;
        this.dataDir = dataDir;
        this.clock = clock;
        this.notifications = new Outbox(config, notifier, outboxSettings, registry, clock);
        this.txs = new Transactions(config, bus, registry, clock, mirror, tx -> notifications.dispatch(tx.staged),
                tx -> notifications.release(tx.staged), new Transactions.Storage() {
                    @Override
                    public void switched(AlarmStore now) {
                        try {
                            notifications.switchTo(now.url(), now.isMemory());
                        } catch (SQLException e) {
                            LOG.error("the notification outbox could not follow the alarm store to {}", now.url(), e);
                        }
                    }

                    @Override
                    public void changed(boolean up) {
                        DiskWatch w = AlarmService.this.disk;
                        if (!up && w != null) {
                            w.releaseReserve("the alarm store failed");
                        }
                        trouble.set(StorageTrouble.Cause.ALARM_STORE_DOWN, !up);
                    }
                }, () -> new AlarmStore(dataDir));
        this.escalator = new Escalator(mirror, notifications, clock, registry);
        this.lifecycle = new Lifecycle(mirror, escalator, clock, registry);
        this.handling = new Handling(txs, mirror, escalator, clock);
        this.trouble = new StorageTrouble(f -> txs.run(tx -> {
            lifecycle.handle(tx, config.current(), f);
            return null;
        }), config, clock);
        lost = Counter.builder("safegrid.alarms.findings").tag("outcome", "lost").register(registry);
        Gauge.builder("safegrid.alarms.open", mirror.open, Map::size).register(registry);
    }

    /** Opens the store, restores open alarms, escalation timers and silences, then starts listening. */
    public void start() throws SQLException {
        long t0 = System.nanoTime();
        txs.open(new AlarmStore(dataDir));
        long opened = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        notifications.start(AlarmStore.url(dataDir), new Journal() {
            @Override
            public void record(String alarmId, AlarmEvent.Type type, String note, Journal.Change change) {
                journal(alarmId, type, note, change);
            }

            @Override
            public boolean isClosed(String alarmId) {
                // asked before every send: no lock, so a send never waits for an alarm transaction
                return txs.store() != null && !mirror.open.containsKey(alarmId);
            }
        });
        disk = new DiskWatch(dataDir, diskSettings, registry, level -> {
            trouble.set(StorageTrouble.Cause.DISK_FULL, level == DiskWatch.Level.REFUSING);
            if (level != DiskWatch.Level.REFUSING) {
                txs.wakeKeeper();
            }
        });
        disk.start();
        if (mirror.activeByKey.containsKey(StorageTrouble.SOURCE + "|" + StorageTrouble.RULE)) {
            trouble.settle(); // left open by a run that stopped during the trouble: cleared unless it still holds
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> Urgency.URGENT.newThread(r, "alarm-escalation"));
        ticker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        // the alarm path: a finding waits for a core ahead of bulk work (recording, the console's views)
        subscription = bus.subscribe(Topic.FINDINGS, GROUP, Urgency.URGENT, (key, f) -> onFinding(f));
        LOG.info("alarm service started: {} open alarms, {} escalation timers restored from {} in {} ms", mirror.open.size(),
                mirror.escalations.size(), dataDir, opened);
    }

    /** Handles one finding; a store failure is retried twice before the finding is logged in full and counted lost. */
    void onFinding(Finding f) throws InterruptedException {
        Deployment d = config.current();
        Finding judged = Lifecycle.applyOfflineRule(d, f);
        for (int attempt = 1; ; attempt++) {
            try {
                txs.run(tx -> {
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

    /** The outbox's outcome of one delivery: its row and the timeline line in one transaction. */
    private void journal(String alarmId, AlarmEvent.Type type, String note, Journal.Change change) {
        txs.run(tx -> {
            change.apply(tx.store.connection());
            Alarm now = mirror.open.containsKey(alarmId) ? mirror.open.get(alarmId) : tx.store.alarm(alarmId).orElse(null);
            if (now != null) {
                tx.events.add(tx.store.append(type, now, clock.instant(), SYSTEM, note));
            }
            return null;
        });
    }

    /** Alarms whose condition holds (raised or acknowledged): read without the lock, from memory. */
    @Override
    public List<Alarm> active() {
        return mirror.open.values().stream().filter(OpenAlarms::isActive).toList();
    }

    /** True while the alarm store takes writes; false while alarms are held in memory (the store failed). */
    public boolean storeUp() {
        return txs.storeUp();
    }

    /** The free-space level of the data directory. */
    public DiskWatch.Level diskLevel() {
        return disk == null ? DiskWatch.Level.OK : disk.level();
    }

    /** Free space the alarm store holds for itself (its released reserve): not room for the ingest journal. */
    public long diskSetAside() {
        DiskWatch w = disk;
        return w == null ? 0 : w.setAside();
    }

    /** The notification outbox: each delivery of an alarm and its status ({@link Outbox#deliveries}). */
    public Outbox outbox() {
        return notifications;
    }

    /** Climbs one rung for every unacknowledged alarm whose time is up. Runs every 250 ms; tests may call it. */
    public int escalateDue() {
        return txs.run(tx -> escalator.escalateDue(tx, config.current()));
    }

    private void tick() {
        try {
            if (++ticks % PING_EVERY_TICKS == 0) {
                txs.ping(); // a store H2 closed after a failed write is found even when nothing needs writing
            }
            escalateDue();
        } catch (RuntimeException e) {
            LOG.error("escalation tick failed", e);
        }
    }

    // ---------------------------------------------------------------- the desk

    @Override
    public AlarmPage list(AlarmQuery query) {
        synchronized (txs.lock) {
            try {
                return started().query(query);
            } catch (SQLException e) {
                throw txs.failed(e);
            }
        }
    }

    @Override
    public Optional<Alarm> get(String alarmId) {
        synchronized (txs.lock) {
            try {
                Alarm a = mirror.open.get(alarmId);
                return a != null ? Optional.of(a) : started().alarm(alarmId);
            } catch (SQLException e) {
                throw txs.failed(e);
            }
        }
    }

    private AlarmStore started() {
        AlarmStore s = txs.store();
        if (s == null) {
            throw new IllegalStateException("alarm service is not started");
        }
        return s;
    }

    @Override
    public List<AlarmEvent> timeline(String alarmId) {
        return txs.run(tx -> tx.store.timeline(Handling.require(mirror, tx.store, alarmId)));
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
        synchronized (txs.lock) {
            return mirror.silences.list(includeEnded, clock.instant());
        }
    }

    @Override
    public Silence endSilence(String silenceId, String user) {
        return handling.endSilence(silenceId, user);
    }

    /** Stops listening and escalating; waits briefly for notifications in flight, then closes the store. */
    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (disk != null) {
            disk.close();
        }
        // before the store closes: outcomes of sends in flight still reach the timeline
        notifications.close();
        txs.close();
    }
}
