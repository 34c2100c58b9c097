package io.safegrid.model.history;

import io.safegrid.model.grid.GridPath;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * Read-only history for the console: sensor series (raw or downsampled) and alarm counts per grid
 * node per day. The record stage implements it; the console only reads, and checks the caller's
 * grid scope before asking.
 */
public interface SeriesHistory {

    /** One point: the value at {@code time}, or for a bucket its start with min/avg/max over it. */
    record Point(Instant time, double min, double avg, double max, long count) {
        public static Point raw(Instant time, double value) {
            return new Point(time, value, value, value, 1);
        }
    }

    /** Raw readings of one device's metric in [from, to), oldest first, at most {@code limit}. */
    List<Point> raw(String deviceId, String metric, Instant from, Instant to, int limit);

    /** The same series in buckets of {@code step} (e.g. 1 min, 1 h), oldest first; empty buckets left out. */
    List<Point> downsampled(String deviceId, String metric, Instant from, Instant to, Duration step);

    /** Alarms raised per day (in {@code zone}) at or below each grid node of {@code subtree}'s children. */
    Map<GridPath, Map<LocalDate, Long>> alarmCountsPerDay(GridPath subtree, LocalDate from, LocalDate to, ZoneId zone);
}
