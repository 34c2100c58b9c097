package io.safegrid.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.alerting.ledger.AlarmStore;
import io.safegrid.alerting.ledger.LedgerFacts;
import io.safegrid.assessment.accident.AccidentBook;
import io.safegrid.assessment.indicator.Sources;
import io.safegrid.assessment.report.ReportService;
import io.safegrid.assessment.score.AssessmentService;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.model.Level;
import io.safegrid.model.assessment.Report;
import io.safegrid.model.assessment.ReportJob;
import io.safegrid.model.assessment.ReportSpan;
import io.safegrid.model.assessment.Scorecard;
import io.safegrid.model.device.Protocol;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.EnterpriseProfile;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.HazardFacts;
import io.safegrid.model.hazard.HazardGrade;
import io.safegrid.model.supervision.InspectionProgress;
import io.safegrid.testing.Deployments;
import io.safegrid.testing.FactLists;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The monthly county report and a quarter's assessment at county scale: a grid of 10,000 enterprises
 * (10 townships × 20 villages × 50, four departments, two sensors each), {@code n} alarms of one
 * month written into the alarm ledger's own tables (embedded H2, the node's default) with their
 * acknowledgement and escalation events, read back through {@link LedgerFacts}; 50,000 hazards and
 * the inspection figures from lists. The report is made as the console makes it (figures, PDF and
 * xlsx), its progress printed as it goes.
 *
 * <p>{@code java ... io.safegrid.bench.ReportBench seed DIR [alarms]} writes the ledger (minutes; no timing), then
 * {@code java ... io.safegrid.bench.ReportBench run DIR} times the reports and the assessment on it.
 */
public final class ReportBench {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Instant MONTH = LocalDate.of(2026, 11, 1).atStartOfDay(ZONE).toInstant();
    private static final long MONTH_MS = Duration.ofDays(30).toMillis();

    private ReportBench() {
    }

    public static void main(String[] args) throws Exception {
        IngestThroughput.quietLogs();
        boolean seed = args.length > 0 && args[0].equals("seed");
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("safegrid-report-bench");
        int alarms = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        GridPath county = GridPath.of("xian");
        List<GridNode> nodes = new ArrayList<>();
        List<GridPath> sites = new ArrayList<>();
        List<Sensor> sensors = new ArrayList<>();
        nodes.add(new GridNode(county, GridKind.COUNTY, "示例县", null));
        GridPath[] departments = new GridPath[4];
        for (int i = 0; i < departments.length; i++) {
            departments[i] = county.child("dept" + i);
            nodes.add(new GridNode(departments[i], GridKind.DEPARTMENT, "部门" + i, null));
        }
        for (int i = 0; i < 10_000; i++) {
            GridPath township = county.child("town" + i / 1000);
            GridPath village = township.child("vil" + i / 50 % 20);
            if (i % 1000 == 0) {
                nodes.add(new GridNode(township, GridKind.TOWNSHIP, "镇" + i / 1000, null));
            }
            if (i % 50 == 0) {
                nodes.add(new GridNode(village, GridKind.VILLAGE, "村" + i / 50, null));
            }
            GridPath site = village.child("ent" + i);
            sites.add(site);
            nodes.add(new GridNode(site, GridKind.ENTERPRISE, "企业" + i,
                    new EnterpriseProfile("coal-mine", null, null, List.of(departments[i % 4]), null)));
            sensors.add(new Sensor("s" + i + "a", "甲烷", site, "methane", "%", null, "field", Protocol.MQTT));
            sensors.add(new Sensor("s" + i + "b", "一氧化碳", site, "co", "ppm", null, "field", Protocol.MQTT));
        }
        Deployment d = Deployments.builder().name("bench").grid(new Grid(nodes)).sensors(sensors).build();
        ConfigSource config = ConfigSource.of(d);

        if (seed) {
            long t0 = System.nanoTime();
            Files.createDirectories(dir);
            new AlarmStore(dir).close();   // the ledger's schema, as a node makes it
            seedAlarms(dir, alarms, sites);
            System.out.printf("seeded %,d alarms in %.1f s%n", alarms, (System.nanoTime() - t0) / 1e9);
            return;
        }

        Random rnd = new Random(7);
        List<HazardFacts.Fact> hazards = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            Instant reported = MONTH.minusMillis(MONTH_MS).plusMillis((long) (rnd.nextDouble() * 2 * MONTH_MS));
            Instant closed = rnd.nextInt(3) > 0 ? reported.plus(Duration.ofDays(1 + rnd.nextInt(20))) : null;
            hazards.add(new HazardFacts.Fact("h" + i, sites.get(rnd.nextInt(sites.size())), List.of(departments[i % 4]),
                    HazardGrade.values()[i % 3], reported, closed, reported.plus(Duration.ofDays(10)),
                    i % 50 == 0 ? reported.plus(Duration.ofDays(15)) : null));
        }
        InspectionProgress inspections = (subtree, from, to) ->
                new InspectionProgress.Completion(subtree.depth() * 10, subtree.depth() * 9, 0, List.of());
        Clock clock = Clock.fixed(MONTH.plus(Duration.ofDays(31)), ZoneOffset.UTC);
        AccidentBook book = AccidentBook.open(AccidentBook.embeddedUrl(dir), null, null, clock);
        Sources sources = new Sources(LedgerFacts.embedded(dir), FactLists.hazards(hazards), inspections, null, book);

