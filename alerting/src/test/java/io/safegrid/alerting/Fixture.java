package io.safegrid.alerting;

import io.safegrid.testing.Deployments;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.alerting.alarm.AlarmService;
import io.safegrid.alerting.notify.Notifier;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.Roster;
import io.safegrid.config.RuleDef;
import io.safegrid.config.UserDef;
import io.safegrid.model.Level;
import io.safegrid.model.RiskGrade;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.Protocol;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.EnterpriseProfile;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A county with one coal mine and everyone on a 24 h roster: the mine's control room (kzs), the
 * village (cun), the township (zhen), the coal bureau (mtj) and the county duty office (xian).
 */
public final class Fixture implements AutoCloseable {
    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    public static final GridPath COUNTY = GridPath.of("puxian");
    public static final GridPath BUREAU = GridPath.parse("puxian/coal-bureau");
    public static final GridPath TOWN = GridPath.parse("puxian/keliqiao");
    public static final GridPath VILLAGE = GridPath.parse("puxian/keliqiao/village-3");
    public static final GridPath MINE = GridPath.parse("puxian/keliqiao/village-3/coalmine-7");
    public static final GridPath OTHER_MINE = GridPath.parse("puxian/keliqiao/village-3/coalmine-9");

    /** A clock the test moves. */
    public static final class TestClock extends Clock {
        private final AtomicReference<Instant> now;
        private final ZoneId zone;

        public TestClock(Instant start, ZoneId zone) {
            this.now = new AtomicReference<>(start);
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() { return zone; }

        @Override
        public Clock withZone(ZoneId z) { return new TestClock(now.get(), z); }

        @Override
        public Instant instant() { return now.get(); }

        public void advance(Duration d) { now.updateAndGet(i -> i.plus(d)); }
    }

    public final TestClock clock = new TestClock(Instant.parse("2026-11-29T02:00:00Z"), CHINA);
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final List<AlarmEvent> published = new CopyOnWriteArrayList<>();
    public final Path dataDir;
    public Deployment deployment;
    public InProcessBus bus;
    public AlarmService service;
    public Notifier notifier;
    /** Retry policy the service starts with; tests shorten it. */
    public io.safegrid.alerting.outbox.OutboxSettings outboxSettings = io.safegrid.alerting.outbox.OutboxSettings.defaults();
    /** No watermarks and no reserve unless a test asks: the suite must not depend on the build machine's disk. */
    public io.safegrid.alerting.disk.DiskSettings diskSettings =
            new io.safegrid.alerting.disk.DiskSettings(0, 0, 0, Duration.ofSeconds(1));
    /** How the service's threads are scheduled (and the store's server process beside them). */
    public io.safegrid.model.scheduling.ThreadPolicy threads = io.safegrid.model.scheduling.ThreadPolicy.NONE;
    /** The alarm store the service opens: the embedded file in {@link #dataDir} unless a test picks one ({@link #on}). */
    public io.safegrid.config.AlarmsConfig store = io.safegrid.config.AlarmsConfig.defaults();
    private Deployment given;
    private Deployment withStore;
    /** Runs on each new service before it starts. */
    public java.util.function.Consumer<AlarmService> beforeStart = s -> { };
    /** Makes the bus on each start; tests may shrink its queues. */
    public java.util.function.Supplier<InProcessBus> busFactory = InProcessBus::new;

    public Fixture(Path dataDir, Notifier notifier, List<RuleDef> rules, List<ChannelDef> channels, List<UserDef> extraUsers) {
        this.dataDir = dataDir;
        this.notifier = notifier;
        this.deployment = deployment(rules, channels, extraUsers);
    }

    public Fixture(Path dataDir, Notifier notifier) {
        this(dataDir, notifier, List.of(), List.of(), List.of());
    }

