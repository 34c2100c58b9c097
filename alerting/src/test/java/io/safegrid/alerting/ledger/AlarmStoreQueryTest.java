package io.safegrid.alerting.ledger;

import io.safegrid.alerting.Stores;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmPage;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's list against a plain filter over the same alarms: every filter, paging, totals, updates, reopen, rollback. */
@ParameterizedClass(name = "{0}")
@EnumSource(Stores.class)
class AlarmStoreQueryTest {
    @Parameter
    Stores stores;
    /** This run's store; fresh for each test. */
    io.safegrid.config.AlarmsConfig storeConfig;
    @TempDir
    Path dir;

    private static final List<GridPath> SITES = List.of(GridPath.parse("px/kecheng/v1/mine-1"),
            GridPath.parse("px/kecheng/v1/mine-1/face-2"), GridPath.parse("px/kecheng/v2/plant"),
            GridPath.parse("px/kecheng-east/v9/quarry"), GridPath.parse("px/huangzhuang/v3/site"), GridPath.parse("px"));
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private static Alarm alarm(int i, Random r) {
        Level level = Level.values()[r.nextInt(4)];
        AlarmState state = AlarmState.values()[r.nextInt(AlarmState.values().length)];
        GridPath site = r.nextInt(20) == 0 ? null : SITES.get(r.nextInt(SITES.size()));
        // many share a millisecond, and some arrive out of raise order
        Instant raised = T0.plusMillis(i * 10L + r.nextInt(3) * 10L - (r.nextInt(10) == 0 ? 500 : 0));
        return new Alarm("a-" + i, "k-" + i, FindingKind.THRESHOLD, level, level, state,
                state != AlarmState.RAISED, "dev-" + i, site, "rule", "m", 1, 1, 1, 1, raised, raised, raised, null);
    }

    private static List<String> expected(List<Alarm> all, AlarmQuery q) {
        return all.stream()
                .filter(a -> q.subtree() == null || a.site() != null && a.site().isWithin(q.subtree()))
                .filter(a -> q.levels().isEmpty() || q.levels().contains(a.level()))
                .filter(a -> q.states().isEmpty() || q.states().contains(a.state()))
                .filter(a -> q.from() == null || !a.raisedAt().isBefore(q.from()))
                .filter(a -> q.to() == null || a.raisedAt().isBefore(q.to()))
                .sorted(Comparator.comparing(Alarm::raisedAt).reversed().thenComparing(Alarm::id))
                .map(Alarm::id).toList();
    }

    private static void check(AlarmStore store, List<Alarm> all, AlarmQuery q) throws Exception {
        List<String> want = expected(all, q);
        AlarmPage page = store.query(q);
        assertThat(page.total()).as("total of %s", q).isEqualTo(want.size());
        List<String> slice = want.subList(Math.min(q.offset(), want.size()), Math.min(q.offset() + q.limit(), want.size()));
        assertThat(page.items()).extracting(Alarm::id).as("page of %s", q).containsExactlyElementsOf(slice);
    }

    private static List<AlarmQuery> queries(Random r, int n) {
        List<AlarmQuery> out = new ArrayList<>(List.of(AlarmQuery.all(), AlarmQuery.open(GridPath.parse("px/kecheng")),
                new AlarmQuery(GridPath.parse("px/kecheng"), null, null, null, null, 40, 25)));
        for (int i = 0; i < n; i++) {
            GridPath sub = r.nextBoolean() ? null : r.nextBoolean() ? SITES.get(r.nextInt(SITES.size())) : GridPath.parse("px/kecheng");
            Set<Level> levels = r.nextBoolean() ? Set.of() : EnumSet.of(Level.values()[r.nextInt(4)], Level.values()[r.nextInt(4)]);
            Set<AlarmState> states = r.nextBoolean() ? Set.of() : EnumSet.of(AlarmState.values()[r.nextInt(4)]);
            Instant from = r.nextInt(3) == 0 ? T0.plusMillis(r.nextInt(20_000)) : null;
            Instant to = r.nextInt(3) == 0 ? T0.plusMillis(r.nextInt(20_000)) : null;
            out.add(new AlarmQuery(sub, levels, states, from, to, r.nextInt(4) == 0 ? r.nextInt(900) : 0, 1 + r.nextInt(120)));
        }
        return out;
    }

    @org.junit.jupiter.api.BeforeEach
    void freshStore() throws Exception {
        storeConfig = stores.fresh();
    }

    @Test
    void everyFilterPageAndTotalMatchesAPlainFilter() throws Exception {
        Random r = new Random(42);
        Map<String, Alarm> all = new LinkedHashMap<>();
        try (AlarmStore store = AlarmStore.open(dir, storeConfig)) {
            for (int i = 0; i < 2_000; i++) {
                Alarm a = alarm(i, r);
                store.upsert(a);
                all.put(a.id(), a);
            }
            store.commit();
            for (AlarmQuery q : queries(r, 150)) {
                check(store, List.copyOf(all.values()), q);
            }
            // level and state changes move alarms between filters
            for (int i = 0; i < 2_000; i += 7) {
                Alarm a = all.get("a-" + i);
                Alarm u = new Alarm(a.id(), a.key(), a.kind(), Level.RED, Level.RED, AlarmState.CLOSED, true, a.sourceId(),
                        a.site(), a.rule(), a.message(), 2, 2, 1, 2, a.raisedAt(), a.lastSeen(), a.updatedAt(), "kzs");
                store.upsert(u);
                all.put(u.id(), u);
            }
            store.commit();
            for (AlarmQuery q : queries(r, 50)) {
                check(store, List.copyOf(all.values()), q);
            }
            // a rolled-back change is not listed
            store.upsert(alarm(5_000, r));
            store.rollback();
            check(store, List.copyOf(all.values()), AlarmQuery.all().page(0, 500));
        }
        try (AlarmStore reopened = AlarmStore.open(dir, storeConfig)) {
            for (AlarmQuery q : queries(new Random(7), 50)) {
                check(reopened, List.copyOf(all.values()), q);
            }
        }
    }
}
