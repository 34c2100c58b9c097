package io.safegrid.record;

import io.questdb.ServerMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QuestDB running inside the node: the default store of the record. Only its HTTP endpoint is on,
 * bound to 127.0.0.1 (influx line protocol on {@code /api/v2/write}, SQL on {@code /exec}), and it
 * asks for {@link QuestDbLogin}'s user and password; PG wire, ILP/TCP, UDP, the health port and
 * telemetry are off.
 *
 * <p>On start it creates the three tables itself rather than leaving that to the first write, so
 * that they are partitioned by day with a TTL of {@code retention} (QuestDB drops whole expired
 * partitions) and deduplicate on time and series: replaying a spooled batch twice stores it once.
 */
public final class EmbeddedQuestDb implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedQuestDb.class);

    private final RecordSettings settings;
    private ServerMain server;
    private HttpClient http;
    private String url;
    private String authorization;

    public EmbeddedQuestDb(RecordSettings settings) {
        this.settings = settings;
    }

    /** Starts the server (blocking until it answers) and creates the tables. */
    public synchronized EmbeddedQuestDb start() {
        if (server != null) {
            return this;
        }
        try {
            Files.createDirectories(settings.questDbDir());
            quietLogging(settings.questDbDir().toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + settings.questDbDir(), e);
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("QDB_HTTP_NET_BIND_TO", "127.0.0.1:" + settings.questDbHttpPort());
        env.put("QDB_PG_ENABLED", "false");
        env.put("QDB_LINE_TCP_ENABLED", "false");
        env.put("QDB_LINE_UDP_ENABLED", "false");
        env.put("QDB_HTTP_MIN_ENABLED", "false");
        env.put("QDB_TELEMETRY_ENABLED", "false");
        env.put("QDB_METRICS_ENABLED", "false");
        String password = QuestDbLogin.password(settings);
        env.put("QDB_HTTP_USER", QuestDbLogin.USER);
        env.put("QDB_HTTP_PASSWORD", password);
        authorization = QuestDbLogin.authorization(password);
        smallPools(env, Runtime.getRuntime().availableProcessors());
        napSooner(env);
        server = ServerMain.create(settings.questDbDir().toAbsolutePath().toString(), env);
        server.start();
        url = "http://127.0.0.1:" + server.getHttpServerPort();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        createTables();
        log.info("Embedded QuestDB listening on {} (data in {}, retention {} days)", url, settings.questDbDir(),
                settings.retention().toDays());
        return this;
    }

    /**
     * QuestDB sizes each of its pools (query, write, WAL apply, view refresh …) at the CPU count, at
     * least two threads each, as if it had the machine to itself. Inside the node it shares the CPUs
     * with ingest and the rules, and its only heavy work is one writer's ILP requests and applying
     * their WAL, so the pools that mostly wait get half the CPUs (at least one). The network pool,
     * which parses the writes and answers the console's history queries, keeps QuestDB's default.
     * A {@code QDB_…} variable set in the node's environment still wins.
     */
    static void smallPools(Map<String, String> env, int cpus) {
        String half = String.valueOf(Math.max(1, cpus / 2));
        for (String pool : List.of("QDB_SHARED_QUERY_WORKER_COUNT", "QDB_SHARED_WRITE_WORKER_COUNT",
                "QDB_WAL_APPLY_WORKER_COUNT", "QDB_MAT_VIEW_REFRESH_WORKER_COUNT", "QDB_VIEW_COMPILER_WORKER_COUNT")) {
            env.putIfAbsent(pool, half);
        }
    }

    /**
     * A QuestDB worker with nothing to do spins 7,000 rounds of yields before it naps, so between the
     * recorder's writes (every second or so at moderate load) its workers would spin most of the time,
     * on the cores the alarm path needs. Here a worker naps (1 ms) after 100 idle rounds and
     * sleeps (10 ms) after 1,000; a write waits at most that long to be picked up, which a batch
     * recorder does not notice. A {@code QDB_…} variable set in the node's environment still wins.
     */
    static void napSooner(Map<String, String> env) {
        // the pools of the servers start() switches off (PG wire, ILP/TCP, the min HTTP server) never run
        for (String pool : List.of("SHARED", "HTTP", "WAL_APPLY", "MAT_VIEW_REFRESH", "VIEW_COMPILER", "EXPORT")) {
            env.putIfAbsent("QDB_" + pool + "_WORKER_YIELD_THRESHOLD", "10");
            env.putIfAbsent("QDB_" + pool + "_WORKER_NAP_THRESHOLD", "100");
            env.putIfAbsent("QDB_" + pool + "_WORKER_SLEEP_THRESHOLD", "1000");
        }
    }

    /** The base URL to write to and query, e.g. {@code http://127.0.0.1:41234}. */
    public synchronized String url() {
        if (url == null) {
            throw new IllegalStateException("embedded QuestDB not started");
        }
        return url;
    }

    /** The {@code Authorization} header every request to {@link #url()} needs. */
    public synchronized String authorization() {
        if (authorization == null) {
            throw new IllegalStateException("embedded QuestDB not started");
        }
        return authorization;
    }

    /** History queries over this store. */
    public QuestDbHistory history() {
        return new QuestDbHistory(url(), authorization(), settings.zone());
    }

    private void createTables() {
        long days = Math.max(1, settings.retention().toDays());
        String grid = "county SYMBOL, township SYMBOL, village SYMBOL, enterprise SYMBOL, site SYMBOL, ";
        String tail = " timestamp TIMESTAMP) TIMESTAMP(timestamp) PARTITION BY DAY TTL " + days + " DAYS WAL ";
        for (String ddl : List.of(
                "CREATE TABLE IF NOT EXISTS reading (" + grid + "device SYMBOL, metric SYMBOL, period SYMBOL, "
                        + "statistic SYMBOL, flag SYMBOL, value DOUBLE," + tail
                        + "DEDUP UPSERT KEYS(timestamp, device, metric, period, statistic)",
                "CREATE TABLE IF NOT EXISTS finding (" + grid + "device SYMBOL, rule SYMBOL, kind SYMBOL, level SYMBOL, "
                        + "condition SYMBOL, zone SYMBOL, metric SYMBOL, id VARCHAR, message VARCHAR, value DOUBLE, "
                        + "threshold DOUBLE," + tail + "DEDUP UPSERT KEYS(timestamp, device, rule, zone, condition)",
                "CREATE TABLE IF NOT EXISTS alarm (" + grid + "device SYMBOL, rule SYMBOL, level SYMBOL, state SYMBOL, "
                        + "type SYMBOL, alarm_id VARCHAR, sequence LONG, actor VARCHAR, note VARCHAR, value DOUBLE, "
                        + "peak_value DOUBLE, count LONG," + tail + "DEDUP UPSERT KEYS(timestamp, sequence, type, device, rule)")) {
            exec(ddl);
        }
    }

    private void exec(String sql) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create(url + "/exec?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                    .header("Authorization", authorization).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("QuestDB refused " + sql + ": " + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach embedded QuestDB at " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Same as {@link #close()}. */
    public void stop() { close(); }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
            url = null;
            authorization = null;
            log.info("Embedded QuestDB stopped");
        }
    }

    /**
     * QuestDB logs every WAL apply at INFO to stdout, which would drown the node's own log. Its
     * errors go to the node's log instead, and nothing below ADVISORY is logged at all: its one
     * logging thread, kept busy by a record every few milliseconds, polls its queue with yields
     * (thousands of context switches a second under load) on the cores the alarm path needs. No
     * file of its own: on a full disk QuestDB's file writer printed each failed line to stderr, tens
     * of thousands a minute. An operator's own {@code conf/log.conf} is left alone; one SafeGrid wrote
     * earlier is replaced.
     */
    private static void quietLogging(Path root) throws IOException {
        // QuestDB's logging is one per JVM, configured from the first root it is shown
        io.questdb.log.LogFactory.configureRootDir(root.toString());
        Path conf = root.resolve("conf").resolve("log.conf");
        if (Files.exists(conf) && !Files.readString(conf).startsWith(MARK)) {
            return;
        }
        Files.createDirectories(conf.getParent());
        writeLogConf(conf);
        configureQuietly();
    }

    private static final String MARK = "# written by SafeGrid";

    private static void writeLogConf(Path conf) throws IOException {
        Files.writeString(conf, String.join("\n",
                MARK + ": QuestDB's errors, and its start-up advice at debug, go to the node's log (no INFO)",
                "writers=node",
                // QuestDB turns on every level above the lowest one named, so ADVISORY comes with ERROR anyway
                "w.node.class=" + QuestDbLogToSlf4j.class.getName(),
                "w.node.level=ERROR,CRITICAL,ADVISORY",
                ""));
    }

    /**
     * Reads the log.conf now, with QuestDB's own "Reading log configuration from …" line (printed on
     * stderr, whatever the config says) sent to the debug log; the server's start later finds logging
     * configured.
     */
    private static void configureQuietly() {
        java.io.PrintStream err = System.err;
        synchronized (System.class) {
            System.setErr(new java.io.PrintStream(new java.io.OutputStream() {
                private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

                @Override
                public void write(int b) {
                    if (b == '\n') {
                        String l = line.toString(java.nio.charset.StandardCharsets.UTF_8);
                        line.reset();
                        if (l.contains("og configuration")) {
                            log.debug("QuestDB: {}", l);
                        } else {
                            err.println(l);   // another thread's line, as it was
                        }
                    } else {
                        line.write(b);
                    }
                }
            }, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                io.questdb.log.LogFactory.getInstance();
            } finally {
                System.setErr(err);
            }
        }
    }
}
