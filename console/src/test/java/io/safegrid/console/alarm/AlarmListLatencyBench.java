package io.safegrid.console.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.safegrid.config.Deployment;
import io.safegrid.console.ConsoleFixture;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmDesk;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmPage;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.alarm.Silence;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Benchmark target 6 (alarm list API p99 ≤ 50 ms with 100,000 alarms), for the console's share
 * of it: HTTP, session and scope check, query parsing and JSON of a 50-alarm page, over an
 * in-memory desk that scans a newest-first array (no H2). The real desk's own cost is alerting's;
 * rerun this against it from the node or bench module. Opt-in, as latency asserts on a shared
 * build box would be flaky:
 * {@code mvn -B -q -pl console -am verify -Dtest=AlarmListLatencyBench -Dsurefire.failIfNoSpecifiedTests=false -Dsafegrid.bench=true}
 */
class AlarmListLatencyBench {

    /** Alarms newest first; list scans until the page is full and counts the rest. Read-only. */
    static final class ScanDesk implements AlarmDesk {
        final Alarm[] newestFirst;

        ScanDesk(Alarm[] newestFirst) { this.newestFirst = newestFirst; }

        @Override
        public AlarmPage list(AlarmQuery q) {
            List<Alarm> page = new ArrayList<>(q.limit());
            long total = 0;
            for (Alarm a : newestFirst) {
                if ((q.subtree() == null || a.site().isWithin(q.subtree()))
                        && (q.levels().isEmpty() || q.levels().contains(a.level()))
                        && (q.states().isEmpty() || q.states().contains(a.state()))
                        && (q.from() == null || !a.raisedAt().isBefore(q.from()))
                        && (q.to() == null || a.raisedAt().isBefore(q.to()))) {
                    if (total >= q.offset() && page.size() < q.limit()) {
                        page.add(a);
                    }
                    total++;
                }
            }
            return new AlarmPage(page, total, q.offset(), q.limit());
        }

        @Override
        public Optional<Alarm> get(String id) { return Optional.empty(); }

        @Override
        public List<AlarmEvent> timeline(String id) { return List.of(); }

        @Override
        public Alarm acknowledge(String id, String u, String n) { throw new UnsupportedOperationException("read-only"); }

        @Override
        public Alarm comment(String id, String u, String t) { throw new UnsupportedOperationException("read-only"); }

        @Override
        public Alarm assign(String id, String u, String a) { throw new UnsupportedOperationException("read-only"); }

        @Override
        public Alarm close(String id, String u, String n) { throw new UnsupportedOperationException("read-only"); }

        @Override
        public Silence silence(String d, GridPath n, String u, String r, Instant e) { throw new UnsupportedOperationException(); }

        @Override
        public List<Silence> silences(boolean includeEnded) { return List.of(); }

        @Override
        public Silence endSilence(String id, String u) { throw new UnsupportedOperationException(); }
    }

    @Test
    void alarmListP99With100kAlarms() throws Exception {
        assumeTrue(Boolean.getBoolean("safegrid.bench"), "benchmark: run with -Dsafegrid.bench=true");
        Deployment d = ConsoleFixture.demo();
        List<GridPath> plants = d.grid().ofKind(GridKind.ENTERPRISE).stream().map(GridNode::path).toList();
        Random rnd = new Random(42);
        Alarm[] alarms = new Alarm[100_000];
        Instant t = Instant.parse("2026-11-28T00:00:00Z");
        for (int i = 0; i < alarms.length; i++) {
            Instant raised = t.minusSeconds(30L * i);
            Level level = Level.values()[rnd.nextInt(4)];
            AlarmState state = i < 300 ? AlarmState.RAISED : AlarmState.CLOSED;
            alarms[i] = new Alarm("a-" + i, "k" + i, FindingKind.THRESHOLD, level, level, state, state != AlarmState.RAISED,
                    "dev-" + (i % 97), plants.get(rnd.nextInt(plants.size())), "rule", "甲烷超限 1.2% ≥ 1", 1.2, 1.3, 1.0, 3,
                    raised, raised, raised, null);
        }
        try (ConsoleFixture f = new ConsoleFixture()) {
            f.console.alarmDesk(new ScanDesk(alarms));
            String county = f.login("wang-fang");
            String township = f.login("zheng-ming");
            HttpClient http = HttpClient.newHttpClient();
            String[][] calls = {
                    {county, "/api/v1/alarms?size=50"},
                    {county, "/api/v1/alarms?state=open&size=50"},
                    {township, "/api/v1/alarms?level=red,orange&size=50&page=3"},
                    {county, "/api/v1/alarms?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z&size=50"}};
            int warmup = 300;
            int measured = 2000;
            long[] nanos = new long[measured];
            for (int i = 0; i < warmup + measured; i++) {
                String[] c = calls[i % calls.length];
                long t0 = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.console.port() + c[1]))
                        .header("Cookie", c[0]).build(), HttpResponse.BodyHandlers.ofString());
                long dt = System.nanoTime() - t0;
                assertThat(r.statusCode()).isEqualTo(200);
                if (i >= warmup) {
                    nanos[i - warmup] = dt;
                }
            }
            Arrays.sort(nanos);
            double p50 = nanos[measured / 2] / 1e6;
            double p99 = nanos[(int) Math.ceil(measured * 0.99) - 1] / 1e6;
            System.out.printf("alarm list over HTTP, 100,000 alarms, %d requests: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    measured, p50, p99, nanos[measured - 1] / 1e6);
            assertThat(p99).isLessThan(50.0);
        }
    }
}
