package io.safegrid.alerting.alarm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.safegrid.alerting.escalation.EscalationLadder;
import io.safegrid.alerting.notify.MessageRenderer;
import io.safegrid.alerting.notify.Notifier;
import io.safegrid.alerting.outbox.Journal;
import io.safegrid.alerting.outbox.Outbox;
import io.safegrid.alerting.outbox.OutboxSettings;
import io.safegrid.alerting.outbox.Pending;
import io.safegrid.alerting.roster.DutyRoster;
import io.safegrid.alerting.silence.SilenceBook;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.RuleDef;
import io.safegrid.config.UserDef;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmDesk;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmPage;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.alarm.Silence;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm lifecycle: findings from {@link Topic#FINDINGS} become alarms (one active per
 * {@link Finding#alarmKey()}), people act on them through {@link AlarmDesk}, unanswered alarms climb
 * the grid, and every transition is stored in H2 and then published on {@link Topic#ALARMS}.
 *
 * <p>All state changes run one at a time under one lock, each in one database transaction that is
 * committed before its events are published; the notifications a transition causes are stored in
 * the {@link Outbox} in that same transaction, sent afterwards by its dispatcher, and their outcome
 * lands on the timeline as NOTIFIED / NOTIFICATION_FAILED.
 *
 * <p>Wiring: {@code new AlarmService(config, bus, registry, dataDir, clock, notifier[, outboxSettings])},
 * {@link #start()}, {@link #close()}. The clock's zone is the zone of the duty rosters.
 */
public final class AlarmService implements AlarmDesk, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmService.class);
    public static final String GROUP = "alerting-alarms";
    public static final String SYSTEM = "system";
    /** Rule id of the site-offline alarm alerting raises itself when every device of an enterprise is offline. */
    public static final String DERIVED_SITE_OFFLINE = "site-offline-derived";
    static final Duration TICK = Duration.ofMillis(250);
    private static final Instant NEVER = Instant.ofEpochMilli(Long.MAX_VALUE);
    private static final ChannelDef CONSOLE = Outbox.CONSOLE;

    private final ConfigSource config;
    private final Bus bus;
    private final Path dataDir;
    private final Clock clock;
    private final Outbox notifications;
    private final Object lock = new Object();

    // memory mirror of the store, changed only under lock
    private final Map<String, Alarm> open = new HashMap<>();
    private final Map<String, String> activeByKey = new HashMap<>();
    private final Map<String, EscalationDue> escalations = new HashMap<>();
    private final Map<GridPath, String> siteAlarms = new HashMap<>();
    private final Map<GridPath, Map<String, Finding>> folded = new HashMap<>();
    private final SilenceBook silences = new SilenceBook();

    private AlarmStore store;
    private Subscription subscription;
    private ScheduledExecutorService ticker;
    private Thread publisher;
    private final java.util.concurrent.LinkedBlockingQueue<AlarmEvent> outbox = new java.util.concurrent.LinkedBlockingQueue<>();
    private static final AlarmEvent STOP = new AlarmEvent(-1, AlarmEvent.Type.UPDATED, "", Instant.EPOCH, "", null, null);

    private final MeterRegistry registry;
    private final Counter clearedUnknown;
    private final Counter foldedCount;
    private final Counter escalated;
    private final Counter notifyFailed;
    private final Counter storeErrors;
    private final Counter lost;
    private final Timer escalationLateness;
    private final Timer txTime;

    public AlarmService(ConfigSource config, Bus bus, MeterRegistry registry, Path dataDir, Clock clock, Notifier notifier) {
        this(config, bus, registry, dataDir, clock, notifier, OutboxSettings.defaults());
    }

    /** @param outboxSettings retry policy of notifications (see {@link OutboxSettings#defaults()}) */
    public AlarmService(ConfigSource config, Bus bus, MeterRegistry registry, Path dataDir, Clock clock, Notifier notifier,
                        OutboxSettings outboxSettings) {
        this.config = config;
        this.bus = bus;
        this.registry = registry;
        this.dataDir = dataDir;
        this.clock = clock;
        this.notifications = new Outbox(config, notifier, outboxSettings, registry, clock);
        clearedUnknown = Counter.builder("safegrid.alarms.findings").tag("outcome", "clear-without-alarm").register(registry);
        foldedCount = Counter.builder("safegrid.alarms.findings").tag("outcome", "folded-into-site").register(registry);
        escalated = Counter.builder("safegrid.alarms.escalations").register(registry);
        notifyFailed = Counter.builder("safegrid.alarms.notifications").tag("result", "failed").register(registry);
        storeErrors = Counter.builder("safegrid.alarms.store.errors").register(registry);
        lost = Counter.builder("safegrid.alarms.findings").tag("outcome", "lost").register(registry);
        escalationLateness = Timer.builder("safegrid.alarms.escalation.lateness")
                .description("how long after its due time an escalation fired").register(registry);
        txTime = Timer.builder("safegrid.alarms.store.transaction").register(registry);
        Gauge.builder("safegrid.alarms.open", open, Map::size).register(registry);
    }

    /** Opens the store, restores open alarms, escalation timers and silences, then starts listening. */
    public void start() throws SQLException {
        synchronized (lock) {
            store = new AlarmStore(dataDir);
            restore();
        }
        notifications.start(AlarmStore.url(dataDir), new Journal() {
            @Override
            public void record(String alarmId, AlarmEvent.Type type, String note, Journal.Change change) {
                journal(alarmId, type, note, change);
            }

            @Override
            public boolean isClosed(String alarmId) {
                synchronized (lock) {
                    return store != null && !open.containsKey(alarmId);
                }
            }
        });
        publisher = daemon(this::publishLoop, "alarm-publish");
        publisher.start();
        Gauge.builder("safegrid.alarms.outbox", outbox, java.util.Collection::size)
                .description("committed alarm events waiting to be published").register(registry);
        ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "alarm-escalation"));
        ticker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        subscription = bus.subscribe(Topic.FINDINGS, GROUP, (key, f) -> onFinding(f));
        LOG.info("alarm service started: {} open alarms, {} escalation timers restored from {}", open.size(),
                escalations.size(), dataDir);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void restore() throws SQLException {
        open.clear();
        activeByKey.clear();
        siteAlarms.clear();
        escalations.clear();
        for (Alarm a : store.openAlarms()) {
            open.put(a.id(), a);
            if (isActive(a)) {
                activeByKey.put(a.key(), a.id());
                if (a.kind() == FindingKind.SITE_OFFLINE) {
                    siteAlarms.put(enterpriseOf(config.current(), a.site()), a.id());
                }
            }
        }
        escalations.putAll(store.escalations());
        silences.load(store.silences());
    }

    private static boolean isActive(Alarm a) {
        return a.state() == AlarmState.RAISED || a.state() == AlarmState.ACKNOWLEDGED;
    }

    // ---------------------------------------------------------------- transactions

    /** What one transaction produced, released only after it committed. */
    private static final class Tx {
        final List<AlarmEvent> events = new ArrayList<>();
        boolean queued;
    }

    @FunctionalInterface
    private interface Body<T> {
        T run(Tx tx) throws SQLException;
    }

    private <T> T tx(Body<T> body) {
        synchronized (lock) {
            if (store == null) {
                throw new IllegalStateException("alarm service is not started");
            }
            Tx tx = new Tx();
            T result;
            long t0 = System.nanoTime();
            try {
                result = body.run(tx);
                store.commit();
            } catch (SQLException e) {
                storeErrors.increment();
                store.rollback();
                LOG.error("alarm store transaction failed; memory state reloaded from the store", e);
                try {
                    restore();
                } catch (SQLException again) {
                    LOG.error("alarm store cannot be read", again);
                }
                throw new IllegalStateException("alarm store failed: " + e.getMessage(), e);
            } finally {
                txTime.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            }
            // handed to the publisher thread in commit order: a full ALARMS topic (or a console handler
            // that calls back into this desk) must never hold the lock
            outbox.addAll(tx.events);
            if (tx.queued) {
                notifications.wake();
            }
            return result;
        }
    }

    private AlarmEvent save(Tx tx, Alarm a, AlarmEvent.Type type, String actor, String note) throws SQLException {
        store.upsert(a);
        AlarmEvent e = store.append(type, a, clock.instant(), actor, note);
        if (a.state() == AlarmState.CLOSED) {
            open.remove(a.id());
        } else {
            open.put(a.id(), a);
        }
        tx.events.add(e);
        Counter.builder("safegrid.alarms.events").tag("type", type.name()).register(registry).increment();
        return e;
    }

    /** Publishes committed events on ALARMS, one at a time, in commit order. */
    private void publishLoop() {
        while (true) {
            AlarmEvent e;
            try {
                e = outbox.take();
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

    private void setTimer(String alarmId, int rung, Instant due) throws SQLException {
        store.setEscalation(alarmId, rung, due);
        escalations.put(alarmId, new EscalationDue(rung, due));
    }

    private void stopTimer(String alarmId) throws SQLException {
        EscalationDue d = escalations.get(alarmId);
        if (d != null && !d.dueAt().equals(NEVER)) {
            setTimer(alarmId, d.rung(), NEVER);
        }
    }

    // ---------------------------------------------------------------- findings

    /** Handles one finding; a store failure is retried twice before the finding is logged in full and counted lost. */
    void onFinding(Finding f) throws InterruptedException {
        Deployment d = config.current();
        Finding judged = applyOfflineRule(d, f);
        for (int attempt = 1; ; attempt++) {
            try {
                tx(tx -> {
                    handle(tx, d, judged);
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

    /** An OFFLINE rule that matches the device sets the level of ingest's device-offline finding. */
    private static Finding applyOfflineRule(Deployment d, Finding f) {
        if (f.kind() != FindingKind.DEVICE_OFFLINE) {
            return f;
        }
        Optional<Sensor> s = d.sensor(f.sourceId());
        for (RuleDef r : d.rules()) {
            if (r.type() == RuleDef.Type.OFFLINE && r.level() != null
                    && (s.isPresent() ? r.appliesTo(s.get().metric(), s.get().deviceClass())
                    : r.metric() == null && r.deviceClasses().isEmpty())) {
                return new Finding(f.id(), f.kind(), r.level(), f.condition(), f.sourceId(), f.site(), f.rule(), f.zone(),
                        f.value(), f.threshold(), f.time(), f.message(), f.snapshot(), f.details());
            }
        }
        return f;
    }

    private void handle(Tx tx, Deployment d, Finding f) throws SQLException {
        Instant now = clock.instant();
        String id = activeByKey.get(f.alarmKey());
        Alarm a = id == null ? null : open.get(id);
        if (f.kind() == FindingKind.DEVICE_OFFLINE && a == null) {
            GridPath ent = enterpriseOf(d, f.site());
            String siteAlarm = siteAlarms.get(ent);
            if (siteAlarm != null) {
                fold(tx, d, f, ent, siteAlarm, now);
                return;
            }
        }
        if (f.isActive()) {
            if (a == null) {
                raise(tx, d, f, now);
            } else {
                update(tx, d, a, f, now);
            }
        } else if (a == null) {
            clearedUnknown.increment();
            LOG.debug("cleared finding {} without an active alarm", f.alarmKey());
        } else {
            clear(tx, d, a, f, now);
        }
    }

    private void raise(Tx tx, Deployment d, Finding f, Instant now) throws SQLException {
        Alarm a = new Alarm(UUID.randomUUID().toString(), f.alarmKey(), f.kind(), f.level(), f.level(), AlarmState.RAISED,
                false, f.sourceId(), f.site(), f.rule(), f.message(), f.value(), f.value(), f.threshold(), 1, f.time(),
                f.time(), now, null);
        AlarmEvent raised = save(tx, a, AlarmEvent.Type.RAISED, SYSTEM, f.message());
        activeByKey.put(a.key(), a.id());
        LOG.info("alarm {} raised: {} {} at {}: {}", a.id(), a.level(), a.kind(), a.site(), a.message());
        if (a.kind() == FindingKind.SITE_OFFLINE) {
            inhibitDevices(tx, d, a);
        }
        if (!silenced(tx, a, now)) {
            EscalationLadder ladder = EscalationLadder.of(d.grid(), a.site());
            int reach = ladder.initialReach(d.escalation(), a.level());
            notifyRungs(tx, d, ladder, a, raised, 0, reach, now);
            setTimer(a.id(), reach, ladder.isTop(reach) ? NEVER
                    : now.plus(EscalationLadder.ackTimeout(d.escalation(), a.level())));
        }
        if (a.kind() == FindingKind.DEVICE_OFFLINE) {
            checkWholeSiteOffline(tx, d, f);
        }
    }

    private void update(Tx tx, Deployment d, Alarm a, Finding f, Instant now) throws SQLException {
        Level peak = f.level().compareTo(a.peakLevel()) > 0 ? f.level() : a.peakLevel();
        boolean belowRule = !Double.isNaN(f.threshold()) && f.value() < f.threshold();
        double peakValue = Double.isNaN(a.peakValue()) ? f.value()
                : belowRule ? Math.min(a.peakValue(), f.value()) : Math.max(a.peakValue(), f.value());
        Alarm u = new Alarm(a.id(), a.key(), a.kind(), f.level(), peak, a.state(), a.acknowledged(), a.sourceId(),
                a.site(), a.rule(), f.message(), f.value(), peakValue, f.threshold(), a.count() + 1, a.raisedAt(),
                f.time(), now, a.assignee());
        int cmp = f.level().compareTo(a.level());
        if (cmp == 0) {
            save(tx, u, AlarmEvent.Type.UPDATED, SYSTEM, "repeat #" + u.count() + ": " + f.message());
            return;
        }
        AlarmEvent changed = save(tx, u, AlarmEvent.Type.LEVEL_CHANGED, SYSTEM,
                a.level().labelZh() + " → " + u.level().labelZh() + " / " + a.level().colour() + " → " + u.level().colour());
        if (cmp < 0 || silenced(tx, u, now)) {
            return;
        }
        // a rise: tell the rungs the new level reaches, and restart the clock unless somebody already answered
        EscalationLadder ladder = EscalationLadder.of(d.grid(), u.site());
        EscalationDue due = escalations.get(u.id());
        int reached = due == null ? -1 : due.rung();
        int reach = Math.max(reached, ladder.initialReach(d.escalation(), u.level()));
        notifyRungs(tx, d, ladder, u, changed, reached + 1, reach, now);
        boolean waiting = !u.acknowledged() && !ladder.isTop(reach);
        setTimer(u.id(), reach, waiting ? now.plus(EscalationLadder.ackTimeout(d.escalation(), u.level())) : NEVER);
    }

    private void clear(Tx tx, Deployment d, Alarm a, Finding f, Instant now) throws SQLException {
        Alarm u = new Alarm(a.id(), a.key(), a.kind(), a.level(), a.peakLevel(), AlarmState.CLEARED, a.acknowledged(),
                a.sourceId(), a.site(), a.rule(), a.message(), f.value(), a.peakValue(), a.threshold(), a.count(),
                a.raisedAt(), f.time(), now, a.assignee());
        save(tx, u, AlarmEvent.Type.CLEARED, SYSTEM, f.message());
        activeByKey.remove(a.key());
        stopTimer(a.id());
        LOG.info("alarm {} cleared ({}acknowledged)", a.id(), a.acknowledged() ? "" : "not ");
        GridPath ent = enterpriseOf(d, a.site());
        if (a.kind() == FindingKind.SITE_OFFLINE && a.id().equals(siteAlarms.get(ent))) {
            siteAlarms.remove(ent);
            // devices still offline after the site came back get their own alarms now
            Map<String, Finding> still = folded.remove(ent);
            if (still != null) {
                for (Finding df : still.values()) {
                    raise(tx, d, df, now);
                }
            }
        }
        if (a.kind() == FindingKind.DEVICE_OFFLINE) {
            String siteAlarm = siteAlarms.get(ent);
            Alarm s = siteAlarm == null ? null : open.get(siteAlarm);
            if (s != null && DERIVED_SITE_OFFLINE.equals(s.rule())) {
                clear(tx, d, s, new Finding(UUID.randomUUID().toString(), FindingKind.SITE_OFFLINE, s.level(),
                        Condition.CLEARED, s.sourceId(), s.site(), s.rule(), null, Double.NaN, Double.NaN, f.time(),
                        "设备 " + a.sourceId() + " 恢复在线 / device " + a.sourceId() + " back online", null, null), now);
            }
        }
    }

    // ---------------------------------------------------------------- inhibition

    private static GridPath enterpriseOf(Deployment d, GridPath site) {
        if (site == null) {
            return null;
        }
        return d.grid().enterpriseOf(site).map(GridNode::path).orElse(site);
    }

    /** A device of a site that is offline as a whole: no alarm of its own, a line on the site's alarm. */
    private void fold(Tx tx, Deployment d, Finding f, GridPath ent, String siteAlarmId, Instant now) throws SQLException {
        Map<String, Finding> devices = folded.computeIfAbsent(ent, e -> new HashMap<>());
        if (!f.isActive()) {
            devices.remove(f.alarmKey());
            return;
        }
        devices.put(f.alarmKey(), f);
        Alarm s = open.get(siteAlarmId);
        Alarm u = new Alarm(s.id(), s.key(), s.kind(), s.level(), s.peakLevel(), s.state(), s.acknowledged(), s.sourceId(),
                s.site(), s.rule(), s.message(), s.value(), s.peakValue(), s.threshold(), s.count() + 1, s.raisedAt(),
                f.time(), now, s.assignee());
        save(tx, u, AlarmEvent.Type.UPDATED, SYSTEM,
                "设备 " + f.sourceId() + " 离线，并入本告警 / device " + f.sourceId() + " offline, folded into this alarm");
        foldedCount.increment();
    }

    /** A site alarm takes over the device-offline alarms already open below it: they stop escalating. */
    private void inhibitDevices(Tx tx, Deployment d, Alarm site) throws SQLException {
        GridPath ent = enterpriseOf(d, site.site());
        siteAlarms.put(ent, site.id());
        for (Alarm a : List.copyOf(open.values())) {
            if (a.kind() == FindingKind.DEVICE_OFFLINE && isActive(a) && a.site() != null && a.site().isWithin(ent)) {
                stopTimer(a.id());
                save(tx, a, AlarmEvent.Type.UPDATED, SYSTEM, "并入企业断线告警 " + site.id()
                        + "，不再单独升级 / inhibited by site alarm " + site.id() + ", no separate escalation");
            }
        }
    }

    /** Every configured device of the enterprise offline at once: most likely its link or power, one alarm. */
    private void checkWholeSiteOffline(Tx tx, Deployment d, Finding f) throws SQLException {
        GridPath ent = enterpriseOf(d, f.site());
        if (ent == null || siteAlarms.containsKey(ent)) {
            return;
        }
        List<Sensor> devices = d.sensors().stream().filter(s -> s.site() != null && s.site().isWithin(ent)).toList();
        if (devices.size() < 2) {
            return;
        }
        Set<String> offline = open.values().stream()
                .filter(a -> a.kind() == FindingKind.DEVICE_OFFLINE && isActive(a)).map(Alarm::sourceId)
                .collect(Collectors.toSet());
        if (!devices.stream().allMatch(s -> offline.contains(s.id()))) {
            return;
        }
        Level level = open.values().stream().filter(a -> a.kind() == FindingKind.DEVICE_OFFLINE && isActive(a)
                        && a.site() != null && a.site().isWithin(ent)).map(Alarm::level).max(Level::compareTo)
                .orElse(f.level());
        handle(tx, d, new Finding(UUID.randomUUID().toString(), FindingKind.SITE_OFFLINE, level, Condition.ACTIVE,
                ent.id(), ent, DERIVED_SITE_OFFLINE, null, devices.size(), Double.NaN, f.time(),
                "企业全部 " + devices.size() + " 台设备离线（疑似断线/断电）/ all " + devices.size()
                        + " devices of the enterprise offline (link or power down?)", null, Map.of()));
    }

    // ---------------------------------------------------------------- silences

    /** True when a silence covers the alarm; the timeline says so, and nobody is told. */
    private boolean silenced(Tx tx, Alarm a, Instant now) throws SQLException {
        Optional<Silence> s = silences.matching(a.sourceId(), a.site(), now);
        if (s.isEmpty()) {
            return false;
        }
        Silence x = s.get();
        save(tx, a, AlarmEvent.Type.SILENCED, SYSTEM, "屏蔽 " + x.id() + "（" + x.createdBy() + "：" + x.reason()
                + "，至 " + x.expiresAt() + "）/ silenced by " + x.createdBy() + ": " + x.reason() + " until " + x.expiresAt());
        stopTimer(a.id());
        return true;
    }

    // ---------------------------------------------------------------- escalation and notification

    private void notifyRungs(Tx tx, Deployment d, EscalationLadder ladder, Alarm a, AlarmEvent cause, int from, int to,
                             Instant now) throws SQLException {
        Set<String> told = new LinkedHashSet<>();
        for (int i = Math.max(0, from); i <= to && i < ladder.rungs().size(); i++) {
            for (GridPath node : ladder.rungs().get(i).nodes()) {
                notifyNode(tx, d, a, cause, node, now, told);
            }
        }
    }

    private void notifyNode(Tx tx, Deployment d, Alarm a, AlarmEvent cause, GridPath node, Instant now, Set<String> told)
            throws SQLException {
        var roster = DutyRoster.rosterOf(d.rosters(), node);
        if (roster.isEmpty()) {
            save(tx, a, AlarmEvent.Type.NOTIFICATION_FAILED, SYSTEM, "无值班表 / no duty roster at " + node);
            notifyFailed.increment();
            return;
        }
        DutyRoster.Duty duty = DutyRoster.onDuty(roster.get(), now.atZone(clock.getZone()));
        if (duty.people().isEmpty()) {
            save(tx, a, AlarmEvent.Type.NOTIFICATION_FAILED, SYSTEM, "无人值班 / nobody on duty at " + node);
            notifyFailed.increment();
            return;
        }
        Map<String, UserDef> users = d.users().stream().collect(Collectors.toMap(UserDef::name, u -> u, (x, y) -> x));
        Map<String, ChannelDef> channels = d.channels().stream().collect(Collectors.toMap(ChannelDef::id, c -> c, (x, y) -> x));
        for (String name : duty.people()) {
            if (!told.add(name)) {
                continue;
            }
            UserDef user = users.get(name);
            if (user == null) {
                save(tx, a, AlarmEvent.Type.NOTIFICATION_FAILED, SYSTEM, "未知用户 / unknown user " + name + " on the roster of " + node);
                notifyFailed.increment();
                continue;
            }
            String why = node + (duty.fallback() ? " (fallback)" : "");
            boolean any = false;
            for (Map.Entry<String, String> contact : user.contacts().entrySet()) {
                ChannelDef ch = channels.get(contact.getKey());
                if (ch != null) {
                    any = true;
                    queue(tx, d, user, ch, contact.getValue(), a, cause, why);
                }
            }
            if (!any) {
                queue(tx, d, user, CONSOLE, null, a, cause, why);
            }
        }
    }

    /** Stores the notification in this transaction: it exists exactly when the transition that caused it does. */
    private void queue(Tx tx, Deployment d, UserDef user, ChannelDef ch, String address, Alarm a, AlarmEvent cause, String why)
            throws SQLException {
        Pending p = new Pending(user.name(), ch.id(), ch.type(), address, MessageRenderer.message(d, a, cause, why));
        tx.queued |= notifications.enqueue(store.connection(), p);
    }

    /** The outbox's outcome of one delivery: its row and the timeline line in one transaction. */
    private void journal(String alarmId, AlarmEvent.Type type, String note, Journal.Change change) {
        tx(tx -> {
            change.apply(store.connection());
            Alarm now = open.containsKey(alarmId) ? open.get(alarmId) : store.alarm(alarmId).orElse(null);
            if (now != null) {
                tx.events.add(store.append(type, now, clock.instant(), SYSTEM, note));
            }
            return null;
        });
    }

    /** The notification outbox: each delivery of an alarm and its status ({@link Outbox#deliveries}). */
    public Outbox outbox() {
        return notifications;
    }

    /** Climbs one rung for every unacknowledged alarm whose time is up. Runs every 250 ms; tests may call it. */
    public int escalateDue() {
        return tx(tx -> {
            Instant now = clock.instant();
            Deployment d = config.current();
            int n = 0;
            // alarms raised under a silence that has since ended or expired start their notification now
            for (Alarm a : List.copyOf(open.values())) {
                if (a.state() == AlarmState.RAISED && !a.acknowledged() && !escalations.containsKey(a.id())
                        && silences.matching(a.sourceId(), a.site(), now).isEmpty()) {
                    EscalationLadder ladder = EscalationLadder.of(d.grid(), a.site());
                    int reach = ladder.initialReach(d.escalation(), a.level());
                    AlarmEvent ev = save(tx, a, AlarmEvent.Type.UPDATED, SYSTEM,
                            "屏蔽结束，告警仍未确认，开始通知 / silence over and still unacknowledged: notifying");
                    notifyRungs(tx, d, ladder, a, ev, 0, reach, now);
                    setTimer(a.id(), reach, ladder.isTop(reach) ? NEVER
                            : now.plus(EscalationLadder.ackTimeout(d.escalation(), a.level())));
                }
            }
            for (Map.Entry<String, EscalationDue> e : List.copyOf(escalations.entrySet())) {
                EscalationDue due = e.getValue();
                if (due.dueAt().isAfter(now)) {
                    continue;
                }
                Alarm a = open.get(e.getKey());
                if (a == null || a.acknowledged() || a.state() != AlarmState.RAISED) {
                    setTimer(e.getKey(), due.rung(), NEVER);
                    continue;
                }
                EscalationLadder ladder = EscalationLadder.of(d.grid(), a.site());
                int next = due.rung() + 1;
                if (next >= ladder.rungs().size()) {
                    setTimer(a.id(), due.rung(), NEVER);
                    continue;
                }
                escalationLateness.record(Duration.between(due.dueAt(), now));
                EscalationLadder.Rung rung = ladder.rungs().get(next);
                AlarmEvent ev = save(tx, a, AlarmEvent.Type.ESCALATED, SYSTEM, "升级至" + rung.kind().labelZh() + " " + rung.nodes()
                        + "（" + EscalationLadder.ackTimeout(d.escalation(), a.level()).toMinutes() + " 分钟未确认）/ escalated to "
                        + rung.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + rung.nodes() + ", unacknowledged for "
                        + EscalationLadder.ackTimeout(d.escalation(), a.level()));
                escalated.increment();
                LOG.warn("alarm {} unacknowledged, escalated to {} {}", a.id(), rung.kind(), rung.nodes());
                notifyRungs(tx, d, ladder, a, ev, next, next, now);
                setTimer(a.id(), next, ladder.isTop(next) ? NEVER
                        : now.plus(EscalationLadder.ackTimeout(d.escalation(), a.level())));
                n++;
            }
            return n;
        });
    }

    private void tick() {
        try {
            escalateDue();
        } catch (RuntimeException e) {
            LOG.error("escalation tick failed", e);
        }
    }

    // ---------------------------------------------------------------- the desk

    private Alarm require(String id) throws SQLException {
        Alarm a = open.get(id);
        if (a == null) {
            a = store.alarm(id).orElseThrow(() -> new NoSuchElementException("no alarm " + id));
        }
        return a;
    }

    private static String required(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what);
        }
        return text.strip();
    }

    @Override
    public AlarmPage list(AlarmQuery query) {
        synchronized (lock) {
            try {
                return store.query(query);
            } catch (SQLException e) {
                storeErrors.increment();
                throw new IllegalStateException("alarm store failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public Optional<Alarm> get(String alarmId) {
        synchronized (lock) {
            try {
                Alarm a = open.get(alarmId);
                return a != null ? Optional.of(a) : store.alarm(alarmId);
            } catch (SQLException e) {
                storeErrors.increment();
                throw new IllegalStateException("alarm store failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<AlarmEvent> timeline(String alarmId) {
        return tx(tx -> store.timeline(require(alarmId)));
    }

    @Override
    public Alarm acknowledge(String alarmId, String user, String note) {
        String who = required(user, "who acknowledges? / 请登录");
        return tx(tx -> {
            Alarm a = require(alarmId);
            if (a.state() == AlarmState.CLOSED) {
                throw new IllegalStateException("alarm " + alarmId + " is closed / 告警已关闭");
            }
            if (a.acknowledged()) {
                throw new IllegalStateException("alarm " + alarmId + " is already acknowledged / 告警已确认");
            }
            AlarmState next = a.state() == AlarmState.RAISED ? AlarmState.ACKNOWLEDGED : a.state();
            Alarm u = with(a, next, true, a.assignee());
            save(tx, u, AlarmEvent.Type.ACKNOWLEDGED, who, note);
            stopTimer(a.id());
            LOG.info("alarm {} acknowledged by {}", a.id(), who);
            return u;
        });
    }

    @Override
    public Alarm comment(String alarmId, String user, String text) {
        String who = required(user, "who comments?");
        String body = required(text, "a comment needs text / 请填写备注");
        return tx(tx -> {
            Alarm a = require(alarmId);
            Alarm u = with(a, a.state(), a.acknowledged(), a.assignee());
            save(tx, u, AlarmEvent.Type.COMMENTED, who, body);
            return u;
        });
    }

    @Override
    public Alarm assign(String alarmId, String user, String assignee) {
        String who = required(user, "who assigns?");
        String to = required(assignee, "assign to whom? / 请指定处置人");
        return tx(tx -> {
            Alarm a = require(alarmId);
            if (a.state() == AlarmState.CLOSED) {
                throw new IllegalStateException("alarm " + alarmId + " is closed / 告警已关闭");
            }
            Alarm u = with(a, a.state(), a.acknowledged(), to);
            save(tx, u, AlarmEvent.Type.ASSIGNED, who, to);
            return u;
        });
    }

    @Override
    public Alarm close(String alarmId, String user, String handlingNote) {
        String who = required(user, "who closes?");
        String note = required(handlingNote, "closing needs a handling note / 关闭告警须填写处置记录");
        return tx(tx -> {
            Alarm a = require(alarmId);
            if (a.state() == AlarmState.CLOSED) {
                throw new IllegalStateException("alarm " + alarmId + " is already closed / 告警已关闭");
            }
            if (!a.acknowledged()) {
                throw new IllegalStateException("acknowledge alarm " + alarmId + " before closing it / 请先确认告警");
            }
            Alarm u = with(a, AlarmState.CLOSED, true, a.assignee());
            save(tx, u, AlarmEvent.Type.CLOSED, who, note);
            activeByKey.remove(a.key(), a.id());
            escalations.remove(a.id());
            store.clearEscalation(a.id());
            siteAlarms.values().remove(a.id());
            return u;
        });
    }

    private Alarm with(Alarm a, AlarmState state, boolean ack, String assignee) {
        return new Alarm(a.id(), a.key(), a.kind(), a.level(), a.peakLevel(), state, ack, a.sourceId(), a.site(), a.rule(),
                a.message(), a.value(), a.peakValue(), a.threshold(), a.count(), a.raisedAt(), a.lastSeen(), clock.instant(),
                assignee);
    }

    @Override
    public Silence silence(String deviceId, GridPath node, String user, String reason, Instant expiresAt) {
        return tx(tx -> {
            Silence s = silences.create(deviceId, node, user, reason, expiresAt, clock.instant());
            store.upsert(s);
            LOG.info("silence {} set by {} on {} until {}: {}", s.id(), user, deviceId != null ? deviceId : node,
                    expiresAt, reason);
            return s;
        });
    }

    @Override
    public List<Silence> silences(boolean includeEnded) {
        synchronized (lock) {
            return silences.list(includeEnded, clock.instant());
        }
    }

    @Override
    public Silence endSilence(String silenceId, String user) {
        String who = required(user, "who ends the silence?");
        return tx(tx -> {
            Silence s = silences.end(silenceId, who, clock.instant());
            store.upsert(s);
            return s;
        });
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
        // before the store closes: outcomes of sends in flight still reach the timeline
        notifications.close();
        if (publisher != null) {
            outbox.add(STOP);
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