        try (ReportService reports = new ReportService(config, () -> sources, ZONE, clock, new SimpleMeterRegistry())) {
            for (int run = 1; run <= 2; run++) {
                long r0 = System.nanoTime();
                ReportJob j = reports.start(county, ReportSpan.MONTHLY, LocalDate.of(2026, 11, 15));
                String last = "";
                while ("running".equals(j.state())) {
                    Thread.sleep(250);
                    j = reports.job(j.id()).orElseThrow();
                    String line = String.format("  %3.0f%% %s", j.progress() * 100, j.phase());
                    if (!line.equals(last)) {
                        System.out.printf("%6.1f s%s%n", (System.nanoTime() - r0) / 1e9, line);
                        last = line;
                    }
                }
                double secs = (System.nanoTime() - r0) / 1e9;
                Report r = reports.report(j.id()).orElseThrow();
                byte[] pdf = reports.file(j.id(), "pdf", "zh").orElseThrow();
                byte[] xlsx = reports.file(j.id(), "xlsx", "zh").orElseThrow();
                System.out.printf("monthly county report #%d: %s in %.1f s: %,d alarms, %d townships + departments, "
                        + "%d ranked units, PDF %,d B, xlsx %,d B%n", run, j.state(), secs, r.total().alarms(),
                        r.children().size(), r.ranking().size(), pdf.length, xlsx.length);
            }
        }
        AssessmentService assessment = new AssessmentService(config, () -> sources, ZONE, new SimpleMeterRegistry());
        for (int run = 1; run <= 2; run++) {
            long a0 = System.nanoTime();
            Scorecard card = assessment.assess(county, LocalDate.of(2026, 10, 1).atStartOfDay(ZONE).toInstant(),
                    LocalDate.of(2027, 1, 1).atStartOfDay(ZONE).toInstant());
            System.out.printf("quarter assessment #%d of the county: %d units in %.1f s (county score %.2f)%n", run,
                    card.units().size(), (System.nanoTime() - a0) / 1e9, card.total().score());
        }
    }

    /** Alarms as the ledger stores them, with a first acknowledgement for 85 % and a climb to the county for 3 %. */
    private static void seedAlarms(Path dir, int n, List<GridPath> sites) throws Exception {
        Random rnd = new Random(42);
        Level[] levels = {Level.BLUE, Level.BLUE, Level.YELLOW, Level.YELLOW, Level.ORANGE, Level.RED};
        FindingKind[] kinds = {FindingKind.THRESHOLD, FindingKind.DEVICE_OFFLINE, FindingKind.PERSON_IN_DANGER_ZONE,
                FindingKind.PPE_MISSING, FindingKind.SMOKE};
        try (Connection c = DriverManager.getConnection(LedgerFacts.embedded(dir).url(), "sa", "")) {
            c.setAutoCommit(false);
            try (PreparedStatement a = c.prepareStatement("INSERT INTO alarm (id, akey, kind, level, peak_level, state,"
                    + " acknowledged, source_id, site, rule, cnt, raised_at, last_seen, updated_at, first_ack_at, reached_county)"
                    + " VALUES (?,?,?,?,?,'CLOSED',?,?,?,'r',1,?,?,?,?,?)");
                 PreparedStatement e = c.prepareStatement("INSERT INTO alarm_event (alarm_id, type, time, actor, note, level,"
                         + " state, acknowledged, cnt) VALUES (?,?,?,?,?,?,'RAISED',?,1)")) {
                for (int i = 0; i < n; i++) {
                    String id = "a" + i;
                    int s = rnd.nextInt(sites.size());
                    Level level = levels[rnd.nextInt(levels.length)];
                    long raised = MONTH.toEpochMilli() + (long) (rnd.nextDouble() * MONTH_MS);
                    boolean acked = rnd.nextInt(100) < 85;
                    a.setString(1, id);
                    a.setString(2, "k" + i);
                    a.setString(3, kinds[rnd.nextInt(kinds.length)].name());
                    a.setString(4, level.name());
                    a.setString(5, level.name());
                    a.setBoolean(6, acked);
                    a.setString(7, "s" + s + (rnd.nextBoolean() ? "a" : "b"));
                    a.setString(8, sites.get(s).toString());
                    a.setLong(9, raised);
                    a.setLong(10, raised);
                    a.setLong(11, raised);
                    // the first acknowledgement and the climb to the county on the row too, as the ledger keeps them (V4)
                    long ackAt = raised + 60_000L * (1 + rnd.nextInt(40));
                    boolean county = rnd.nextInt(100) < 3;
                    if (acked) {
                        a.setLong(12, ackAt);
                    } else {
                        a.setNull(12, java.sql.Types.BIGINT);
                    }
                    a.setBoolean(13, county);
                    a.addBatch();
                    if (acked) {
                        event(e, id, "ACKNOWLEDGED", ackAt, "确认", level, true);
                    }
                    if (county) {
                        event(e, id, "ESCALATED", raised + 1_800_000L, "升级至县 / escalated to county [xian], unacknowledged",
                                level, false);
                    }
                    if (i % 10_000 == 9_999) {
                        a.executeBatch();
                        e.executeBatch();
                        c.commit();
                    }
                }
                a.executeBatch();
                e.executeBatch();
                c.commit();
            }
        }
    }

    private static void event(PreparedStatement e, String id, String type, long time, String note, Level level,
                              boolean acked) throws Exception {
        e.setString(1, id);
        e.setString(2, type);
        e.setLong(3, time);
        e.setString(4, "bench");
        e.setString(5, note);
        e.setString(6, level.name());
        e.setBoolean(7, acked);
        e.addBatch();
    }
}
