package io.safegrid.record;

import io.safegrid.config.ConfigSource;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.history.SeriesHistory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The record's history as the console reads it ({@link SeriesHistory}, declared in model so the
 * console never sees this module). Alarm counts are kept per grid level tag, so a child of the
 * asked-for node is matched by its kind and id.
 */
public final class RecordSeriesHistory implements SeriesHistory {
    private static final Set<GridKind> COUNTED = EnumSet.of(GridKind.COUNTY, GridKind.TOWNSHIP, GridKind.VILLAGE,
            GridKind.ENTERPRISE);

    private final HistoryQueries queries;
    private final ConfigSource config;

    public RecordSeriesHistory(HistoryQueries queries, ConfigSource config) {
        this.queries = queries;
        this.config = config;
    }

    @Override
    public List<Point> raw(String deviceId, String metric, Instant from, Instant to, int limit) {
        return queries.raw(deviceId, metric, from, to, limit).stream().map(s -> Point.raw(s.time(), s.value())).toList();
    }

    @Override
    public List<Point> downsampled(String deviceId, String metric, Instant from, Instant to, Duration step) {
        return queries.downsampled(deviceId, metric, from, to, step).stream()
                .map(b -> new Point(b.start(), b.min(), b.mean(), b.max(), b.count())).toList();
    }

    /** Days are the record's calendar days (Asia/Shanghai unless configured otherwise); {@code zone} picks the range ends. */
    @Override
    public Map<GridPath, Map<LocalDate, Long>> alarmCountsPerDay(GridPath subtree, LocalDate from, LocalDate to, ZoneId zone) {
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
        Map<GridPath, Map<LocalDate, Long>> out = new LinkedHashMap<>();
        List<GridNode> children = config.current().grid().children(subtree);
        for (GridKind kind : COUNTED) {
            List<GridNode> ofKind = children.stream().filter(n -> n.kind() == kind).toList();
            if (ofKind.isEmpty()) {
                continue;
            }
            for (HistoryQueries.DailyCount c : queries.alarmsPerDay(kind, start, end)) {
                ofKind.stream().filter(n -> n.id().equals(c.node())).findFirst().ifPresent(n ->
                        out.computeIfAbsent(n.path(), p -> new TreeMap<>()).merge(c.day(), c.count(), Long::sum));
            }
        }
        return out;
    }
}