    public static Deployment deployment(List<RuleDef> rules, List<ChannelDef> channels, List<UserDef> extraUsers) {
        EnterpriseProfile coal = new EnterpriseProfile("coal-mine", null, RiskGrade.MAJOR, List.of(BUREAU), "0357-1234567");
        Grid grid = new Grid(List.of(
                new GridNode(COUNTY, GridKind.COUNTY, "蒲县", null),
                new GridNode(BUREAU, GridKind.DEPARTMENT, "县煤炭局", null),
                new GridNode(TOWN, GridKind.TOWNSHIP, "克城镇", null),
                new GridNode(VILLAGE, GridKind.VILLAGE, "三村", null),
                new GridNode(MINE, GridKind.ENTERPRISE, "七号煤矿", coal),
                new GridNode(OTHER_MINE, GridKind.ENTERPRISE, "九号煤矿", coal)));
        List<Roster> rosters = List.of(
                allDay(MINE, "kzs"), allDay(VILLAGE, "cun"), allDay(TOWN, "zhen"), allDay(BUREAU, "mtj"),
                allDay(COUNTY, "xian"));
        List<UserDef> users = new ArrayList<>();
        for (String u : List.of("kzs", "cun", "zhen", "mtj", "xian")) {
            users.add(new UserDef(u, u.toUpperCase(), null, "township-officer", COUNTY, Map.of()));
        }
        users.addAll(extraUsers);
        List<Sensor> sensors = List.of(
                new Sensor("ch4-1", "T1", MINE, "ch4", "%", null, "coal-working-face", Protocol.MQTT),
                new Sensor("ch4-2", "T2", MINE, "ch4", "%", null, "coal-return-airway", Protocol.MQTT),
                new Sensor("co-9", "CO", OTHER_MINE, "co", "ppm", null, "co", Protocol.HJ212));
        return Deployments.builder().grid(grid).sensors(sensors).rules(rules).rosters(rosters)
                .channels(channels).users(users).build();
    }

    static Roster allDay(GridPath node, String person) {
        return new Roster(node, List.of(new Roster.Shift("all-day", LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, Set.of(),
                List.of(person))), null);
    }

    /** Runs on a fresh store of the given kind (kept across restarts of this fixture). */
    public Fixture on(Stores kind) throws Exception {
        store = kind.fresh();
        return this;
    }

    /** {@link #deployment} with {@link #store}: rebuilt only when a test swapped the deployment. */
    private synchronized Deployment withStore() {
        if (given != deployment) {
            given = deployment;
            withStore = Deployments.from(deployment).alarms(store).build();
        }
        return withStore;
    }

    /** Starts (or restarts) the bus and the service on the same data directory. */
    public Fixture start() throws Exception {
        given = null;
        bus = busFactory.get();
        bus.subscribe(Topic.ALARMS, "test", (k, e) -> published.add(e));
        ConfigSource cfg = new ConfigSource() {
            @Override
            public Deployment current() { return withStore(); }

            @Override
            public void onChange(java.util.function.Consumer<Deployment> l) {
            }
        };
        service = new AlarmService(cfg, bus, registry, dataDir, clock, notifier, outboxSettings, diskSettings, threads);
        beforeStart.accept(service);
        service.start();
        return this;
    }

    public void stop() {
        if (service != null) {
            service.close();
            service = null;
        }
        if (bus != null) {
            bus.close();
            bus = null;
        }
    }

    public void publish(Finding f) throws InterruptedException {
        bus.publish(Topic.FINDINGS, f.sourceId(), f);
    }

    public Finding finding(String source, GridPath site, FindingKind kind, String rule, Level level, Condition c, double value) {
        return new Finding(UUID.randomUUID().toString(), kind, level, c, source, site, rule, null, value, 1.0,
                clock.instant(), kind.labelZh() + " " + value, null, Map.of("metric", "ch4"));
    }

    public Finding methane(Level level, Condition c, double value) {
        return finding("ch4-1", MINE, FindingKind.THRESHOLD, "methane", level, c, value);
    }

    @Override
    public void close() {
        stop();
    }
}
