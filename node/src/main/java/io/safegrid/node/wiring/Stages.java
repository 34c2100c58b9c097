package io.safegrid.node.wiring;

import io.safegrid.alerting.disk.DiskSettings;
import io.safegrid.model.bus.Urgency;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.judging.Judge;
import io.safegrid.node.threads.Scheduling;
import io.safegrid.node.standby.StandbyHealth;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.alerting.alarm.AlarmService;
import io.safegrid.alerting.notify.RosterNotices;
import io.safegrid.hazard.register.HazardService;
import io.safegrid.hazard.register.HazardSettings;
import io.safegrid.alerting.notify.ChannelNotifier;
import io.safegrid.alerting.outbox.OutboxSettings;
import io.safegrid.record.RecordSeriesHistory;
import io.safegrid.record.RecordService;
import io.safegrid.record.RecordSettings;
import io.safegrid.bus.kafka.KafkaBus;
import io.safegrid.analytics.rules.SensorRules;
import io.safegrid.cascade.Cascade;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.console.Console;
import io.safegrid.console.health.Health;
import io.safegrid.ingest.SensorIngest;
import io.safegrid.ingest.camera.CameraIntake;
import io.safegrid.ingest.intake.StoredByBus;
import io.safegrid.ingest.journal.Checkpoints;
import io.safegrid.ingest.journal.DiskRoom;
import io.safegrid.ingest.journal.GroupCommit;
import io.safegrid.ingest.journal.Journal;
import io.safegrid.ingest.journal.JournalSettings;
import io.safegrid.model.bus.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.safegrid.ingest.gb28181.Gb28181Server;
import io.safegrid.analytics.video.VideoAnalytics;
import io.safegrid.model.alarm.AlarmDesk;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.CameraShare;
import io.safegrid.model.device.CameraSource;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Deque;

/**
 * Builds each stage of a node and remembers what it started, for ports and shutdown. Only this
 * class (and the simulators) know the stages' concrete classes; stages know each other only
 * through the bus and the interfaces in model.
 */
public final class Stages {
    /** Duty rosters and HJ 212 data times are local to the county. */
    public static final ZoneId COUNTY_ZONE = ZoneId.of("Asia/Shanghai");

    private final ConfigSource config;
    private final Bus bus;
    private final MeterRegistry registry;
    private final Health health;
    /** While the alerting service stands by for the alarm store: the stand-in /health. */
    private volatile StandbyHealth standing;
    private final Clock clock = Clock.system(COUNTY_ZONE);
    private AlarmService alarms;
    private RecordService record;
    private SensorIngest sensors;
    private Journal journal;
    private CameraIntake cameras;
    private Cascade cascade;
    private CameraShare share;
    private Gb28181Server gb28181;
    private final Scheduling scheduling;
    private SensorRules rules;
    private HazardService hazards;
    private io.safegrid.supervision.Supervision supervision;
    private AssessmentStage assessment;

    Stages(ConfigSource config, Bus bus, MeterRegistry registry, Health health, Scheduling scheduling) {
        this.scheduling = scheduling;
        this.config = config;
        this.bus = bus;
        this.registry = registry;
        this.health = health;
    }

    void startAlerting(Deque<AutoCloseable> running) throws Exception {
        Deployment d = config.current();
        // made on an urgent thread: the notifiers' HTTP clients start their threads there, and they inherit it
        ChannelNotifier notifier = scheduling.makeOn(Urgency.URGENT, () -> ChannelNotifier.defaults(Duration.ofSeconds(5), Clock.systemUTC()));
        alarms = new AlarmService(config, bus, registry, d.node().dataDir(), clock, notifier, OutboxSettings.defaults(),
                DiskSettings.of(d.acceptance().disk()), scheduling);
        alarms.onStandingBy(() -> {
            try {
                standing = StandbyHealth.start(d.node().bindAddress(), d.node().httpPort(), d.node().nodeId());
            } catch (java.io.IOException e) {
                org.slf4j.LoggerFactory.getLogger(Stages.class).warn("standing by without /health: cannot listen on {}:{}: {}", d.node().bindAddress(),
                        d.node().httpPort(), e.toString());
            }
        });
        try {
            alarms.start();
        } finally {
            StandbyHealth s = standing;
            standing = null;
            if (s != null) {
                s.close(); // the console binds the port next
            }
        }
        running.push(alarms);
        AlarmService started = alarms;
        // DOWN (503) while the alarm store cannot write (alarms are held in memory)
        health.register("alerting.alarms", started::storeUp);
        startHazards(running, notifier);
        startSupervision(running);
        startAssessment(running, notifier);
    }

