package io.safegrid.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.HazardsConfig;
import io.safegrid.config.NodeSettings;
import io.safegrid.config.UserDef;
import io.safegrid.config.auth.PasswordHash;
import io.safegrid.console.Console;
import io.safegrid.console.health.Health;
import io.safegrid.hazard.register.HazardService;
import io.safegrid.hazard.register.HazardSettings;
import io.safegrid.hazard.store.HazardDatabase;
import io.safegrid.model.RiskGrade;
import io.safegrid.model.grid.EnterpriseProfile;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;

/**
 * The hazard list API over HTTP, and the deadline scanner, with {@code n} hazards over 10,000
 * enterprises in the register's real store (embedded H2 by default, or a PostgreSQL URL): the
 * real console and register, a county operator's, a township officer's and a department user's
 * list requests timed end to end, then deadline-scan passes timed.
 *
 * <p>{@code java ... io.safegrid.bench.HazardListLatency [hazards] [requests] [jdbc:postgresql://… user password]}.
 * Seeding writes the rows that {@code report}/{@code assign} would write, in batches (reporting
 * 100,000 one by one through the API would take most of the run).
 */
public final class HazardListLatency {
    private static final Instant NOW = Instant.parse("2026-12-01T02:00:00Z");
    private static final int TOWNSHIPS = 20;
    private static final int VILLAGES = 10;
    private static final int ENTERPRISES_PER_VILLAGE = 50;

    /** A clock the bench moves between scan passes. */
    static final class Moving extends Clock {
        volatile Instant now = NOW;

        @Override
        public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override
        public Clock withZone(ZoneId zone) { return this; }

        @Override
        public Instant instant() { return now; }
    }

