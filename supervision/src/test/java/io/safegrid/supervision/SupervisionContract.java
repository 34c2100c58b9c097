package io.safegrid.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.demo.DemoCounty;
import io.safegrid.hazard.register.HazardService;
import io.safegrid.hazard.register.HazardSettings;
import io.safegrid.model.RiskGrade;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import io.safegrid.model.hazard.FiveMeasures;
import io.safegrid.model.hazard.Hazard;
import io.safegrid.model.hazard.HazardGrade;
import io.safegrid.model.hazard.HazardRefused;
import io.safegrid.model.hazard.HazardSource;
import io.safegrid.model.hazard.HazardState;
import io.safegrid.model.hazard.PhotoUpload;
import io.safegrid.model.redline.Candidate;
import io.safegrid.model.redline.EntryState;
import io.safegrid.model.redline.NewViolation;
import io.safegrid.model.redline.RedLineEntry;
import io.safegrid.model.redline.Severity;
import io.safegrid.model.redline.Violation;
import io.safegrid.model.redline.ViolationSource;
import io.safegrid.model.supervision.CheckItem;
import io.safegrid.model.supervision.Improvement;
import io.safegrid.model.supervision.InspectionProgress.Completion;
import io.safegrid.model.supervision.ItemCheck;
import io.safegrid.model.supervision.NewPlan;
import io.safegrid.model.supervision.Outcome;
import io.safegrid.model.supervision.Plan;
import io.safegrid.model.supervision.Task;
import io.safegrid.model.supervision.TargetRule;
import io.safegrid.model.supervision.TownshipProgress;
import io.safegrid.supervision.redline.RedLineService;
import io.safegrid.supervision.store.SupervisionDatabase;
import io.safegrid.supervision.task.InspectionService;
import io.safegrid.testing.MovingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the supervision stores must do on any database; {@link H2SupervisionTest} and
 * {@link PostgresSupervisionTest} run it on embedded H2 files and on a real PostgreSQL server, each
 * beside a real hazard register.
 */
