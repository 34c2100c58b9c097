package io.safegrid.assessment;

import io.safegrid.assessment.accident.AccidentBook;
import io.safegrid.assessment.indicator.Sources;
import io.safegrid.config.AssessmentConfig;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.EscalationPolicy;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.AlarmFacts;
import io.safegrid.model.archive.ArchiveItem;
import io.safegrid.model.archive.ArchiveKind;
import io.safegrid.model.archive.EnterpriseArchive;
import io.safegrid.model.assessment.AccidentSeverity;
import io.safegrid.model.device.Protocol;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.grid.EnterpriseProfile;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import io.safegrid.model.hazard.HazardFacts;
import io.safegrid.model.hazard.HazardGrade;
import io.safegrid.model.supervision.InspectionProgress;
import io.safegrid.testing.Deployments;
import io.safegrid.testing.FactLists;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small county whose quarter (Q4 2026) is scored by hand in docs/assessment.md and in
 * {@link ScoringTest}: two townships, a village each, three enterprises, a coal department over two
 * of them, alarms, hazards, inspection tasks, an expired certificate and a fatal accident.
 */
final class Fixture {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final Instant F = Instant.parse("2026-09-30T16:00:00Z");
    static final Instant T = Instant.parse("2026-12-31T16:00:00Z");
    static final GridPath CTY = GridPath.parse("cty");
    static final GridPath COAL = GridPath.parse("cty/coal");
    static final GridPath T1 = GridPath.parse("cty/t1");
    static final GridPath V1 = GridPath.parse("cty/t1/v1");
    static final GridPath E1 = GridPath.parse("cty/t1/v1/e1");
    static final GridPath E2 = GridPath.parse("cty/t1/v1/e2");
    static final GridPath T2 = GridPath.parse("cty/t2");
    static final GridPath V2 = GridPath.parse("cty/t2/v2");
    static final GridPath E3 = GridPath.parse("cty/t2/v2/e3");

    static Instant day(double days) {
        return F.plus(Duration.ofMinutes(Math.round(days * 24 * 60)));
    }

    static Instant min(Instant t, int minutes) {
        return t.plus(Duration.ofMinutes(minutes));
    }

    static Grid grid() {
        return new Grid(List.of(
                new GridNode(CTY, GridKind.COUNTY, "样县", null),
                new GridNode(COAL, GridKind.DEPARTMENT, "煤炭局", null),
                new GridNode(T1, GridKind.TOWNSHIP, "一镇", null),
                new GridNode(V1, GridKind.VILLAGE, "一村", null),
                new GridNode(E1, GridKind.ENTERPRISE, "一矿", profile(COAL)),
                new GridNode(E2, GridKind.ENTERPRISE, "砖厂", profile()),
                new GridNode(T2, GridKind.TOWNSHIP, "二镇", null),
                new GridNode(V2, GridKind.VILLAGE, "二村", null),
                new GridNode(E3, GridKind.ENTERPRISE, "二矿", profile(COAL))));
    }

    private static EnterpriseProfile profile(GridPath... departments) {
        return new EnterpriseProfile("coal", null, null, List.of(departments), null);
    }

    static Deployment deployment(AssessmentConfig a) {
        Deployment base = Deployments.builder().grid(grid())
                .escalation(new EscalationPolicy(Map.of(), Map.of(Level.RED, Duration.ofMinutes(5),
                        Level.YELLOW, Duration.ofMinutes(15))))
                .sensor(sensor("s1", E1)).sensor(sensor("s2", E1)).sensor(sensor("s3", E2)).sensor(sensor("s4", E3))
                .assessment(a).build();
        return base;
    }

    static AssessmentConfig config(List<String> veto, double vetoScore) {
        AssessmentConfig d = AssessmentConfig.defaults();
        return new AssessmentConfig(null, null, null, d.weights(), d.ackTarget(), veto, vetoScore, List.of());
    }

    private static Sensor sensor(String id, GridPath site) {
        return new Sensor(id, id, site, "ch4", "%", null, "field", Protocol.MQTT);
    }

    static final List<AlarmFacts.Fact> ALARMS = List.of(
            new AlarmFacts.Fact("a1", E1, "s1", "THRESHOLD", Level.RED, day(1), min(day(1), 2), false),
            new AlarmFacts.Fact("a2", E1, "s2", "THRESHOLD", Level.YELLOW, day(2), min(day(2), 20), true),
            new AlarmFacts.Fact("a3", E2, "s3", "DEVICE_OFFLINE", Level.YELLOW, day(3), null, false),
            new AlarmFacts.Fact("a4", E2, "s3", "THRESHOLD", Level.BLUE, day(4), min(day(4), 4), false),
            new AlarmFacts.Fact("a5", E3, "s4", "FIRE", Level.ORANGE, day(5), min(day(5), 10), false),
            new AlarmFacts.Fact("a6", E3, "s4", "FIRE", Level.RED, day(-1), null, true));

