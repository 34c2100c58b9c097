package io.safegrid.config;

import java.time.Duration;

/**
 * Where the time-series record goes. By default an embedded QuestDB inside the node, so the demo
 * needs no setup; in production an InfluxDB 2.x server.
 *
 * @param target          {@code questdb} (embedded) or {@code influxdb}
 * @param url             the InfluxDB base URL; required for {@code influxdb}
 * @param token           an InfluxDB API token with write and read on the bucket
 * @param questDbHttpPort the embedded QuestDB's HTTP port on 127.0.0.1; 0 picks a free one
 * @param spoolMaxBytes   disk the spool may use while the server is down; past it the oldest is dropped
 * @param retention       how long points are kept (QuestDB TTL; for InfluxDB set it on the bucket)
 * @param questDbPassword the password of the embedded QuestDB's HTTP endpoint (user {@code safegrid});
 *                        null: one generated for the data directory
 */
public record RecordConfig(String target, String url, String org, String bucket, String token, int questDbHttpPort,
                           int batchLines, long spoolMaxBytes, Duration retention, boolean gzip, String questDbPassword) {

    public RecordConfig(String target, String url, String org, String bucket, String token, int questDbHttpPort,
                        int batchLines, long spoolMaxBytes, Duration retention, boolean gzip) {
        this(target, url, org, bucket, token, questDbHttpPort, batchLines, spoolMaxBytes, retention, gzip, null);
    }

    public static RecordConfig defaults() {
        return new RecordConfig("questdb", null, "safegrid", "safegrid", null, 0, 5000, 1L << 30, Duration.ofDays(90), true);
    }

    @Override
    public String toString() {
        return "RecordConfig[" + target + ", " + url + ", org=" + org + ", bucket=" + bucket + ", token=***, questDbPassword=***]";
    }
}