    /** The assessment and reports beside the hazard register; a store that cannot open leaves alarms running. */
    void startAssessment(Deque<AutoCloseable> running, ChannelNotifier channels) {
        Deployment d = config.current();
        try {
            io.safegrid.config.AlarmsConfig store = d.alarms();
            io.safegrid.alerting.ledger.LedgerFacts ledger = store.url() == null
                    ? io.safegrid.alerting.ledger.LedgerFacts.embedded(d.node().dataDir())
                    : new io.safegrid.alerting.ledger.LedgerFacts(store.url(), store.user(), store.password());
            assessment = new AssessmentStage(config, d.node().dataDir(), ledger, hazards, new RosterNotices(config, clock, COUNTY_ZONE, channels),
                    clock, COUNTY_ZONE, registry);
            if (supervision != null) {
                assessment.inspections(supervision.inspections());
            }
            running.push(assessment);
            health.note("assessment", () -> null);
        } catch (Exception | LinkageError e) {
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            org.slf4j.LoggerFactory.getLogger(Stages.class).error("assessment not started (alarms run on): {}", why);
            health.note("assessment", () -> "unavailable: " + why);
        }
    }

    /**
     * The hazard register runs beside alerting: one active instance, its notices through the same rosters
     * and channel notifiers as alarms.
     * A register that cannot open its database (PostgreSQL unreachable) does not keep alarms from
     * starting: the hazard API answers 503 and /health says why.
     */
    void startHazards(Deque<AutoCloseable> running, ChannelNotifier channels) {
        Deployment d = config.current();
        HazardService h = new HazardService(config, HazardSettings.of(d.hazards(), d.node().dataDir()), clock, registry)
                .notices(new RosterNotices(config, clock, COUNTY_ZONE, channels));
        try {
            hazards = h.start(true);
            running.push(hazards);
            health.note("alerting.hazards", () -> null);
        } catch (Exception | LinkageError e) {
            h.close();
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            org.slf4j.LoggerFactory.getLogger(Stages.class).error("hazard register not started (alarms run on): {}", why);
            health.note("alerting.hazards", () -> "unavailable: " + why);
        }
    }

    /**
     * Supervision (inspections in PDCA cycles, the red-line register) runs beside the hazard register,
     * in its database, and raises hazards into it; without the register it does not start, and its
     * API answers 503 while alarms and hazards run on.
     */
    void startSupervision(Deque<AutoCloseable> running) {
        if (hazards == null) {
            health.note("alerting.supervision", () -> "unavailable: no hazard register");
            return;
        }
        Deployment d = config.current();
        try {
            HazardService h = hazards;
            supervision = io.safegrid.supervision.Supervision.open(config,
                    io.safegrid.supervision.SupervisionSettings.of(d.hazards(), d.node().dataDir()), clock, registry, () -> h);
            running.push(supervision);
            running.push(new io.safegrid.supervision.redline.AlarmViolations(bus, supervision.redLines(), registry).start());
            health.note("alerting.supervision", () -> null);
        } catch (RuntimeException | LinkageError e) {
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            org.slf4j.LoggerFactory.getLogger(Stages.class).error("supervision not started (alarms and hazards run on): {}", why);
            health.note("alerting.supervision", () -> "unavailable: " + why);
        }
    }

    /** The time-series record, a stage of its own that reads the bus in its own consumer group. */
    void startRecord(Deque<AutoCloseable> running) throws Exception {
        record = RecordService.start(RecordSettings.of(config.current(), COUNTY_ZONE), config, bus, registry);
        running.push(record);
        RecordService recording = record;
        // DOWN (503) while the record refuses writes; the check keeps the name operators know
        health.register("alerting.record", recording::writable);
        health.note("alerting.record", recording::downReason); // why, e.g. whose disk is full and where
    }

    /**
     * The enterprise-to-county link, when the config has a {@code cascade:} section: after alerting (it
     * acts on this node's alarm desk) and before analytics and ingest (so every finding is forwarded).
     */
    void startCascade(Deque<AutoCloseable> running) throws Exception {
        cascade = new Cascade(config, bus, registry, config.current().node().dataDir().resolve("cascade"), alarms);
        cascade.start();
        running.push(cascade);
    }