abstract class SupervisionContract {
    static final Instant START = Instant.parse("2026-10-08T02:00:00Z");
    static final Instant QUARTER_END = Instant.parse("2026-12-31T16:00:00Z");
    static final GridPath COUNTY = GridPath.parse("puxian");
    static final GridPath KECHENG = GridPath.parse("puxian/kecheng");
    static final GridPath PUCHENG = GridPath.parse("puxian/pucheng");
    static final GridPath COAL = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");
    static final GridPath WJZ = GridPath.parse("puxian/kecheng/wangjiazhuang/wjz-coal");
    static final GridPath HONGDA = GridPath.parse("puxian/pucheng/xiangyang/hongda-chem");
    static final Actor MINE = new Actor("zhang-hui", COAL, false);
    static final Actor TOWN = new Actor("zheng-ming", KECHENG, true);
    static final Actor OTHER_TOWN = new Actor("zhou-jie", PUCHENG, true);
    static final Actor CTY = new Actor("wang-fang", COUNTY, true);
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1};

    final MovingClock clock = new MovingClock(START);
    final ConfigSource config = ConfigSource.of(DemoCounty.load(name -> null));
    HazardService hazards;
    SupervisionDatabase db;
    InspectionService inspections;
    RedLineService redLines;

    /** URL, user and password of the hazard register's database and of supervision's, for one test. */
    abstract String[][] databases() throws Exception;

    @BeforeEach
    void open() throws Exception {
        String[][] d = databases();
        hazards = new HazardService(config, new HazardSettings(d[0][0], d[0][1], d[0][2], 4096, List.of("jpeg", "png", "webp"),
                20, Duration.ofDays(3), Duration.ofDays(1), Duration.ofMinutes(1)), clock, new SimpleMeterRegistry()).start(false);
        SupervisionSettings s = new SupervisionSettings(d[1][0], d[1][1], d[1][2], 4096, List.of("jpeg", "png", "webp"), 3);
        db = SupervisionDatabase.open(s.url(), s.user(), s.password());
        inspections = new InspectionService(config, db, s, clock, new SimpleMeterRegistry(), () -> hazards);
        redLines = new RedLineService(config, db, clock, new SimpleMeterRegistry());
    }

    @AfterEach
    void close() {
        db.close();
        hazards.close();
    }

    Plan quarterly(Actor who, GridPath subtree) {
        return inspections.createPlan(who, new NewPlan("四季度重大风险企业检查", null, List.of(),
                new TargetRule(subtree, RiskGrade.LARGER), List.of(who.user()), START, QUARTER_END, "coal", List.of(), true));
    }

    Task taskAt(Plan p, GridPath target) {
        return inspections.tasks(p.id(), null).stream().filter(t -> t.target().equals(target)).findFirst().orElseThrow();
    }

    @Test
    void aRulePlansOneTaskPerMatchingEnterpriseInReach() {
        Plan p = quarterly(TOWN, COUNTY);
        // the township's reach only: the major and larger enterprises of 克城镇, not those of 蒲城镇
        assertThat(p.targets()).containsExactly(COAL, WJZ);
        assertThat(p.items()).hasSize(7).allSatisfy(i -> assertThat(i.key()).startsWith("check.coal."));
        assertThat(inspections.tasks(p.id(), null)).hasSize(2).allSatisfy(t -> {
            assertThat(t.done()).isFalse();
            assertThat(t.items()).hasSize(7).allSatisfy(i -> assertThat(i.outcome()).isEqualTo(Outcome.PENDING));
        });
        assertThat(inspections.plans(KECHENG)).extracting(Plan::id).containsExactly(p.id());
        assertThat(inspections.plans(PUCHENG)).isEmpty();
        assertThat(inspections.plan(p.id()).orElseThrow()).isEqualTo(p);
    }

    @Test
    void aDepartmentPlansTheEnterprisesItIsResponsibleForAcrossTownships() {
        Actor emergency = new Actor("chen-lei", GridPath.parse("puxian/emergency"), true);
        Actor housing = new Actor("zhao-peng", GridPath.parse("puxian/housing"), true);
        // 应急局: its larger- and major-risk enterprises in three townships; 住建局: its one
        assertThat(quarterly(emergency, COUNTY).targets()).containsExactly(GridPath.parse("puxian/heilongguan/beiyu/beiyu-fireworks"),
                GridPath.parse("puxian/heilongguan/longquan/lng-station"), COAL, WJZ, HONGDA);
        assertThat(quarterly(housing, COUNTY).targets()).containsExactly(GridPath.parse("puxian/pucheng/chengguan/pengai-site"));
        NewPlan notTheirs = new NewPlan("x", null, List.of(GridPath.parse("puxian/pucheng/chengguan/pengai-site")), null, List.of(),
                null, QUARTER_END, "general", List.of(), false);
        assertRefused(() -> inspections.createPlan(emergency, notTheirs), "svTargetOutOfScope");
    }

    @Test
    void aPlanWrittenWrongIsRefusedAndNothingIsStored() {
        NewPlan past = new NewPlan("x", null, List.of(COAL), null, List.of(), null, START.minusSeconds(1), "coal", List.of(), false);
        assertRefused(() -> inspections.createPlan(TOWN, past), "svDueInPast");
        NewPlan foreign = new NewPlan("x", null, List.of(HONGDA), null, List.of(), null, QUARTER_END, "coal", List.of(), false);
        assertRefused(() -> inspections.createPlan(TOWN, foreign), "svTargetOutOfScope");
        NewPlan nobody = new NewPlan("x", null, List.of(COAL), null, List.of("no-such-user"), null, QUARTER_END, "coal",
                List.of(), false);
        assertRefused(() -> inspections.createPlan(TOWN, nobody), "svInspectorUnknown");
        NewPlan fakeKey = new NewPlan("x", null, List.of(COAL), null, List.of(), null, QUARTER_END, null,
                List.of(new CheckItem("check.coal.nothing", null)), false);
        assertRefused(() -> inspections.createPlan(TOWN, fakeKey), "svItemUnknown");
        NewPlan byEnterprise = new NewPlan("x", null, List.of(COAL), null, List.of(), null, QUARTER_END, "coal", List.of(), false);
        assertRefused(() -> inspections.createPlan(MINE, byEnterprise), "svNotSupervisor");
        assertThat(inspections.plans(COUNTY)).isEmpty();
        assertThat(inspections.tasks(null, COUNTY)).isEmpty();
    }

    @Test
    void aTaskIsDoneItsFailedItemsBecomeHazardsAndAReinspectionClosesOne() {
        Plan p = quarterly(TOWN, KECHENG);
        Task t = taskAt(p, COAL);
        // bad input first: a failure without a note, a photo that is not an image, finishing too early
        assertRefused(() -> inspections.check(TOWN, t.id(), 1, new ItemCheck(Outcome.FAIL, " ", List.of())), "svNoteRequired");
        assertRefused(() -> inspections.check(TOWN, t.id(), 1, new ItemCheck(Outcome.FAIL, "传感器未校准",
                List.of(new PhotoUpload(null, "GIF89a".getBytes())))), "hazardPhotoType");
        assertRefused(() -> inspections.check(TOWN, t.id(), 1, new ItemCheck(Outcome.FAIL, "传感器未校准",
                List.of(new PhotoUpload(null, new byte[5000])))), "hazardPhotoTooLarge");
        assertThat(inspections.task(t.id()).orElseThrow().items().get(0).outcome()).isEqualTo(Outcome.PENDING);
        assertRefused(() -> inspections.complete(TOWN, t.id(), "36.33,111.21"), "svItemsUnchecked");
        assertRefused(() -> inspections.check(OTHER_TOWN, t.id(), 1, new ItemCheck(Outcome.PASS, null, List.of())), "svNotInspector");

        clock.advance(Duration.ofDays(20));
        inspections.check(TOWN, t.id(), 1, new ItemCheck(Outcome.FAIL, "甲烷传感器超期未校准", List.of(new PhotoUpload(null, JPEG))));
        inspections.check(TOWN, t.id(), 2, new ItemCheck(Outcome.FAIL, "断电闭锁被短接", List.of()));
        inspections.check(TOWN, t.id(), 3, new ItemCheck(Outcome.CORRECTED, "风筒破损，当场更换", List.of()));
        for (int i = 4; i <= 7; i++) {
            inspections.check(TOWN, t.id(), i, new ItemCheck(Outcome.PASS, null, List.of()));
        }
        Task done = inspections.complete(TOWN, t.id(), "36.3312,111.2087 ±15 m");
        assertThat(done.done()).isTrue();
        assertThat(done.doneAt()).isEqualTo(START.plus(Duration.ofDays(20)));
        assertThat(done.late()).isFalse();
        assertThat(done.location()).isEqualTo("36.3312,111.2087 ±15 m");
        assertRefused(() -> inspections.check(TOWN, t.id(), 4, new ItemCheck(Outcome.FAIL, "x", List.of())), "svTaskDone");

        // the corrected item is no hazard; the two failed ones are, carrying text, note and photo
        assertRefused(() -> inspections.raiseHazard(TOWN, t.id(), 3, HazardGrade.GENERAL), "svNotFailed");
        inspections.raiseHazard(TOWN, t.id(), 1, HazardGrade.LARGER);
        Task raised = inspections.raiseHazard(TOWN, t.id(), 2, HazardGrade.GENERAL);
        assertRefused(() -> inspections.raiseHazard(TOWN, t.id(), 2, HazardGrade.GENERAL), "svItemHasHazard");
        Hazard h1 = hazards.get(raised.items().get(0).hazardId()).orElseThrow();
        assertThat(h1.source()).isEqualTo(HazardSource.TOWNSHIP_INSPECTION);
        assertThat(h1.sourceRef()).isEqualTo(t.id() + "#1");
        assertThat(h1.site()).isEqualTo(COAL);
        assertThat(h1.grade()).isEqualTo(HazardGrade.LARGER);
        assertThat(h1.description()).contains("瓦斯监测监控系统", "甲烷传感器超期未校准");
        assertThat(h1.photos()).singleElement().satisfies(ph -> assertThat(ph.stage()).isEqualTo("evidence"));
        String h2 = raised.items().get(1).hazardId();

        // re-inspection: only once the enterprise has submitted its rectification
        assertRefused(() -> inspections.reinspect(TOWN, t.id(), 1, true, "ok"), "hazardState");
        hazards.assign(TOWN, h1.id(), new FiveMeasures("zhang-hui", "校准全部甲烷传感器", 5000L,
                clock.instant().plus(Duration.ofDays(10)), null), null);
        hazards.startRectifying(MINE, h1.id(), null);
        hazards.submit(MINE, h1.id(), "已校准", List.of());
        clock.advance(Duration.ofDays(3));
        inspections.reinspect(TOWN, t.id(), 1, true, "复查合格");
        assertThat(hazards.get(h1.id()).orElseThrow().state()).isEqualTo(HazardState.ACCEPTED);
        assertThat(hazards.get(h2).orElseThrow().state()).isEqualTo(HazardState.REPORTED);
        assertThat(inspections.reinspections(t.id())).singleElement().satisfies(r -> {
            assertThat(r.hazardId()).isEqualTo(h1.id());
            assertThat(r.accepted()).isTrue();
            assertThat(r.by()).isEqualTo("zheng-ming");
        });
        assertThat(inspections.trail(t.id())).extracting(e -> e[0])
                .containsExactly("checked", "checked", "checked", "checked", "checked", "checked", "checked", "done",
                        "hazard", "hazard", "reinspected");

        // Check: the township's completion, and the port the assessment reads
        assertThat(inspections.progress(p.id())).containsExactly(new TownshipProgress(KECHENG, 2, 1, 0, 2, 1));
        Completion c = inspections.completion(KECHENG, START, QUARTER_END.plusSeconds(1));
        assertThat(c.due()).isEqualTo(2);
        assertThat(c.done()).isEqualTo(1);
        assertThat(c.taskIds()).hasSize(2).contains(t.id());
        assertThat(inspections.completion(PUCHENG, START, QUARTER_END.plusSeconds(1)).due()).isZero();
        assertThat(inspections.photo(t.id(), done.items().get(0).photos().get(0).id())).hasValueSatisfying(ph ->
                assertThat(ph.data()).isEqualTo(JPEG));
    }

    @Test
    void anItemFailingAtTwoEnterprisesSurfacesForTheNextPlanAndALateTaskCountsAsLate() {
        Plan p = quarterly(TOWN, KECHENG);
        for (GridPath target : List.of(COAL, WJZ)) {
            Task t = taskAt(p, target);
            for (int i = 1; i <= 7; i++) {
                Outcome o = i == 3 ? Outcome.FAIL : i == 5 && target.equals(COAL) ? Outcome.CORRECTED : Outcome.PASS;
                inspections.check(TOWN, t.id(), i, new ItemCheck(o, o == Outcome.PASS ? null : "问题", List.of()));
            }
            if (target.equals(WJZ)) {
                clock.set(QUARTER_END.plus(Duration.ofDays(2)));
            }
            inspections.complete(TOWN, t.id(), null);
        }
        List<Improvement> next = inspections.improvements(KECHENG, START, clock.instant().plusSeconds(1), 2);
        assertThat(next).singleElement().satisfies(i -> {
            assertThat(i.item().key()).isEqualTo("check.coal.ventilation");
            assertThat(i.enterprises()).isEqualTo(2);
            assertThat(i.taskIds()).hasSize(2);
        });
        assertThat(inspections.improvements(KECHENG, START, clock.instant().plusSeconds(1), 1)).hasSize(2);
        Completion c = inspections.completion(COUNTY, START, QUARTER_END.plusSeconds(1));
        assertThat(c.due()).isEqualTo(2);
        assertThat(c.done()).isEqualTo(1);
        assertThat(c.late()).isEqualTo(1);
    }

    @Test
    void threeSeriousViolationsMakeACandidateAndTheListingFollowsTheLevels() {
        for (int i = 0; i < 3; i++) {
            redLines.record(TOWN, new NewViolation(COAL, i == 0 ? "李四" : null, ViolationSource.INSPECTION, "task-x#" + i,
                    Severity.SERIOUS, "违规" + i, clock.instant().minus(Duration.ofDays(30L * i))));
        }
        redLines.record(TOWN, new NewViolation(WJZ, null, ViolationSource.MANUAL, null, Severity.SERIOUS, "违规", null));
        assertRefused(() -> redLines.record(TOWN, new NewViolation(HONGDA, null, ViolationSource.MANUAL, null,
                Severity.SERIOUS, "x", null)), "svTargetOutOfScope");
        assertRefused(() -> redLines.record(MINE, new NewViolation(COAL, null, ViolationSource.MANUAL, null,
                Severity.SERIOUS, "x", null)), "rlNotSupervisor");
        assertThat(redLines.violations(COAL, null)).hasSize(3);
        assertThat(redLines.violations(KECHENG, null)).hasSize(4);
        List<Candidate> candidates = redLines.candidates(KECHENG);
        assertThat(candidates).singleElement().satisfies(c -> {
            assertThat(c.site()).isEqualTo(COAL);
            assertThat(c.ruleId()).isEqualTo("three-serious-a-year");
            assertThat(c.violationIds()).hasSize(3);
        });

        // a township lists only in its own township
        assertRefused(() -> redLines.list(OTHER_TOWN, COAL, null, "x", List.of()), "svTargetOutOfScope");
        assertRefused(() -> redLines.list(TOWN, COAL, "three-serious-a-year", "x", List.of("vio-nope")), "rlViolationUnknown");
        RedLineEntry e = redLines.list(TOWN, COAL, "three-serious-a-year", "一年内三次严重违法", candidates.get(0).violationIds());
        assertThat(e.level()).isEqualTo(KECHENG);
        assertRefused(() -> redLines.list(CTY, COAL, null, "again", List.of()), "rlAlreadyListed");
        assertThat(redLines.candidates(KECHENG)).isEmpty();

        // the enterprise appeals; the township rejects; a unit below or beside cannot end it; the county hands it off
        assertRefused(() -> redLines.appeal(TOWN, e.id(), "x"), "rlAppealOwn");
        assertThat(redLines.appeal(MINE, e.id(), "第三次违法认定有误").state()).isEqualTo(EntryState.APPEALED);
        assertRefused(() -> redLines.remove(TOWN, e.id(), "x"), "rlState");
        assertThat(redLines.decideAppeal(TOWN, e.id(), false, "认定无误").state()).isEqualTo(EntryState.LISTED);
        assertRefused(() -> redLines.remove(OTHER_TOWN, e.id(), "x"), "rlListingLevel");
        assertRefused(() -> redLines.handOff(TOWN, e.id(), "县市场监督管理局", "蒲应急函〔2026〕12号", null), "rlCountyOnly");
        RedLineEntry handed = redLines.handOff(CTY, e.id(), "县市场监督管理局", "蒲应急函〔2026〕12号", "建议除名");
        assertThat(handed.state()).isEqualTo(EntryState.HANDED_OFF);
        assertThat(handed.handOffTo()).isEqualTo("县市场监督管理局");
        assertThat(redLines.history(e.id())).extracting(x -> x.type())
                .containsExactly("listed", "appealed", "appeal-rejected", "handed-off");
        assertThat(redLines.entries(KECHENG, false)).isEmpty();
        assertThat(redLines.entries(KECHENG, true)).hasSize(1);
        assertThat(redLines.candidates(KECHENG)).as("a case handed off is no candidate again").isEmpty();
    }

    @Test
    void creditRepairEndsAListingAndTheRulesAreTheCountys() {
        RedLineEntry e = redLines.list(CTY, WJZ, null, "重大事故隐患拒不整改", List.of());
        assertRefused(() -> redLines.remove(TOWN, e.id(), "已整改"), "rlListingLevel");
        assertThat(redLines.remove(CTY, e.id(), "信用修复：整改到位并公开承诺").state()).isEqualTo(EntryState.REMOVED);
        clock.advance(Duration.ofMinutes(1));
        assertRefused(() -> redLines.saveRule(TOWN, new io.safegrid.model.redline.RedLineRule("two", "两次", Severity.SERIOUS,
                null, 2, 180, true)), "rlCountyOnly");
        redLines.saveRule(CTY, new io.safegrid.model.redline.RedLineRule("two-serious-half-year", "半年两次严重",
                Severity.SERIOUS, null, 2, 180, true));
        assertThat(redLines.rules()).extracting(r -> r.id()).contains("two-serious-half-year", "three-serious-a-year");
        redLines.record(TOWN, new NewViolation(WJZ, null, ViolationSource.ALARM, "a-1", Severity.SERIOUS, "x", null));
        redLines.record(TOWN, new NewViolation(WJZ, null, ViolationSource.ALARM, "a-2", Severity.SERIOUS, "y", null));
        assertThat(redLines.candidates(COUNTY)).extracting(Candidate::ruleId).containsExactly("two-serious-half-year");
        RedLineEntry again = redLines.list(CTY, WJZ, "two-serious-half-year", "半年两次严重", List.of());
        clock.advance(Duration.ofDays(1));
        redLines.remove(CTY, again.id(), "信用修复");
        assertThat(redLines.candidates(COUNTY)).as("after credit repair the old violations no longer count").isEmpty();
        clock.advance(Duration.ofDays(1));
        redLines.record(TOWN, new NewViolation(WJZ, null, ViolationSource.MANUAL, null, Severity.SERIOUS, "z", null));
        assertThat(redLines.candidates(COUNTY)).isEmpty();
        redLines.record(TOWN, new NewViolation(WJZ, null, ViolationSource.MANUAL, null, Severity.SERIOUS, "w", null));
        assertThat(redLines.candidates(COUNTY)).extracting(Candidate::site).containsExactly(WJZ);
    }

    static void assertRefused(Runnable r, String key) {
        assertThatThrownBy(r::run).isInstanceOf(HazardRefused.class).extracting(e -> ((HazardRefused) e).key()).isEqualTo(key);
    }
    @Test
    void anAlarmFoundViolationIsRecordedOnceAtTheEnterpriseItsSiteBelongsTo() {
        Instant at = clock.instant().minusSeconds(60);
        assertThat(redLines.recordFound(COAL, ViolationSource.ALARM, "alarm-1", Severity.SERIOUS, "甲烷超限未断电", at))
                .hasValueSatisfying(v -> {
                    assertThat(v.site()).isEqualTo(COAL);
                    assertThat(v.recordedBy()).isEqualTo(RedLineService.SYSTEM);
                    assertThat(v.at()).isEqualTo(at);
                });
        assertThat(redLines.recordFound(COAL, ViolationSource.ALARM, "alarm-1", Severity.SERIOUS, "again", at))
                .as("a redelivered alarm").isEmpty();
        assertThat(redLines.recordFound(KECHENG, ViolationSource.ALARM, "alarm-2", Severity.SERIOUS, "no enterprise", at)).isEmpty();
        assertThat(redLines.violations(COUNTY, null)).singleElement().extracting(Violation::sourceRef).isEqualTo("alarm-1");
    }
}
