package io.safegrid.bench;

import io.safegrid.config.DeploymentLoader;
import io.safegrid.config.demo.DemoCounty;
import io.safegrid.config.reload.ConfigWatcher;
import io.safegrid.model.Level;
import io.safegrid.alerting.ledger.AlarmStore;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.node.wiring.Metrics;
import io.safegrid.node.wiring.Node;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.HdrHistogram.Histogram;

/**
 * The console's alarm list over HTTP with {@code n} alarms in alerting's real H2 store: a whole
 * node on the demo county, the alarms raised through the bus as findings would raise them, then
 * a county operator's list requests (first page, a township's page, a level filter, a deep page)
 * timed end to end.
 *
 * <p>{@code java ... io.safegrid.bench.AlarmListLatency [alarms] [requests] [bus | dir]}: the alarms are written
 * into the store before the node starts (what raising them would store), with {@code bus} raised through the
 * bus instead, and with a directory kept there for the next run (which then skips the seeding).
 */
public final class AlarmListLatency {

    public static void main(String[] args) throws Exception {
        IngestThroughput.quietLogs();
        int alarms = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        String mode = args.length > 2 ? args[2] : "";
        boolean viaBus = mode.equals("bus");
        // a directory as third argument keeps the seeded store for the next run (seeding 100,000 takes minutes)
        Path dir = mode.isEmpty() || viaBus ? Files.createTempDirectory("safegrid-alarm-list") : Files.createDirectories(Path.of(mode));
        boolean seeded = Files.exists(dir.resolve("data").resolve("alarms.mv.db"));
        Path county = dir.resolve("county.yaml");
        Files.writeString(county, DemoCounty.text()
                .replaceAll("(?m)^(  (http|mqtt|hj212|ingest-http)-port:) \\d+", "$1 0")
                .replaceAll("(?m)^(  video-push-port:) \\d+", "$1 -1")
                .replaceAll("(?m)^  bind-address: .*$", "")
                .replaceFirst("(?m)^  data-dir: .*$", "  bind-address: 127.0.0.1\n  data-dir: " + dir.resolve("data"))
                // nobody on duty: this measures the store and the list, not 100,000 rounds of notifications
                .replaceAll("(?m)^  - \\{node: .*\\n", ""));
        var registry = Metrics.create();
        List<GridNode> enterprises = DeploymentLoader.load(county).grid().ofKind(GridKind.ENTERPRISE);
        Instant start = Instant.now().minus(Duration.ofDays(30));
        if (seeded) {
            System.out.println("alarms already in the store at " + dir);
        } else if (!viaBus) {
            // straight into the real store before the node opens it: raising 100,000 through the bus takes minutes
            long t0 = System.nanoTime();
            try (AlarmStore store = new AlarmStore(dir.resolve("data"))) {
                Random random = new Random(7);
                for (int i = 0; i < alarms; i++) {
                    Alarm a = alarm(i, enterprises.get(random.nextInt(enterprises.size())), Level.values()[random.nextInt(4)], start);
                    store.upsert(a);
                    store.append(AlarmEvent.Type.RAISED, a, a.raisedAt(), "system", a.message());
                    // as a raise leaves it: told the first rung, waiting for an acknowledgement (not during the run)
                    store.setEscalation(a.id(), 0, Instant.now().plus(Duration.ofDays(1)));
                    if (i % 5_000 == 4_999) {
                        store.commit();
                    }
                }
                store.commit();
            }
            System.out.printf(Locale.ROOT, "%d alarms written to the store in %.1f s%n", alarms, (System.nanoTime() - t0) / 1e9);
        }
        try (ConfigWatcher config = new ConfigWatcher(county, registry)) {
            long opening = System.nanoTime();
            Node node = new Node(config, null, registry).start();
            System.out.printf(Locale.ROOT, "node started in %.1f s%n", (System.nanoTime() - opening) / 1e9);
            try {
                if (viaBus) {
                    Random random = new Random(7);
                    long t0 = System.nanoTime();
                    for (int i = 0; i < alarms; i++) {
                        GridNode e = enterprises.get(random.nextInt(enterprises.size()));
                        Level level = Level.values()[random.nextInt(4)];
                        String source = "bench-" + i;
                        node.bus().publish(Topic.FINDINGS, source, new Finding("f-" + i, FindingKind.THRESHOLD, level,
                                Condition.ACTIVE, source, e.path(), "bench-rule", null, 1.2, 1.0,
                                start.plusSeconds(i * 25L), "bench alarm " + i, null, Map.of()));
                    }
                    while (node.stages().alarmDesk().list(AlarmQuery.all().page(0, 1)).total() < alarms) {
                        Thread.sleep(500);
                    }
                    System.out.printf(Locale.ROOT, "%d alarms raised and stored in %.1f s%n", alarms,
                            (System.nanoTime() - t0) / 1e9);
                }

                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + node.httpPort();
                HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/login"))
                        .header("Content-Type", "application/json").header("Origin", base)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"wang-fang\",\"password\":\"Demo-County-2026\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
                String[] queries = {"/api/v1/alarms", "/api/v1/alarms?node=puxian/kecheng", "/api/v1/alarms?level=red",
                        "/api/v1/alarms?state=open&size=100", "/api/v1/alarms?page=500"};
                Histogram h = new Histogram(60_000_000_000L, 3);
                for (int i = -200; i < requests; i++) {
                    String q = queries[Math.floorMod(i, queries.length)];
                    long s = System.nanoTime();
                    HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + q))
                            .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
                    long took = System.nanoTime() - s;
                    if (res.statusCode() != 200) {
                        throw new IllegalStateException(q + " → " + res.statusCode() + " " + res.body());
                    }
                    if (i >= 0) {
                        h.recordValue(took);
                    }
                }
                System.out.printf(Locale.ROOT, "alarm list over HTTP, %d alarms in H2, %d requests (%s):%n"
                                + "  p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", alarms, requests,
                        String.join(", ", queries), h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6,
                        h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);

                // the store's share: the same queries straight on the desk (lock, index scan, page rows from H2)
                var desk = node.stages().alarmDesk();
                AlarmQuery[] direct = {AlarmQuery.all(), new AlarmQuery(enterprises.get(0).path().parent().parent(), null, null,
                        null, null, 0, 50), new AlarmQuery(null, java.util.Set.of(Level.RED), null, null, null, 0, 50),
                        AlarmQuery.open(null).page(0, 100), AlarmQuery.all().page(500 * 50, 50)};
                Histogram store = new Histogram(60_000_000_000L, 3);
                for (int i = -200; i < requests; i++) {
                    long s = System.nanoTime();
                    desk.list(direct[Math.floorMod(i, direct.length)]);
                    if (i >= 0) {
                        store.recordValue(System.nanoTime() - s);
                    }
                }
                System.out.printf(Locale.ROOT, "the same on the alarm desk alone (no HTTP, session, JSON):%n"
                                + "  p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", store.getValueAtPercentile(50) / 1e6,
                        store.getValueAtPercentile(90) / 1e6, store.getValueAtPercentile(99) / 1e6, store.getMaxValue() / 1e6);
            } finally {
                node.close();
            }
        }
    }

    /** What raising finding {@code i} through the bus would store: a raised threshold alarm, 25 s after the previous one. */
    private static Alarm alarm(int i, GridNode e, Level level, Instant start) {
        String source = "bench-" + i;
        Instant t = start.plusSeconds(i * 25L);
        return new Alarm(UUID.randomUUID().toString(), source + "|bench-rule", FindingKind.THRESHOLD, level, level,
                AlarmState.RAISED, false, source, e.path(), "bench-rule", "bench alarm " + i, 1.2, 1.2, 1.0, 1, t, t, t, null);
    }
}