    /**
     * @param ingestHere this node runs ingest too: on the in-process bus ingest then calls the rules itself
     *                   (see {@link #startIngest}); otherwise the rules read the readings from the bus
     */
    void startAnalytics(Deque<AutoCloseable> running, boolean ingestHere) throws Exception {
        rules = new SensorRules(config, bus, registry);
        if (alarms != null) {
            rules.resumeFrom(alarms); // alarms open from before a restart clear on the first normal reading
        }
        rules.start();
        if (!judgedAtIngest(ingestHere)) {
            rules.judgeFromBus();
        }
        running.push(rules);
        health.register("analytics.rules", () -> true);
        VideoAnalytics video = new VideoAnalytics(config, bus, registry);
        video.start();
        running.push(video);
        // video loss is judged here from the intake's stream reports, wherever the camera is decoded
        io.safegrid.analytics.video.loss.VideoLossWatch loss = new io.safegrid.analytics.video.loss.VideoLossWatch(config, bus,
                Duration.ofSeconds(5));
        // a loss judged before a restart or a rebalance ends at the camera's first picture after it
        running.push((alarms != null ? loss.resumeFrom(alarms) : loss.alarmsElsewhere()).start());
        health.register("analytics.video", () -> true);
        // which object detector the cameras use; the HOG fallback is degraded, not down
        health.note("analytics.video.detector", () -> video.detectors().map(d -> d.detector().name()
                + d.fallbackReason().map(why -> " (fallback: " + why + ")").orElse("")).orElse(null));
        startCameras(running);
    }

    /**
     * Frames never leave the process on either bus, so cameras are decoded where they are analysed,
     * on the share of the cameras the bus gives this node: all of them on the in-process bus; on Kafka
     * the PULL cameras whose share the camera-owners group gave it, and the PUSH cameras that connect
     * to it (an edge box pushes to one node; they stay there).
     */
    private void startCameras(Deque<AutoCloseable> running) throws Exception {
        CameraShare share = bus.cameraShare();
        this.share = share;
        cameras = new CameraIntake(config, bus, registry);
        // a spread share: PULL as shared out; PUSH only once its edge box connects here (else every node would report it lost)
        cameras.runOnly(c -> !share.spread()
                || c.source() != null && c.source().mode() == CameraSource.Mode.PULL && share.owns(c.id()));
        cameras.start();
        running.push(cameras);
        share.onChange(cameras::ownershipChanged);
        share.start();
        running.push(share);   // closed first: leaves the group at once, so the others take over
        health.register("ingest.cameras", () -> true);
    }

    /**
     * Readings are judged at ingest, on the connection's thread, where both run in this process on the
     * in-process bus: no hand-over on the way to an alarm. On Kafka a device's readings may reach any
     * ingest node, so one rules consumer per device partition judges them.
     */
    private boolean judgedAtIngest(boolean ingestHere) {
        return ingestHere && !(bus instanceof KafkaBus);
    }

    void startIngest(Deque<AutoCloseable> running) throws Exception {
        sensors = new SensorIngest(config, bus, registry, clock, COUNTY_ZONE);
        if (rules != null && judgedAtIngest(true)) {
            sensors.judgeWith(rules);
        }
        if (bus instanceof KafkaBus) {
            sensors.acknowledgeWith(new StoredByBus(bus));   // the broker's log is the journal
        } else if (config.current().acceptance().journal()) {
            startJournal(running);
        }
        sensors.start();
        running.push(sensors);
        health.register("ingest.sensors", () -> true);
        startGb28181(running);
        if (cameras == null) {   // cameras run on the analytics nodes, next to their analysis (see startCameras)
            String elsewhere = CamerasElsewhere.note(config.current());
            if (elsewhere != null) {
                org.slf4j.LoggerFactory.getLogger(Stages.class).warn("{}", elsewhere);
                health.note("ingest.cameras", () -> elsewhere);
            }
            return;
        }
        sensors.acceptSnapshots(cameras.snapshots());
        if (gb28181 != null) {   // GB/T 28181 channels bound to cameras come in through the push port
            String bind = config.current().node().bindAddress();
            gb28181.relayCameras(bind == null || bind.equals("0.0.0.0") ? "127.0.0.1" : bind, cameras.pushPort());
        }
    }

