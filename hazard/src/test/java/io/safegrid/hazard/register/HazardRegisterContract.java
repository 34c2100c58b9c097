package io.safegrid.hazard.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.HazardsConfig;
import io.safegrid.config.demo.DemoCounty;
import io.safegrid.testing.MovingClock;
import io.safegrid.hazard.RecordingNotices;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import io.safegrid.model.hazard.FiveMeasures;
import io.safegrid.model.hazard.Hazard;
import io.safegrid.model.hazard.HazardEvent;
import io.safegrid.model.hazard.HazardGrade;
import io.safegrid.model.hazard.HazardQuery;
import io.safegrid.model.hazard.HazardRefused;
import io.safegrid.model.hazard.HazardSource;
import io.safegrid.model.hazard.HazardState;
import io.safegrid.model.hazard.NewHazard;
import io.safegrid.model.hazard.PhotoUpload;
import io.safegrid.model.notice.GridNotice;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the register must do on any database it runs on; {@link H2RegisterTest} and
 * {@link PostgresRegisterTest} run it on the embedded H2 file and on a real PostgreSQL server.
 */
abstract class HazardRegisterContract {
    static final Instant START = Instant.parse("2026-12-01T02:00:00Z");
    static final GridPath COAL = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");
    static final GridPath BRICK = GridPath.parse("puxian/kecheng/dongyu/dongyu-brick");
    static final GridPath KECHENG = GridPath.parse("puxian/kecheng");
    static final GridPath COUNTY = GridPath.parse("puxian");
    static final GridPath EMERGENCY = GridPath.parse("puxian/emergency");
    static final Actor MINE = new Actor("zhang-hui", COAL, false);
    static final Actor TOWN = new Actor("zheng-ming", KECHENG, true);
    static final Actor CTY = new Actor("wang-fang", COUNTY, true);
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1};
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13};

    final MovingClock clock = new MovingClock(START);
    final ConfigSource config = ConfigSource.of(DemoCounty.load(name -> null));
    final RecordingNotices notices = new RecordingNotices();
    final List<GridNotice> delivered = notices.delivered;
    HazardService register;

    /** The database URL, user and password for one test's fresh database. */
    abstract String[] database() throws Exception;

    HazardService open() throws Exception {
        String[] db = database();
        HazardsConfig d = HazardsConfig.defaults();
        HazardSettings s = new HazardSettings(db[0], db[1], db[2], 4096, d.photoTypes(), 5, Duration.ofDays(3),
                Duration.ofDays(1), Duration.ofMinutes(1));
        return new HazardService(config, s, clock, new SimpleMeterRegistry()).notices(notices).start(false);
    }

    @BeforeEach
    void setUp() throws Exception {
        register = open();
    }

    @AfterEach
    void tearDown() {
        register.close();
    }

    static NewHazard report(GridPath site, HazardGrade grade, List<PhotoUpload> photos) {
        return new NewHazard(site, List.of(EMERGENCY), "主斜井", HazardSource.SELF_CHECK, null, grade, "通风",
                "主斜井局部通风机无备用电源", photos);
    }

    static FiveMeasures five(Instant deadline) {
        return new FiveMeasures("zhang-hui", "加装双电源切换", 120_000L, deadline, "通风机停风应急预案");
    }

    @Test
    void aHazardGoesFromReportToAcceptanceAndEveryStepIsAudited() {
        Hazard h = register.report(MINE, report(COAL, HazardGrade.LARGER, List.of(new PhotoUpload("before", JPEG))));
        assertThat(h.state()).isEqualTo(HazardState.REPORTED);
        assertThat(h.photos()).singleElement().satisfies(p -> assertThat(p.contentType()).isEqualTo("image/jpeg"));
        clock.advance(Duration.ofHours(1));
        register.assign(TOWN, h.id(), five(START.plus(Duration.ofDays(10))), "十日内整改");
        register.startRectifying(MINE, h.id(), "开始整改");
        register.submit(MINE, h.id(), "已加装", List.of(new PhotoUpload("after", PNG)));
        Hazard done = register.accept(TOWN, h.id(), "现场核查合格");

        assertThat(done.state()).isEqualTo(HazardState.ACCEPTED);
        assertThat(register.get(h.id()).orElseThrow().photos()).extracting(p -> p.stage()).containsExactly("before", "after");
        List<HazardEvent> t = register.timeline(h.id());
        assertThat(t).extracting(HazardEvent::type).containsExactly(HazardEvent.Type.REPORTED, HazardEvent.Type.ASSIGNED,
                HazardEvent.Type.RECTIFYING, HazardEvent.Type.SUBMITTED, HazardEvent.Type.ACCEPTED);
        assertThat(t).extracting(HazardEvent::user).containsExactly("zhang-hui", "zheng-ming", "zhang-hui", "zhang-hui", "zheng-ming");
        HazardEvent assigned = t.get(1);
        assertThat(assigned.at()).isEqualTo(START.plus(Duration.ofHours(1)));
        assertThat(assigned.changes().get("deadline")).containsExactly(null, START.plus(Duration.ofDays(10)).toString());
        assertThat(assigned.changes().get("responsible")).containsExactly(null, "zhang-hui");
        assertThat(assigned.changes().get("state")).containsExactly("reported", "assigned");
        assertThat(t.get(3).changes().get("photos")).containsExactly("1", "2");
    }

    @Test
    void aRejectedRectificationGoesBackAndTheEnterpriseCannotReviewItself() {
        Hazard h = register.report(MINE, report(COAL, HazardGrade.GENERAL, List.of()));
        register.assign(MINE, h.id(), new FiveMeasures("zhang-hui", null, null, START.plus(Duration.ofDays(2)), null), null);
        register.startRectifying(MINE, h.id(), null);
        register.submit(MINE, h.id(), "done", List.of());
        assertThatThrownBy(() -> register.accept(MINE, h.id(), "ok")).isInstanceOfSatisfying(HazardRefused.class,
                e -> assertThat(e.kind()).isEqualTo(HazardRefused.Kind.FORBIDDEN));
        assertThatThrownBy(() -> register.reject(TOWN, h.id(), " ")).isInstanceOfSatisfying(HazardRefused.class,
                e -> assertThat(e.key()).isEqualTo("hazardNoteRequired"));
        assertThat(register.reject(TOWN, h.id(), "照片不清").state()).isEqualTo(HazardState.RECTIFYING);
        assertThatThrownBy(() -> register.accept(TOWN, h.id(), "ok")).isInstanceOfSatisfying(HazardRefused.class,
                e -> assertThat(e.kind()).isEqualTo(HazardRefused.Kind.CONFLICT));
    }

    @Test
    void aMajorHazardNeedsAllFiveMeasuresAndNothingIsHalfWritten() {
        Hazard h = register.report(MINE, report(COAL, HazardGrade.MAJOR, List.of()));
        FiveMeasures noPlan = new FiveMeasures("zhang-hui", "加装双电源", 5000L, START.plus(Duration.ofDays(5)), " ");
        assertThatThrownBy(() -> register.assign(TOWN, h.id(), noPlan, null)).isInstanceOfSatisfying(HazardRefused.class, e -> {
            assertThat(e.key()).isEqualTo("hazardFiveMeasures");
            assertThat(e.getMessage()).contains("emergencyPlan");
        });
        assertThatThrownBy(() -> register.assign(TOWN, h.id(), five(START.minusSeconds(60)), null))
                .isInstanceOfSatisfying(HazardRefused.class, e -> assertThat(e.key()).isEqualTo("hazardDeadlinePast"));
        assertThatThrownBy(() -> register.assign(MINE, h.id(), five(START.plus(Duration.ofDays(5))), null))
                .isInstanceOfSatisfying(HazardRefused.class, e -> assertThat(e.kind()).isEqualTo(HazardRefused.Kind.FORBIDDEN));
        Hazard still = register.get(h.id()).orElseThrow();
        assertThat(still.state()).isEqualTo(HazardState.REPORTED);
        assertThat(still.five().responsible()).isNull();
        assertThat(register.timeline(h.id())).extracting(HazardEvent::type).doesNotContain(HazardEvent.Type.ASSIGNED);
    }

    @Test
    void oversizedAndNonImagePhotosAreRefusedBeforeAnythingIsStored() {
        byte[] big = new byte[5000];
        System.arraycopy(JPEG, 0, big, 0, JPEG.length);
        byte[] html = "<html><script>alert(1)</script>".getBytes();
        long before = register.list(HazardQuery.within(COUNTY)).total();
        assertThatThrownBy(() -> register.report(MINE, report(COAL, HazardGrade.GENERAL,
                List.of(new PhotoUpload("before", JPEG), new PhotoUpload("before", big)))))
                .isInstanceOfSatisfying(HazardRefused.class, e -> assertThat(e.key()).isEqualTo("hazardPhotoTooLarge"));
        assertThatThrownBy(() -> register.report(MINE, report(COAL, HazardGrade.GENERAL, List.of(new PhotoUpload("before", html)))))
                .isInstanceOfSatisfying(HazardRefused.class, e -> assertThat(e.key()).isEqualTo("hazardPhotoType"));
        assertThat(register.list(HazardQuery.within(COUNTY)).total()).isEqualTo(before);
        Hazard h = register.report(MINE, report(COAL, HazardGrade.GENERAL, List.of()));
        assertThat(h.id()).isEqualTo("hz-" + (before + 1)); // the refused reports used no number
    }

    @Test
    void aMajorHazardIsReportedToTheTownshipAndTheDepartmentAtOnce() {
        Hazard h = register.report(MINE, report(COAL, HazardGrade.MAJOR, List.of()));
        assertThat(register.notices(h.id())).containsOnlyKeys("major-puxian/kecheng", "major-puxian/emergency");
        assertThat(register.deliverOnce()).isEqualTo(2);
        assertThat(delivered).extracting(GridNotice::node).containsExactlyInAnyOrder(KECHENG, EMERGENCY);
        assertThat(register.deliverOnce()).isZero();
        assertThat(register.notices(h.id())).containsValues(true, true);
    }

    @Test
    void anOverdueHazardClimbsTheGridOneNoticePerStep() {
        Hazard h = register.report(MINE, report(COAL, HazardGrade.LARGER, List.of()));
        Instant deadline = START.plus(Duration.ofDays(5));
        register.assign(TOWN, h.id(), five(deadline), null);
        register.startRectifying(MINE, h.id(), null);
        assertThat(register.scanOnce()).isZero();

        clock.set(deadline.minus(Duration.ofDays(2)));   // inside the 3-day warning
        assertThat(register.scanOnce()).isEqualTo(1);
        assertThat(register.scanOnce()).isZero();
        clock.set(deadline.plusSeconds(1));
        assertThat(register.scanOnce()).isEqualTo(1);
        clock.set(deadline.plus(Duration.ofDays(1)).plusSeconds(1));
        assertThat(register.scanOnce()).isEqualTo(1);
        clock.advance(Duration.ofDays(30));
        assertThat(register.scanOnce()).isZero();      // the county is the top: nothing more to climb

        register.deliverOnce();
        assertThat(delivered).extracting(GridNotice::node).containsExactly(COAL, KECHENG, COUNTY);
        assertThat(delivered.get(0).people()).containsExactly("zhang-hui");
        assertThat(delivered).extracting(GridNotice::key).doesNotHaveDuplicates();
        assertThat(register.timeline(h.id())).filteredOn(e -> e.type() == HazardEvent.Type.NOTICE)
                .extracting(HazardEvent::note).containsExactly("puxian/kecheng/dongyu/kecheng-coal + zhang-hui",
                        "puxian/kecheng", "puxian");
        assertThat(register.list(new HazardQuery(COUNTY, null, null, null, true, null, 0, 50)).items())
                .extracting(Hazard::id).containsExactly(h.id());
    }

    @Test
    void theRememberedStepsSurviveAReopen() throws Exception {
        Hazard h = register.report(MINE, report(COAL, HazardGrade.LARGER, List.of()));
        Instant deadline = START.plus(Duration.ofDays(5));
        register.assign(TOWN, h.id(), five(deadline), null);
        clock.set(deadline.plusSeconds(1));
        assertThat(register.scanOnce()).isEqualTo(1); // overdue: straight to the township, no "near" after the fact
        register.close();
        register = reopen();
        assertThat(register.scanOnce()).isZero();
        assertThat(register.get(h.id()).orElseThrow().state()).isEqualTo(HazardState.ASSIGNED);
        assertThat(register.notices(h.id())).containsOnlyKeys("overdue-1");
    }

    /** The same database again (H2: the same file; PostgreSQL: the same database). */
    abstract HazardService reopen() throws Exception;

    @Test
    void onlyTheListingLevelAcceptsAListedHazard() {
        Hazard h = register.report(TOWN, new NewHazard(COAL, List.of(EMERGENCY), null, HazardSource.TOWNSHIP_INSPECTION,
                null, HazardGrade.MAJOR, "通风", "瓦斯抽采系统失效", List.of()));
        register.assign(TOWN, h.id(), five(START.plus(Duration.ofDays(20))), null);
        assertThatThrownBy(() -> register.listForSupervision(MINE, h.id(), "PX-2026-01", START.plus(Duration.ofDays(30))))
                .isInstanceOfSatisfying(HazardRefused.class, e -> assertThat(e.key()).isEqualTo("hazardListLevel"));
        Hazard listed = register.listForSupervision(CTY, h.id(), "蒲安督〔2026〕1号", START.plus(Duration.ofDays(30)));
        assertThat(listed.supervision().level()).isEqualTo(COUNTY);
        register.startRectifying(MINE, h.id(), null);
        register.submit(MINE, h.id(), null, List.of());
        assertThatThrownBy(() -> register.accept(TOWN, h.id(), "ok")).isInstanceOfSatisfying(HazardRefused.class,
                e -> assertThat(e.key()).isEqualTo("hazardListingLevel"));
        assertThat(register.accept(CTY, h.id(), "县级现场核查合格").state()).isEqualTo(HazardState.ACCEPTED);
        assertThat(register.supervised(KECHENG)).extracting(Hazard::id).containsExactly(h.id());
    }

    @Test
    void aListingIsForMajorHazardsOnlyAndOverdueOnesAreFlagged() {
        Hazard small = register.report(MINE, report(COAL, HazardGrade.GENERAL, List.of()));
        assertThatThrownBy(() -> register.listForSupervision(CTY, small.id(), "1", START.plus(Duration.ofDays(3))))
                .isInstanceOfSatisfying(HazardRefused.class, e -> assertThat(e.key()).isEqualTo("hazardListMajorOnly"));
        Hazard big = register.report(MINE, report(BRICK, HazardGrade.MAJOR, List.of()));
        register.listForSupervision(TOWN, big.id(), "克督〔2026〕3号", START.plus(Duration.ofDays(3)));
        clock.advance(Duration.ofDays(4));
        assertThat(register.supervised(COUNTY)).singleElement().satisfies(x -> assertThat(x.overdue(clock.instant())).isTrue());
    }

    @Test
    void listsFilterBySubtreeDepartmentGradeAndState() {
        register.report(MINE, report(COAL, HazardGrade.GENERAL, List.of()));
        register.report(MINE, report(COAL, HazardGrade.MAJOR, List.of()));
        register.report(TOWN, new NewHazard(BRICK, List.of(), null, HazardSource.TIP_OFF, null, HazardGrade.LARGER, null,
                "粉尘", List.of()));
        assertThat(register.list(HazardQuery.within(COAL)).total()).isEqualTo(2);
        assertThat(register.list(HazardQuery.within(KECHENG)).total()).isEqualTo(3);
        assertThat(register.list(new HazardQuery(null, EMERGENCY, null, null, null, null, 0, 50)).total()).isEqualTo(2);
        assertThat(register.list(new HazardQuery(KECHENG, null, Set.of(HazardGrade.MAJOR), Set.of(HazardState.REPORTED),
                null, null, 0, 50)).items()).singleElement().satisfies(h -> assertThat(h.site()).isEqualTo(COAL));
        // a grid id with '_' is not a LIKE wildcard: puxian/kecheng_x must not match puxian/kechengx
        assertThat(register.list(HazardQuery.within(GridPath.parse("puxian/kecheng/dongyu/kecheng_coal"))).total()).isZero();
    }

    @Test
    void listTotalsFollowEveryTransitionInEveryScope() {
        List<Hazard> hs = new java.util.ArrayList<>();
        for (HazardGrade g : HazardGrade.values()) {
            hs.add(register.report(MINE, report(COAL, g, List.of())));
            hs.add(register.report(TOWN, new NewHazard(BRICK, List.of(), null, HazardSource.TIP_OFF, null, g, null, "粉尘", List.of())));
        }
        Instant soon = START.plus(Duration.ofDays(2));
        register.assign(TOWN, hs.get(0).id(), five(soon), null);
        register.assign(TOWN, hs.get(1).id(), five(START.plus(Duration.ofDays(9))), null);
        register.startRectifying(MINE, hs.get(0).id(), null);
        register.assign(TOWN, hs.get(2).id(), five(soon), null);
        register.startRectifying(MINE, hs.get(2).id(), null);
        register.submit(MINE, hs.get(2).id(), null, List.of());
        register.reject(TOWN, hs.get(2).id(), "再改");
        register.assign(TOWN, hs.get(4).id(), five(soon), null);
        register.startRectifying(MINE, hs.get(4).id(), null);
        register.submit(MINE, hs.get(4).id(), null, List.of());
        register.accept(TOWN, hs.get(4).id(), "ok");
        clock.set(soon.plusSeconds(1));
        // every total (from the tallies, less the overdue ones where asked) equals the rows the list walks
        for (GridPath subtree : java.util.Arrays.asList(null, COUNTY, KECHENG, GridPath.parse("puxian/kecheng/dongyu"), COAL)) {
            for (GridPath dept : java.util.Arrays.asList(null, EMERGENCY)) {
                if (subtree != null && dept != null) {
                    continue;
                }
                for (Set<HazardGrade> grades : List.of(Set.<HazardGrade>of(), Set.of(HazardGrade.MAJOR),
                        Set.of(HazardGrade.GENERAL, HazardGrade.LARGER))) {
                    for (Set<HazardState> states : List.of(Set.<HazardState>of(), Set.of(HazardState.RECTIFYING),
                            java.util.EnumSet.complementOf(java.util.EnumSet.of(HazardState.ACCEPTED)))) {
                        for (Boolean overdue : java.util.Arrays.asList(null, true, false)) {
                            io.safegrid.model.hazard.HazardPage p = register.list(new HazardQuery(subtree, dept, grades, states,
                                    overdue, null, 0, 500));
                            assertThat(p.total()).as("%s %s %s %s %s", subtree, dept, grades, states, overdue)
                                    .isEqualTo(p.items().size());
                        }
                    }
                }
            }
        }
        assertThat(register.list(new HazardQuery(KECHENG, null, null, null, true, null, 0, 50)).items())
                .extracting(Hazard::id).containsExactlyInAnyOrder(hs.get(0).id(), hs.get(2).id());
        assertThat(register.list(new HazardQuery(null, EMERGENCY, null, null, true, null, 0, 50)).items())
                .extracting(Hazard::id).containsExactlyInAnyOrder(hs.get(0).id(), hs.get(2).id());
        assertThat(register.list(new HazardQuery(null, EMERGENCY, null, Set.of(HazardState.ACCEPTED), null, null, 0, 50)).total())
                .isEqualTo(1);
        assertThat(register.list(new HazardQuery(KECHENG, null, null, Set.of(HazardState.ACCEPTED), null, null, 0, 50)).total())
                .isEqualTo(1);
    }

    @Test
    void aBacklogIsScannedInBoundedPassesEachNoticeOnceAcrossAReopen() throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        Instant deadline = START.plus(Duration.ofDays(5));
        for (int i = 0; i < 7; i++) {
            Hazard h = register.report(MINE, report(i % 2 == 0 ? COAL : BRICK, HazardGrade.GENERAL, List.of()));
            register.assign(TOWN, h.id(), five(deadline), null);
            ids.add(h.id());
        }
        clock.set(deadline.plusSeconds(1));   // a node that was down: every hazard is overdue at once
        io.safegrid.hazard.deadline.ScanPass first = register.scanPass(Duration.ZERO, 3);
        assertThat(first.complete()).isFalse();
        assertThat(first.created()).isEqualTo(3);
        register.close();                      // stops between chunks, as a kill would: the rest is still due
        register = reopen();
        int created = first.created();
        int passes = 1;
        io.safegrid.hazard.deadline.ScanPass p;
        do {
            p = register.scanPass(Duration.ZERO, 3);
            created += p.created();
            passes++;
        } while (!p.complete());
        assertThat(created).isEqualTo(7);
        assertThat(passes).isGreaterThanOrEqualTo(3);
        assertThat(register.scanOnce()).isZero();
        for (String id : ids) {
            assertThat(register.notices(id)).containsOnlyKeys("overdue-1");
            assertThat(register.timeline(id)).filteredOn(e -> e.type() == HazardEvent.Type.NOTICE).hasSize(1);
        }
        register.deliverOnce();
        assertThat(delivered).hasSize(7).extracting(GridNotice::key).doesNotHaveDuplicates();
    }

    // ------------------------------------------------------------------ 一企一档

    static io.safegrid.model.archive.ArchiveItem entry(String id, io.safegrid.model.archive.ArchiveKind kind, String name,
                                                       java.time.LocalDate issued, java.time.LocalDate expires) {
        return new io.safegrid.model.archive.ArchiveItem(id, COAL, kind, name, "（晋）MK安许证字〔2024〕001", "李师傅", issued, expires,
                null, null, null, null);
    }

    @Test
    void theDossierKeepsEntriesAndWhoChangedThem() {
        var archive = register.archive();
        var d0 = java.time.LocalDate.of(2024, 1, 1);
        var licence = archive.put(MINE, entry(null, io.safegrid.model.archive.ArchiveKind.LICENCE, "安全生产许可证", d0, d0.plusYears(3)));
        archive.put(MINE, entry(null, io.safegrid.model.archive.ArchiveKind.CERTIFICATE, "特种作业操作证（电工）", d0, d0.plusYears(6)));
        var renewed = archive.put(TOWN, entry(licence.id(), io.safegrid.model.archive.ArchiveKind.LICENCE, "安全生产许可证", d0,
                d0.plusYears(6)));
        assertThat(renewed.id()).isEqualTo(licence.id());
        assertThat(archive.dossier(COAL)).extracting(io.safegrid.model.archive.ArchiveItem::kind)
                .containsExactly(io.safegrid.model.archive.ArchiveKind.LICENCE, io.safegrid.model.archive.ArchiveKind.CERTIFICATE);
        assertThat(archive.item(licence.id()).orElseThrow().expires()).isEqualTo(d0.plusYears(6));
        assertThat(archive.history(licence.id())).hasSize(2).satisfies(h -> {
            assertThat(h.get(0)).contains("zhang-hui create", "2027-01-01");
            assertThat(h.get(1)).contains("zheng-ming update", "2030-01-01");
        });
        assertThatThrownBy(() -> archive.put(MINE, entry(null, io.safegrid.model.archive.ArchiveKind.INSURANCE, "工伤保险",
                d0, d0.minusDays(1)))).isInstanceOfSatisfying(HazardRefused.class, e -> assertThat(e.key()).isEqualTo("archiveDates"));
        Actor brick = new Actor("chen-jun", BRICK, false);
        assertThatThrownBy(() -> archive.put(brick, entry(null, io.safegrid.model.archive.ArchiveKind.INSURANCE, "工伤保险", d0, null)))
                .isInstanceOfSatisfying(HazardRefused.class, e -> assertThat(e.kind()).isEqualTo(HazardRefused.Kind.FORBIDDEN));
        archive.remove(MINE, licence.id());
        assertThat(archive.dossier(COAL)).hasSize(1);
        assertThat(archive.history(licence.id())).last().asString().contains("remove");
    }

    @Test
    void anExpiringLicenceRemindsTheEnterpriseAndItsTownshipOncePerExpiry() {
        var archive = register.archive();
        var today = java.time.LocalDate.of(2026, 12, 1);
        var licence = archive.put(MINE, entry(null, io.safegrid.model.archive.ArchiveKind.LICENCE, "安全生产许可证",
                today.minusYears(3), today.plusDays(45)));
        assertThat(register.scanOnce()).isZero();
        clock.advance(Duration.ofDays(16));                  // 29 days left
        assertThat(register.scanOnce()).isEqualTo(2);
        assertThat(register.scanOnce()).isZero();
        register.deliverOnce();
        assertThat(delivered).extracting(GridNotice::node).containsExactlyInAnyOrder(COAL, KECHENG);
        assertThat(delivered.get(0).textZh()).contains("安全生产许可证", "将于 2027-01-15 到期");
        archive.put(MINE, entry(licence.id(), io.safegrid.model.archive.ArchiveKind.LICENCE, "安全生产许可证（正本）",
                today.minusYears(3), today.plusDays(45)));
        assertThat(register.scanOnce()).isZero();            // an edit that keeps the expiry is not reminded again
        archive.put(MINE, entry(licence.id(), io.safegrid.model.archive.ArchiveKind.LICENCE, "安全生产许可证",
                today, today.plusDays(40)));               // renewed, but soon due again
        clock.advance(Duration.ofDays(15));
        assertThat(register.scanOnce()).isEqualTo(2);
        assertThat(archive.expiring(KECHENG, today.plusDays(60))).extracting(io.safegrid.model.archive.ArchiveItem::id)
                .containsExactly(licence.id());
    }

    @Test
    void eachPersonOnEachChannelIsToldOnceAndAFailedChannelIsRetriedAloneAcrossAReopen() throws Exception {
        notices.perPerson = true;
        notices.failing.add("zhang-hui/mail");
        notices.refusing.add("zhang-hui/sms");
        Hazard h = register.report(MINE, report(COAL, HazardGrade.LARGER, List.of()));
        Instant deadline = START.plus(Duration.ofDays(5));
        register.assign(TOWN, h.id(), five(deadline), null);
        clock.set(deadline.minus(Duration.ofDays(1)));
        assertThat(register.scanOnce()).isEqualTo(1);           // "near": the responsible person, zhang-hui
        assertThat(register.deliverOnce()).isZero();            // sms refused for good, mail down
        assertThat(register.noticeRoutes(h.id(), "near")).containsExactly("zhang-hui/mail QUEUED", "zhang-hui/sms FAILED");
        assertThat(register.deliverOnce()).isZero();
        assertThat(notices.sends).hasSize(2);                   // the mail waits for its backoff; the refused sms is not tried again
        assertThat(register.notices(h.id())).containsEntry("near", false);

        register.close();
        register = reopen();
        notices.failing.clear();
        clock.advance(Duration.ofSeconds(9));
        assertThat(register.deliverOnce()).isZero();            // 10 s after the first failure, not before
        clock.advance(Duration.ofSeconds(2));
        assertThat(register.deliverOnce()).isEqualTo(1);
        assertThat(register.noticeRoutes(h.id(), "near")).containsExactly("zhang-hui/mail SENT", "zhang-hui/sms FAILED");
        assertThat(register.notices(h.id())).containsEntry("near", true);
        clock.advance(Duration.ofHours(1));
        assertThat(register.deliverOnce()).isZero();
        assertThat(notices.sends).containsExactly("hazard:" + h.id() + ":near zhang-hui/mail",
                "hazard:" + h.id() + ":near zhang-hui/sms", "hazard:" + h.id() + ":near zhang-hui/mail");
    }

    @Test
    void aScannedDocumentIsStoredWithItsEntryTypedByItsBytesAndOnlyWithinScope() {
        var archive = register.archive();
        var licence = archive.put(MINE, entry(null, io.safegrid.model.archive.ArchiveKind.LICENCE, "安全生产许可证",
                null, java.time.LocalDate.of(2027, 6, 30)));
        byte[] pdf = "%PDF-1.4\n1 0 obj\n%%EOF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        var doc = archive.attach(MINE, licence.id(), "许可证.jpg", pdf);     // its name says JPEG; its bytes say PDF
        assertThat(doc.contentType()).isEqualTo("application/pdf");
        assertThat(archive.documents(COAL)).extracting(io.safegrid.model.archive.ArchiveDocument::id).containsExactly(doc.id());
        assertThat(archive.documentData(licence.id(), doc.id())).hasValueSatisfying(b -> assertThat(b).isEqualTo(pdf));
        assertThat(archive.documentData("ar-other", doc.id())).isEmpty();

        Actor brick = new Actor("chen-jun", BRICK, false);
        assertThatThrownBy(() -> archive.attach(brick, licence.id(), "x.pdf", pdf)).isInstanceOf(java.util.NoSuchElementException.class);
        assertThatThrownBy(() -> archive.attach(MINE, licence.id(), "x.pdf", "<html>".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(HazardRefused.class, e -> assertThat(e.key()).isEqualTo("archiveDocumentType"));
        assertThat(archive.attach(MINE, licence.id(), "scan", JPEG).contentType()).isEqualTo("image/jpeg");
        archive.remove(MINE, licence.id());
        assertThat(archive.documents(COAL)).isEmpty();
    }

    @Test
    void anIndustryDepartmentListsTheHazardsOfItsEnterprisesWhereverTheyAre() {
        GridPath housing = GridPath.parse("puxian/housing");
        Hazard coal = register.report(MINE, report(COAL, HazardGrade.LARGER, List.of()));          // emergency's
        Hazard general = register.report(MINE, report(COAL, HazardGrade.GENERAL, List.of()));
        Hazard mall = register.report(CTY, new NewHazard(GridPath.parse("puxian/pucheng/xiangyang/xinhua-mall"), List.of(housing),
                null, HazardSource.DEPARTMENT_INSPECTION, null, HazardGrade.LARGER, "消防", "疏散通道堵塞", List.of()));
        assertThat(register.list(new HazardQuery(null, EMERGENCY, null, null, null, null, 0, 50)).items())
                .extracting(Hazard::id).containsExactly(general.id(), coal.id());
        assertThat(register.list(new HazardQuery(null, EMERGENCY, java.util.EnumSet.of(HazardGrade.LARGER), null, null, null,
                0, 50)).total()).isEqualTo(1);
        assertThat(register.list(new HazardQuery(null, housing, null, null, null, null, 0, 50)).items())
                .extracting(Hazard::id).containsExactly(mall.id());
        assertThat(register.list(new HazardQuery(COAL, null, null, null, null, null, 0, 50)).total()).isEqualTo(2);
    }
}
