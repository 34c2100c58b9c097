package io.safegrid.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the embedded QuestDB's WAL tables ({@code wal_tables()}). QuestDB goes on accepting HTTP
 * writes for a table whose WAL apply it suspended (after a full disk or too many open files), so a
 * write that succeeded says nothing: while any table is suspended the record is DOWN, the recorder
 * keeps points in its spool, and the table is resumed ({@code ALTER TABLE … RESUME WAL}) with
 * backoff until it stays resumed, i.e. the cause is gone. A table whose writer lags its sequencer is
 * gauged (it is catching up).
 */
public final class WalWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalWatch.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration FIRST_RESUME = Duration.ofSeconds(2);
    static final Duration MAX_RESUME = Duration.ofSeconds(30);

    /** One row of {@code wal_tables()}. */
    record Table(String name, boolean suspended, long writerTxn, long sequencerTxn) {
        long lag() {
            return Math.max(0, sequencerTxn - writerTxn);
        }
    }

    private final String url;
    private final String authorization;
    private final Duration interval;
    private final Duration firstResume;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Long> nextResume = new ConcurrentHashMap<>();
    private final Map<String, Long> resumeWait = new ConcurrentHashMap<>();
    private final AtomicLong suspendedCount = new AtomicLong();
    private final AtomicLong lag = new AtomicLong();
    private final Counter resumed;
    private final Counter resumeFailed;
    private final Counter checkErrors;
    private volatile boolean healthy = true;
    /** Why the watch is not healthy, for /health; null while it is. */
    private volatile String problem;
    private ScheduledExecutorService timer;

    /** @param authorization the {@code Authorization} header QuestDB asks for ({@link EmbeddedQuestDb#authorization()}) */
    public WalWatch(String url, String authorization, Duration interval, MeterRegistry registry) {
        this(url, authorization, interval, FIRST_RESUME, registry);
    }

    /** @param firstResume how long a suspended table is left before the first RESUME WAL (then doubling to 30 s) */
    WalWatch(String url, String authorization, Duration interval, Duration firstResume, MeterRegistry registry) {
        this.url = url;
        this.authorization = authorization;
        this.interval = interval;
        this.firstResume = firstResume;
        Gauge.builder("safegrid.record.wal.suspended", suspendedCount, AtomicLong::get)
                .description("record tables whose WAL apply QuestDB suspended (their points are not visible)").register(registry);
        Gauge.builder("safegrid.record.wal.lag", lag, AtomicLong::get)
                .description("WAL transactions committed but not yet applied, over all record tables").register(registry);
        resumed = Counter.builder("safegrid.record.wal.resumes").tag("result", "sent").register(registry);
        resumeFailed = Counter.builder("safegrid.record.wal.resumes").tag("result", "failed").register(registry);
        checkErrors = Counter.builder("safegrid.record.wal.check.errors").register(registry);
    }

    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "record-wal-watch");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        timer.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** False while a table is suspended (or QuestDB cannot be asked): the recorder holds its points. */
    public boolean healthy() {
        return healthy;
    }

    /** Why the record tables do not show new points (suspended, or QuestDB cannot be asked), or null while they do. */
    public String problem() {
        return healthy ? null : problem;
    }

    /** Reads {@code wal_tables()} and resumes suspended tables whose wait is over. Runs on the watch's thread; tests call it. */
    public void check() {
        List<Table> tables;
        try {
            tables = tables();
        } catch (IOException | RuntimeException e) {
            checkErrors.increment();
            if (healthy) {
                LOG.warn("cannot read QuestDB's WAL tables: {}", e.toString());
            }
            problem = "cannot read QuestDB's WAL tables: " + e.getMessage();
            healthy = false;
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long now = System.nanoTime();
        long suspended = 0;
        long behind = 0;
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Table t : tables) {
            behind += t.lag();
            if (!t.suspended()) {
                if (resumeWait.remove(t.name()) != null) {
                    nextResume.remove(t.name());
                    LOG.info("record table {} applies its WAL again ({} transactions to catch up)", t.name(), t.lag());
                }
                continue;
            }
            suspended++;
            names.add(t.name());
            if (!resumeWait.containsKey(t.name())) {
                LOG.error("RECORD TABLE {} SUSPENDED by QuestDB (writer at {}, sequencer at {}): its points are not visible;"
                        + " the recorder holds new ones in its spool and resumes the table when it can", t.name(),
                        t.writerTxn(), t.sequencerTxn());
                resumeWait.put(t.name(), firstResume.toNanos());
                nextResume.put(t.name(), now + firstResume.toNanos());
            } else if (now - nextResume.get(t.name()) >= 0) {
                resume(t.name(), now);
            }
        }
        suspendedCount.set(suspended);
        lag.set(behind);
        boolean ok = suspended == 0;
        if (ok && !healthy) {
            LOG.info("record tables all apply their WAL");
        }
        problem = ok ? null : "QuestDB suspended record table(s) " + String.join(", ", names)
                + " (a full disk or too many open files); resumed once the cause is gone";
        healthy = ok;
    }

    private void resume(String table, long now) {
        long wait = Math.min(resumeWait.get(table) * 2, MAX_RESUME.toNanos());
        resumeWait.put(table, wait);
        nextResume.put(table, now + wait);
        try {
            exec("ALTER TABLE \"" + table.replace("\"", "") + "\" RESUME WAL");
            resumed.increment();
            LOG.warn("asked QuestDB to resume the WAL of {}; next try (if it is suspended again) in {} ms", table,
                    TimeUnit.NANOSECONDS.toMillis(wait));
        } catch (IOException | RuntimeException e) {
            resumeFailed.increment();
            LOG.warn("resuming the WAL of {} failed: {}", table, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<Table> tables() throws IOException, InterruptedException {
        JsonNode rows = exec("select name, suspended, writerTxn, sequencerTxn from wal_tables()").path("dataset");
        java.util.ArrayList<Table> out = new java.util.ArrayList<>();
        for (JsonNode r : rows) {
            out.add(new Table(r.get(0).asText(), r.get(1).asBoolean(), r.get(2).asLong(), r.get(3).asLong()));
        }
        return out;
    }

    private JsonNode exec(String sql) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create(url + "/exec?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                .header("Authorization", authorization).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200) {
            throw new IOException("QuestDB answered HTTP " + r.statusCode() + ": " + body.path("error").asText(r.body()));
        }
        return body;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