    /**
     * The ingest journal on the in-process bus (on Kafka the broker's acknowledgement is the durable one):
     * replays what the stages had not confirmed before the last stop, then holds acknowledgements until
     * readings are journaled. Closed after ingest, so its last checkpoint sees everything ingest took.
     */
    private void startJournal(Deque<AutoCloseable> running) throws Exception {
        Deployment d = config.current();
        Path dir = d.node().dataDir().resolve("journal");
        Files.createDirectories(dir);
        // below the refusing watermark (less the alarm store's released reserve) readings get the protocol's refusal
        AlarmService sharing = alarms;
        DiskRoom room = new DiskRoom(dir, d.acceptance().disk().refuseFreeBytes(),
                sharing == null ? () -> 0 : sharing::diskSetAside, 100);
        journal = Journal.open(JournalSettings.of(d.acceptance(), dir), room, registry, Clock.systemUTC());
        List<Checkpoints.Stage> durable = new ArrayList<>();
        durable.add(Checkpoints.Stage.of("bus (readings)", t -> bus.awaitDelivered(Topic.READINGS, t)));
        durable.add(Checkpoints.Stage.of("bus (findings)", t -> bus.awaitDelivered(Topic.FINDINGS, t)));
        if (record != null) {
            durable.add(Checkpoints.Stage.of("record", record.recorder()::awaitDurable));
        }
        Judge judge = rules != null ? rules : Judge.NONE;   // replayed readings are judged as if they came in now
        journal.replay(r -> {
            try {
                bus.publish(Topic.READINGS, r.deviceId(), r);
                for (Finding f : judge.judge(r.deviceId(), List.of(r))) {
                    bus.publish(Topic.FINDINGS, f.sourceId(), f);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while replaying the journal", e);
            }
        });
        Checkpoints checkpoints = new Checkpoints(journal, durable, registry);
        checkpoints.start();
        running.push(checkpoints);
        sensors.acknowledgeWith(new GroupCommit(journal));
    }

    /** The ingest journal, when this node runs ingest on the in-process bus with it on; null otherwise. */
    public Journal journal() { return journal; }
    /** The GB/T 28181 SIP server, when the config has a {@code gb28181:} section. */
    private void startGb28181(Deque<AutoCloseable> running) throws Exception {
        if (!config.current().gb28181().enabled()) {
            return;
        }
        gb28181 = new Gb28181Server(config, bus, registry, clock);
        gb28181.start();
        running.push(gb28181);
        health.register("ingest.gb28181", () -> true);
    }

    /** The GB/T 28181 server, or null where this node runs none. */
    public Gb28181Server gb28181() { return gb28181; }

    /** This node's share of the cameras (all of them on the in-process bus); null without analytics. */
    public CameraShare cameraShare() { return share; }

    /** Hands the console what this node has to show: the alarm desk and the recorded history. */
    void addConsoleViews(Console console) {
        if (alarms != null) {
            console.alarmDesk(alarms);
        }
        if (record != null) {
            console.seriesHistory(new RecordSeriesHistory(record.history(), config));
        }
        console.zone(COUNTY_ZONE);
        if (gb28181 != null) {
            Gb28181Routes.add(console, gb28181);
            gb28181.watchedBy(console::watching);   // on-demand channels play while their camera is watched
        }
        if (hazards != null) {
            console.hazardRegister(hazards).enterpriseArchive(hazards.archive());
        }
        if (supervision != null) {
            console.inspections(supervision.inspections()).redLines(supervision.redLines());
        }
        if (assessment != null) {
            console.assessments(assessment.assessments()).reports(assessment.reports());
        }
    }

    /** Bound ports, or -1 where this node does not listen. */
    public int mqttPort() { return sensors == null ? -1 : sensors.mqttPort(); }

    public int hj212Port() { return sensors == null ? -1 : sensors.hj212Port(); }

    public int ingestHttpPort() { return sensors == null ? -1 : sensors.httpPort(); }

    /** The port of the stand-in /health while the alerting service stands by for the alarm store; -1 otherwise. */
    public int standbyHealthPort() {
        StandbyHealth s = standing;
        return s == null ? -1 : s.port();
    }

    public int gb28181Port() { return gb28181 == null ? -1 : gb28181.port(); }

    public int videoPushPort() { return cameras == null ? -1 : cameras.pushPort(); }

    /** The time-series record, when this node runs alerting; null otherwise. */
    public RecordService record() { return record; }

    /** The cascade, when the config has one; null otherwise. */
    public Cascade cascade() { return cascade; }

    /** The hazard register, when this node runs alerting; null otherwise. */
    public HazardService hazards() { return hazards; }

    /** The alarm desk, when this node runs alerting; null otherwise. */
    public AlarmDesk alarmDesk() { return alarms; }

    /** Inspections and the red-line register, when this node runs alerting and its hazard register started; else null. */
    public io.safegrid.supervision.Supervision supervision() { return supervision; }

    /** The assessment and reports, when this node runs alerting; null otherwise. */
    public AssessmentStage assessment() { return assessment; }
}
