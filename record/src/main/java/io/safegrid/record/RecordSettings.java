package io.safegrid.record;

import io.safegrid.config.Deployment;
import io.safegrid.config.RecordConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * How the time-series record is written and kept. {@link #of} maps the {@code record:} section of the
 * deployment onto this; {@link #defaults(Path)} is what a node gets with no such section.
 *
 * @param target            where points go: the embedded QuestDB (default) or an InfluxDB 2.x compatible server
 * @param url               the server's base URL for {@link Target#INFLUXDB}, e.g. {@code http://tsdb:8086};
 *                          ignored for the embedded store (its own address is used)
 * @param org               InfluxDB organisation (ignored by QuestDB)
 * @param bucket            InfluxDB bucket; for InfluxQL reads also the v1 database name (DBRP mapping)
 * @param token             InfluxDB API token; may be empty where the server needs none. For the embedded
 *                          QuestDB the password of its HTTP endpoint; empty: the one generated for
 *                          {@code dataDir} ({@link QuestDbLogin})
 * @param questDbHttpPort   port of the embedded QuestDB's HTTP endpoint on 127.0.0.1; 0 picks a free one
 * @param dataDir           the node's data directory: QuestDB lives in {@code dataDir/questdb}, the spool in
 *                          {@code dataDir/spool}
 * @param batchLines        lines per write request (about 5,000); the embedded store takes larger ones,
 *                          see {@link #requestLines()}
 * @param flushInterval     the longest a point waits in memory before a partial batch is sent
 * @param memoryLines       points held in memory before new ones go to the disk spool instead
 * @param spoolMaxBytes     disk the spool may use; past it the oldest segment is dropped (and counted)
 * @param segmentBytes      size at which a spool segment is sealed and a new one started
 * @param spoolFsync        how often the spool's open segment is forced to disk
 * @param gzip              compress write requests
 * @param requestTimeout    connect/read/write timeout of one request; a timeout counts as "server down"
 * @param retryInitial      first back-off after a failed write; doubles up to {@link #retryMax}
 * @param retention         how long raw data is kept (QuestDB TTL; InfluxDB: set on the bucket)
 * @param zone              the zone whose calendar days alarm counts are grouped by
 */
public record RecordSettings(Target target, String url, String org, String bucket, String token, int questDbHttpPort,
                             Path dataDir, int batchLines, Duration flushInterval, int memoryLines, long spoolMaxBytes,
                             long segmentBytes, Duration spoolFsync, boolean gzip, Duration requestTimeout,
                             Duration retryInitial, Duration retryMax, Duration retention, ZoneId zone) {

    /** Where the record is written. */
    public enum Target {
        /** QuestDB started inside the node; written over HTTP {@code /api/v2/write}, read with SQL over {@code /exec}. */
        QUESTDB_EMBEDDED,
        /** An InfluxDB 2.x server (or anything that takes {@code /api/v2/write}); read with InfluxQL. */
        INFLUXDB
    }

    public RecordSettings {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(dataDir, "dataDir");
        org = org == null ? "safegrid" : org;
        bucket = bucket == null ? "safegrid" : bucket;
        token = token == null ? "" : token;
        zone = zone == null ? ZoneId.of("Asia/Shanghai") : zone;
        if (target == Target.INFLUXDB && (url == null || url.isBlank())) {
            throw new IllegalArgumentException("record.url is required when record.target is influxdb");
        }
        if (batchLines < 1 || memoryLines < batchLines) {
            throw new IllegalArgumentException("record.batchLines must be >= 1 and <= record.memoryLines");
        }
        if (segmentBytes < 1024 || spoolMaxBytes < 2 * segmentBytes) {
            throw new IllegalArgumentException("record.spoolMaxBytes must be at least twice record.segmentBytes (>= 1 KiB)");
        }
        if (questDbHttpPort < 0 || questDbHttpPort > 65535) {
            throw new IllegalArgumentException("record.questDbHttpPort out of range: " + questDbHttpPort);
        }
        for (Duration d : new Duration[] {flushInterval, spoolFsync, requestTimeout, retryInitial, retryMax, retention}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("record durations must be positive");
            }
        }
    }

    /** The embedded QuestDB on a free port, 5,000-line gzip batches, 1 GiB of spool, 90 days kept. */
    public static RecordSettings defaults(Path dataDir) {
        return new RecordSettings(Target.QUESTDB_EMBEDDED, null, "safegrid", "safegrid", "", 0, dataDir, 5_000,
                Duration.ofMillis(500), 100_000, 1L << 30, 16L << 20, Duration.ofSeconds(1), true,
                Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofSeconds(30), Duration.ofDays(90),
                ZoneId.of("Asia/Shanghai"));
    }

    /** The deployment's {@code record:} section over the defaults, with data under {@code <node.dataDir>/record}. */
    public static RecordSettings of(Deployment d, ZoneId zone) {
        RecordConfig c = d.record();
        RecordSettings s = defaults(d.node().dataDir().resolve("record"));
        if (c.target().equals("influxdb")) {
            s = s.withInfluxDb(c.url(), c.org(), c.bucket(), c.token());
        } else if (c.questDbPassword() != null) {
            s = s.withToken(c.questDbPassword());
        }
        return new RecordSettings(s.target(), s.url(), s.org(), s.bucket(), s.token(), c.questDbHttpPort(), s.dataDir(),
                c.batchLines(), s.flushInterval(), Math.max(s.memoryLines(), c.batchLines()), c.spoolMaxBytes(),
                Math.min(s.segmentBytes(), c.spoolMaxBytes() / 2), s.spoolFsync(), c.gzip(), s.requestTimeout(),
                s.retryInitial(), s.retryMax(), c.retention(), zone);
    }

    /** The same settings writing to an InfluxDB 2.x compatible server. */
    public RecordSettings withInfluxDb(String url, String org, String bucket, String token) {
        return new RecordSettings(Target.INFLUXDB, url, org, bucket, token, questDbHttpPort, dataDir, batchLines,
                flushInterval, memoryLines, spoolMaxBytes, segmentBytes, spoolFsync, gzip, requestTimeout,
                retryInitial, retryMax, retention, zone);
    }

    /** The same settings with another token (for the embedded QuestDB: its HTTP password). */
    public RecordSettings withToken(String token) {
        return new RecordSettings(target, url, org, bucket, token, questDbHttpPort, dataDir, batchLines,
                flushInterval, memoryLines, spoolMaxBytes, segmentBytes, spoolFsync, gzip, requestTimeout,
                retryInitial, retryMax, retention, zone);
    }

    public RecordSettings withSpool(int memoryLines, long spoolMaxBytes, long segmentBytes) {
        return new RecordSettings(target, url, org, bucket, token, questDbHttpPort, dataDir, batchLines,
                flushInterval, memoryLines, spoolMaxBytes, segmentBytes, spoolFsync, gzip, requestTimeout,
                retryInitial, retryMax, retention, zone);
    }

    public RecordSettings withTimeouts(Duration requestTimeout, Duration retryInitial, Duration retryMax) {
        return new RecordSettings(target, url, org, bucket, token, questDbHttpPort, dataDir, batchLines,
                flushInterval, memoryLines, spoolMaxBytes, segmentBytes, spoolFsync, gzip, requestTimeout,
                retryInitial, retryMax, retention, zone);
    }

    public RecordSettings withBatch(int batchLines, Duration flushInterval) {
        return new RecordSettings(target, url, org, bucket, token, questDbHttpPort, dataDir, batchLines,
                flushInterval, memoryLines, spoolMaxBytes, segmentBytes, spoolFsync, gzip, requestTimeout,
                retryInitial, retryMax, retention, zone);
    }

    /** Lines per request to the embedded store, unless batchLines asks for more (see {@link #requestLines()}). */
    static final int EMBEDDED_REQUEST_LINES = 25_000;

    /**
     * Lines the writer puts in one request; fewer go when {@code flushInterval} passes first, so
     * no point waits longer than that either way. A remote server gets {@code batchLines}, the
     * size its operators tuned for. The embedded QuestDB gets at least {@value #EMBEDDED_REQUEST_LINES}:
     * it commits once per request and starts each commit with cold symbol caches, and with 2,000
     * devices 5,000-line requests spent about a tenth of the record's CPU re-learning device names.
     */
    public int requestLines() {
        return target == Target.QUESTDB_EMBEDDED ? Math.max(batchLines, Math.min(memoryLines, EMBEDDED_REQUEST_LINES))
                : batchLines;
    }

    public Path spoolDir() { return dataDir.resolve("spool"); }

    public Path questDbDir() { return dataDir.resolve("questdb"); }
}
