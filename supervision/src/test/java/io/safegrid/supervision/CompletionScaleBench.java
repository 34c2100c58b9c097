package io.safegrid.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.demo.DemoCounty;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.supervision.CheckItem;
import io.safegrid.model.supervision.InspectionProgress.Completion;
import io.safegrid.model.supervision.Outcome;
import io.safegrid.model.supervision.Plan;
import io.safegrid.supervision.checklist.Templates;
import io.safegrid.supervision.store.InspectionRows;
import io.safegrid.supervision.store.SupervisionDatabase;
import io.safegrid.supervision.task.InspectionService;
import io.safegrid.testing.MovingClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long the completion the assessment (考核) reads takes for a county quarter of 10,000 enterprises
 * (one task each, 70 % done, 7 items each) on the embedded H2 file, and a plan's per-township progress.
 * Opt-in, as timings on a shared build box would be flaky:
 * {@code flock /work/wt/bench.lock mvn -B -q -pl supervision -am test -Dtest=CompletionScaleBench -Dsurefire.failIfNoSpecifiedTests=false -Dsafegrid.bench=true}
 */
class CompletionScaleBench {
    static final int ENTERPRISES = 10_000;
    static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
    static final Instant DUE = Instant.parse("2026-12-31T16:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aCountyQuarterOfTenThousandTasks() {
        Assumptions.assumeTrue(Boolean.getBoolean("safegrid.bench"), "opt-in: -Dsafegrid.bench=true");
        MovingClock clock = new MovingClock(START);
        SupervisionSettings s = new SupervisionSettings(SupervisionDatabase.embeddedUrl(dir), null, null, 4096,
                List.of("jpeg"), 5);
        try (SupervisionDatabase db = SupervisionDatabase.open(s.url(), null, null)) {
            InspectionService inspections = new InspectionService(ConfigSource.of(DemoCounty.load(n -> null)), db, s, clock,
                    new SimpleMeterRegistry(), () -> null);
            List<GridPath> targets = new ArrayList<>();
            for (int i = 0; i < ENTERPRISES; i++) {
                targets.add(GridPath.parse("puxian/t" + (i % 20) + "/v" + (i % 200) + "/e" + i));
            }
            List<CheckItem> items = Templates.byId("coal").orElseThrow().items();
            Plan plan = new Plan("plan-bench", "四季度", GridPath.of("puxian"), targets, null, List.of("wang-fang"), START, DUE,
                    "coal", items, false, "wang-fang", START);
            long t0 = System.nanoTime();
            db.inTransaction(c -> {
                InspectionRows.insertPlan(c, plan);
                for (int i = 0; i < ENTERPRISES; i++) {
                    String id = "task-" + i;
                    InspectionRows.insertTask(c, id, plan, i, items);
                    if (i % 10 < 7) {
                        for (int no = 1; no <= items.size(); no++) {
                            InspectionRows.updateItem(c, id, no, no == 3 && i % 4 == 0 ? Outcome.FAIL : Outcome.PASS,
                                    null, "wang-fang", START.plusSeconds(i));
                        }
                        InspectionRows.complete(c, id, "wang-fang", i % 10 == 6 ? DUE.plusSeconds(60) : START.plusSeconds(i), null);
                    }
                }
                return null;
            });
            System.out.printf("seeded %d tasks in %.1f s%n", ENTERPRISES, (System.nanoTime() - t0) / 1e9);

            Completion c = null;
            long best = Long.MAX_VALUE;
            long worst = 0;
            for (int run = 0; run < 10; run++) {
                long t = System.nanoTime();
                c = inspections.completion(GridPath.of("puxian"), START, DUE.plusSeconds(1));
                long took = System.nanoTime() - t;
                best = Math.min(best, took);
                worst = Math.max(worst, took);
            }
            assertThat(c.due()).isEqualTo(ENTERPRISES);
            assertThat(c.done()).isEqualTo(ENTERPRISES * 6 / 10);
            assertThat(c.late()).isEqualTo(ENTERPRISES / 10);
            System.out.printf("completion (county, quarter, %d tasks): best %.1f ms, worst %.1f ms%n", ENTERPRISES, best / 1e6, worst / 1e6);

            long t = System.nanoTime();
            Completion township = inspections.completion(GridPath.parse("puxian/t3"), START, DUE.plusSeconds(1));
            System.out.printf("completion (one township, %d tasks): %.1f ms%n", township.due(), (System.nanoTime() - t) / 1e6);

            t = System.nanoTime();
            int townships = inspections.progress("plan-bench").size();
            System.out.printf("plan progress per township (%d townships, items read): %.1f ms%n", townships, (System.nanoTime() - t) / 1e6);
            t = System.nanoTime();
            int recurring = inspections.improvements(GridPath.of("puxian"), START, DUE, 2).size();
            System.out.printf("recurring failures over the county (%d items): %.1f ms%n", recurring, (System.nanoTime() - t) / 1e6);
        }
    }
}