    static final List<HazardFacts.Fact> HAZARDS = List.of(
            new HazardFacts.Fact("h1", E1, List.of(COAL), HazardGrade.GENERAL, day(-10), day(5), day(3), null),
            new HazardFacts.Fact("h2", E2, List.of(), HazardGrade.GENERAL, day(2), null, day(30), null),
            new HazardFacts.Fact("h3", E1, List.of(COAL), HazardGrade.MAJOR, day(3), day(15), day(25), day(20)),
            new HazardFacts.Fact("h4", E2, List.of(), HazardGrade.GENERAL, day(-30), day(-1), day(-5), null),
            new HazardFacts.Fact("h5", E3, List.of(COAL), HazardGrade.MAJOR, day(1), day(12), day(20), day(10)));

    record Task(String id, GridPath site, Instant due, Instant done) {
    }

    static final List<Task> TASKS = List.of(
            new Task("k1", E1, day(10), day(9)), new Task("k2", E1, day(20), day(19)),
            new Task("k3", E2, day(30), day(29)), new Task("k4", E2, day(40), day(45)),
            new Task("k5", E3, day(10), day(10)), new Task("k6", E3, day(11), day(10)));

    /** Inspection completion as the supervision module answers it: tasks of the subtree due in the period. */
    static InspectionProgress inspections() {
        return (subtree, from, to) -> {
            List<Task> due = TASKS.stream().filter(t -> t.site().isWithin(subtree) && !t.due().isBefore(from)
                    && t.due().isBefore(to)).toList();
            int done = (int) due.stream().filter(t -> t.done() != null && !t.done().isAfter(t.due())).count();
            int late = (int) due.stream().filter(t -> t.done() != null && t.done().isAfter(t.due())).count();
            return new InspectionProgress.Completion(due.size(), done, late, due.stream().map(Task::id).toList());
        };
    }

    static final List<ArchiveItem> ARCHIVE = List.of(
            item("c1", E2, LocalDate.of(2026, 10, 21)),
            item("c2", E3, LocalDate.of(2027, 1, 31)));

    private static ArchiveItem item(String id, GridPath site, LocalDate expires) {
        return new ArchiveItem(id, site, ArchiveKind.CERTIFICATE, "特种作业操作证", "T-" + id, "张三", null, expires, null, null,
                "x", Instant.EPOCH);
    }

    /** The archive as far as the assessment reads it: what expires. */
    static EnterpriseArchive archive() {
        return new EnterpriseArchive() {
            @Override
            public List<ArchiveItem> expiring(GridPath subtree, LocalDate by) {
                return ARCHIVE.stream().filter(i -> i.site().isWithin(subtree) && !i.expires().isAfter(by)).toList();
            }

            @Override
            public List<ArchiveItem> dossier(GridPath site) { throw new UnsupportedOperationException(); }

            @Override
            public Optional<ArchiveItem> item(String id) { throw new UnsupportedOperationException(); }

            @Override
            public ArchiveItem put(Actor actor, ArchiveItem item) { throw new UnsupportedOperationException(); }

            @Override
            public void remove(Actor actor, String id) { throw new UnsupportedOperationException(); }

            @Override
            public List<String> history(String id) { throw new UnsupportedOperationException(); }
        };
    }

    /** An accident book on a fresh H2 file with a fatal accident at e3 and a minor one at e1 in the quarter. */
    static AccidentBook accidents(Path dir) {
        AccidentBook book = AccidentBook.open(AccidentBook.embeddedUrl(dir), null, null, Clock.fixed(T, ZoneOffset.UTC));
        Actor county = new Actor("wang-fang", CTY, true);
        book.record(county, E3, AccidentSeverity.FATAL, 1, day(50), "井下冒顶，一人死亡");
        book.record(county, E1, AccidentSeverity.MINOR, 0, day(60), "轻伤一人");
        return book;
    }

    static Sources sources(Path dir, boolean inspections) {
        return new Sources(FactLists.alarms(ALARMS), FactLists.hazards(HAZARDS), inspections ? inspections() : null, archive(), accidents(dir));
    }

    static ConfigSource source(Deployment d) {
        return ConfigSource.of(d);
    }
}
