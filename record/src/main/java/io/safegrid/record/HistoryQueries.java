package io.safegrid.record;

import io.safegrid.model.grid.GridKind;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What the console asks of the record: a device's series over a time range, raw or downsampled,
 * and how many alarms each grid node raised per day. Ranges are half-open, {@code [from, to)}.
 * Implementations: {@link QuestDbHistory} (SQL) and {@link InfluxQlHistory} (InfluxQL).
 */
public interface HistoryQueries {

    /** One recorded value. */
    record Sample(Instant time, double value) {}

    /** One downsampling bucket, starting at {@code start}. */
    record Bucket(Instant start, double mean, double min, double max, long count) {}

    /** Alarms raised at one grid node (an id of the given kind) on one calendar day of the record's zone. */
    record DailyCount(LocalDate day, String node, long count) {}

    /** Raw values of one device's metric, oldest first, at most {@code limit}. */
    List<Sample> raw(String deviceId, String metric, Instant from, Instant to, int limit);

    /** Mean, min and max per {@code step} (e.g. one minute), oldest first; empty buckets are left out. */
    List<Bucket> downsampled(String deviceId, String metric, Instant from, Instant to, Duration step);

    /** Alarms raised per node of {@code kind} (county, township, village or enterprise) per day. */
    List<DailyCount> alarmsPerDay(GridKind kind, Instant from, Instant to);

    /** Bad input to a query: a clear message, never a malformed query. */
    static String checkId(String what, String value) {
        if (value == null || value.isEmpty() || value.length() > 128 || value.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException(what + " must be 1-128 printable characters");
        }
        return value;
    }

    static String tagOf(GridKind kind) {
        return GridTags.tagName(kind).orElseThrow(() ->
                new IllegalArgumentException("alarms are counted per county, township, village or enterprise, not " + kind));
    }
}