    public static void main(String[] args) throws Exception {
        IngestThroughput.quietLogs();
        int hazards = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        // -Dsafegrid.bench.dir: a store seeded by an earlier run is reused, so seeding (not timed) can run
        // outside the bench lock with -Dsafegrid.bench.seedOnly=true and the timed part inside it
        String kept = System.getProperty("safegrid.bench.dir");
        Path dir = kept == null ? Files.createTempDirectory("safegrid-hazard-list") : Files.createDirectories(Path.of(kept));
        boolean seedOnly = Boolean.getBoolean("safegrid.bench.seedOnly");
        String url = args.length > 2 ? args[2] : HazardDatabase.embeddedUrl(dir);
        String user = args.length > 3 ? args[3] : null;
        String password = args.length > 4 ? args[4] : null;

        String pw = "Bench-2026";
        String hash = PasswordHash.hash(pw.toCharArray());
        List<GridNode> nodes = new ArrayList<>();
        List<GridPath> enterprises = new ArrayList<>();
        GridPath county = GridPath.of("xian");
        nodes.add(new GridNode(county, GridKind.COUNTY, "示例县", null));
        List<GridPath> depts = List.of(county.child("d-coal"), county.child("d-chem"), county.child("d-build"));
        for (GridPath d : depts) {
            nodes.add(new GridNode(d, GridKind.DEPARTMENT, d.id(), null));
        }
        for (int t = 0; t < TOWNSHIPS; t++) {
            GridPath tp = county.child(String.format(Locale.ROOT, "t%02d", t));
            nodes.add(new GridNode(tp, GridKind.TOWNSHIP, "乡镇" + t, null));
            for (int v = 0; v < VILLAGES; v++) {
                GridPath vp = tp.child("v" + v);
                nodes.add(new GridNode(vp, GridKind.VILLAGE, "村" + v, null));
                for (int e = 0; e < ENTERPRISES_PER_VILLAGE; e++) {
                    GridPath ep = vp.child("e" + e);
                    enterprises.add(ep);
                    nodes.add(new GridNode(ep, GridKind.ENTERPRISE, "企业" + t + "-" + v + "-" + e,
                            new EnterpriseProfile("coal-mine", null, RiskGrade.values()[e % RiskGrade.values().length],
                                    List.of(depts.get(e % depts.size())), null)));
                }
            }
        }
        List<UserDef> users = List.of(
                new UserDef("county", "县值班", hash, "county-operator", county, Map.of()),
                new UserDef("town", "乡镇", hash, "township-officer", county.child("t03"), Map.of()),
                new UserDef("dept", "部门", hash, "county-operator", depts.get(0), Map.of()));
        NodeSettings n = NodeSettings.defaults();
        NodeSettings node = new NodeSettings(n.nodeId(), n.roles(), "127.0.0.1", 0, -1, -1, -1, -1, dir, n.maxPayloadBytes(),
                n.maxReadingsPerSecondPerDevice(), null);
        Deployment d = io.safegrid.testing.Deployments.builder().name("bench").node(node).grid(new Grid(nodes))
                .users(users).build();
        ConfigSource config = ConfigSource.of(d);
        Moving clock = new Moving();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HazardsConfig hc = HazardsConfig.defaults();
        HazardSettings s = new HazardSettings(url, user, password, hc.photoMaxBytes(), hc.photoTypes(), hc.photosPerHazard(),
                hc.warnBefore(), hc.climbAfter(), hc.scanEvery());
        HazardService register = new HazardService(config, s, clock, registry).start(false);
        boolean seeded = register.list(io.safegrid.model.hazard.HazardQuery.within(county)).total() > 0;
        register.close();
        long t0 = System.nanoTime();
        if (seeded) {
            System.out.println("reusing the store seeded earlier in " + dir);
        } else {
            seed(url, user == null ? "sa" : user, password == null ? "" : password, hazards, enterprises, depts);
        }
        if (seedOnly) {
            return;
        }
        System.out.printf(Locale.ROOT, "seeded %,d hazards over %,d enterprises in %.1f s (%s)%n", hazards, enterprises.size(),
                (System.nanoTime() - t0) / 1e9, url.startsWith("jdbc:h2:") ? "embedded H2" : "PostgreSQL");
        register = new HazardService(config, s, clock, registry).start(false);
        Health health = new Health();
        health.markStarted();
        Console console = new Console(config, registry, health).hazardRegister(register).enterpriseArchive(register.archive()).start(null);
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + console.port();
            Map<String, String> cookies = Map.of("county", login(http, base, "county", pw), "town", login(http, base, "town", pw),
                    "dept", login(http, base, "dept", pw));
            String[][] shapes = {
                    {"county", "/api/v1/hazards"},
                    {"county", "/api/v1/hazards?grade=major&state=open&page=3"},
                    {"town", "/api/v1/hazards?state=open&overdue=true"},
                    {"town", "/api/v1/hazards?node=xian/t03/v4&page=1"},
                    {"dept", "/api/v1/hazards?grade=larger,major"},
                    {"dept", "/api/v1/hazards"},
                    {"dept", "/api/v1/hazards?state=open&overdue=false&page=2"},
                    {"town", "/api/v1/dossier?site=xian/t03/v4/e7"},
                    {"county", "/api/v1/dossier?site=xian/t11/v2/e30"},
                    {"town", "/api/v1/dossier?site=xian/t03"},
                    {"dept", "/api/v1/hazards?state=open&overdue=true"},
                    {"county", "/api/v1/dossier?site=xian"}};
            Histogram all = new Histogram(3);
            Histogram[] perShape = new Histogram[shapes.length];
            for (int i = 0; i < shapes.length; i++) {
                perShape[i] = new Histogram(3);
            }
            for (int i = 0; i < 300 + requests; i++) {
                String[] q = shapes[i % shapes.length];
                long a = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + q[1])).header("Cookie", cookies.get(q[0]))
                        .build(), HttpResponse.BodyHandlers.ofString());
                long us = (System.nanoTime() - a) / 1000;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(q[1] + " -> " + r.statusCode() + " " + r.body());
                }
                if (i >= 300) {
                    all.recordValue(us);
                    perShape[i % shapes.length].recordValue(us);
                }
            }
            System.out.printf(Locale.ROOT, "hazard list and dossier over HTTP, %d requests (%d shapes): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    requests, shapes.length, all.getValueAtPercentile(50) / 1000.0, all.getValueAtPercentile(99) / 1000.0,
                    all.getMaxValue() / 1000.0);
            for (int i = 0; i < shapes.length; i++) {
                System.out.printf(Locale.ROOT, "  %-6s %-50s p50 %.1f ms, p99 %.1f ms%n", shapes[i][0], shapes[i][1],
                        perShape[i].getValueAtPercentile(50) / 1000.0, perShape[i].getValueAtPercentile(99) / 1000.0);
            }

            long open = register.list(new io.safegrid.model.hazard.HazardQuery(county, null, null,
                    java.util.EnumSet.of(io.safegrid.model.hazard.HazardState.REPORTED, io.safegrid.model.hazard.HazardState.ASSIGNED,
                            io.safegrid.model.hazard.HazardState.RECTIFYING, io.safegrid.model.hazard.HazardState.SUBMITTED),
                    null, null, 0, 1)).total();
            scan(register, clock, "nothing due (deadlines 3-63 days ahead)", Duration.ZERO, open);
            scan(register, clock, "a day later (the reminders of one day's deadlines)", Duration.ofDays(1), open);
            scan(register, clock, "the same moment again (nothing new)", Duration.ZERO, open);
            scan(register, clock, "a week later (a node that was down for a week catches up)", Duration.ofDays(7), open);
        } finally {
            console.close();
            register.close();
        }
    }

    /** Bounded passes (as the scheduler runs them, one straight after another) until nothing is due. */
    private static void scan(HazardService register, Moving clock, String what, Duration advance, long open) {
        clock.now = clock.now.plus(advance);
        long a = System.nanoTime();
        int created = 0;
        int passes = 0;
        double longest = 0;
        io.safegrid.hazard.deadline.ScanPass p;
        do {
            long b = System.nanoTime();
            p = register.scanPass();
            longest = Math.max(longest, (System.nanoTime() - b) / 1e6);
            created += p.created();
            passes++;
        } while (!p.complete());
        System.out.printf(Locale.ROOT, "deadline scan over %,d open hazards, %s: %,d notices in %d pass(es), longest pass %.0f ms, "
                + "all %.0f ms%n", open, what, created, passes, longest, (System.nanoTime() - a) / 1e6);
    }

    private static String login(HttpClient http, String base, String user, String pw) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/login"))
                .header("Content-Type", "application/json").header("Origin", base)
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"" + user + "\",\"password\":\"" + pw + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("login " + user + ": " + r.statusCode() + " " + r.body());
        }
        return r.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
    }

    /**
     * The rows report and assign would write: grades 70 % general, 25 % larger, 5 % major; states 30 %
     * reported, 20 % assigned, 30 % rectifying, 5 % submitted, 15 % accepted; deadlines 3–63 days ahead,
     * the scanner's next look at the "near" reminder (3 days before).
     */
    private static void seed(String url, String user, String password, int n, List<GridPath> enterprises,
                             List<GridPath> depts) throws Exception {
        Random rnd = new Random(19);
        String[] grades = {"GENERAL", "LARGER", "MAJOR"};
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO hazard (id, seq, site, departments, place, source, "
                    + "source_ref, grade, category, description, state, responsible, measures, funds_yuan, deadline_ms, "
                    + "emergency_plan, order_no, listed_level, listed_by, listed_ms, listed_deadline_ms, reported_by, reported_ms, "
                    + "updated_ms, due_ms, next_notice_ms, notice_step, anc1, anc2, anc3) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                for (int i = 1; i <= n; i++) {
                    int e = rnd.nextInt(enterprises.size());
                    GridPath site = enterprises.get(e);
                    int g = rnd.nextInt(100);
                    String grade = grades[g < 70 ? 0 : g < 95 ? 1 : 2];
                    int st = rnd.nextInt(100);
                    String state = st < 30 ? "REPORTED" : st < 50 ? "ASSIGNED" : st < 80 ? "RECTIFYING" : st < 85 ? "SUBMITTED" : "ACCEPTED";
                    boolean assigned = !state.equals("REPORTED");
                    long deadline = NOW.plus(Duration.ofDays(3)).toEpochMilli() + (long) (rnd.nextDouble() * Duration.ofDays(60).toMillis());
                    boolean runs = state.equals("ASSIGNED") || state.equals("RECTIFYING");
                    long reported = NOW.toEpochMilli() - (long) (rnd.nextDouble() * Duration.ofDays(90).toMillis());
                    int k = 1;
                    ps.setString(k++, "hz-" + i);
                    ps.setLong(k++, i);
                    ps.setString(k++, site.toString());
                    ps.setString(k++, "|" + depts.get(Integer.parseInt(site.id().substring(1)) % depts.size()) + "|");
                    ps.setString(k++, "车间" + rnd.nextInt(10));
                    ps.setString(k++, "SELF_CHECK");
                    ps.setString(k++, null);
                    ps.setString(k++, grade);
                    ps.setString(k++, "消防");
                    ps.setString(k++, "隐患描述 " + i + "：消防通道堵塞，灭火器过期");
                    ps.setString(k++, state);
                    ps.setString(k++, assigned ? "负责人" + e : null);
                    ps.setString(k++, assigned ? "清理通道，更换灭火器" : null);
                    if (assigned) {
                        ps.setLong(k++, 5000);
                        ps.setLong(k++, deadline);
                    } else {
                        ps.setNull(k++, Types.BIGINT);
                        ps.setNull(k++, Types.BIGINT);
                    }
                    ps.setString(k++, assigned ? "现场处置方案" : null);
                    for (int x = 0; x < 3; x++) {
                        ps.setString(k++, null);
                    }
                    ps.setNull(k++, Types.BIGINT);
                    ps.setNull(k++, Types.BIGINT);
                    ps.setString(k++, "bench");
                    ps.setLong(k++, reported);
                    ps.setLong(k++, reported);
                    if (runs) {
                        ps.setLong(k++, deadline);
                        ps.setLong(k++, deadline - Duration.ofDays(3).toMillis());
                    } else {
                        ps.setNull(k++, Types.BIGINT);
                        ps.setNull(k++, Types.BIGINT);
                    }
                    ps.setInt(k++, 0);
                    for (int depth = 1; depth <= 3; depth++) {
                        ps.setString(k++, io.safegrid.hazard.store.HazardRows.ancestor(site, depth));
                    }
                    ps.addBatch();
                    if (i % 1000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            // each bench hazard has one department, written |d|
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO hazard_department (department, seq) "
                    + "SELECT SUBSTRING(departments, 2, LENGTH(departments) - 2), seq FROM hazard")) {
                ps.executeUpdate();
            }
            // the counts per scope that report and assign keep up to date, in one pass
            io.safegrid.hazard.store.HazardTally.rebuild(c);
            seedArchive(c, enterprises, rnd);
            c.commit();
        }
    }

    /** Ten dossier entries per enterprise (licences, certificates, equipment, plans …), some expiring. */
    private static void seedArchive(Connection c, List<GridPath> enterprises, Random rnd) throws Exception {
        String[] kinds = {"LICENCE", "ORGANISATION", "CERTIFICATE", "CERTIFICATE", "CERTIFICATE", "EQUIPMENT", "EQUIPMENT",
                "EMERGENCY_PLAN", "INSURANCE", "STANDARDISATION"};
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO archive_item (id, site, kind, name, number, holder, issued, "
                + "expires, level, note, updated_by, updated_ms, remind_on) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            int id = 0;
            java.time.LocalDate today = java.time.LocalDate.of(2026, 12, 1);
            for (GridPath e : enterprises) {
                for (int k = 0; k < kinds.length; k++) {
                    ps.setString(1, "ar-" + (++id));
                    ps.setString(2, e.toString());
                    ps.setString(3, kinds[k]);
                    ps.setString(4, kinds[k] + " " + k);
                    ps.setString(5, "No." + id);
                    ps.setString(6, "持证人" + k);
                    ps.setObject(7, today.minusDays(rnd.nextInt(1000)));
                    java.time.LocalDate expires = today.plusDays(rnd.nextInt(1000));
                    ps.setObject(8, expires);
                    ps.setString(9, null);
                    ps.setString(10, "备注");
                    ps.setString(11, "bench");
                    ps.setLong(12, NOW.toEpochMilli());
                    ps.setObject(13, expires);
                    ps.addBatch();
                }
                if (id % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }
}
