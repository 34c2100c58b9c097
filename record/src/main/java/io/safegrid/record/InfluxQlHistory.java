package io.safegrid.record;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.domain.InfluxQLQuery;
import com.influxdb.query.InfluxQLQueryResult;
import io.safegrid.model.grid.GridKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * History over InfluxQL ({@code /query}, the v1-compatible endpoint of InfluxDB 2.x, or InfluxDB 1.x),
 * through influxdb-client-java's {@code InfluxQLQueryApi}. On InfluxDB 2.x the database is the
 * bucket's DBRP mapping (see docs/operations.md).
 */
public final class InfluxQlHistory implements HistoryQueries, AutoCloseable {
    private final InfluxDBClient client;
    private final boolean ownsClient;
    private final String database;
    private final ZoneId zone;

    /** Uses {@code url}, {@code token} and {@code bucket} (as the database) from the settings. */
    public InfluxQlHistory(RecordSettings s) {
        InfluxDBClientOptions.Builder options = InfluxDBClientOptions.builder().url(s.url()).org(s.org());
        if (!s.token().isEmpty()) {
            options.authenticateToken(s.token().toCharArray());
        }
        this.client = InfluxDBClientFactory.create(options.build());
        this.ownsClient = true;
        this.database = s.bucket();
        this.zone = s.zone();
    }

    public InfluxQlHistory(InfluxDBClient client, String database, ZoneId zone) {
        this.client = client;
        this.ownsClient = false;
        this.database = database;
        this.zone = zone;
    }

    @Override
    public List<Sample> raw(String deviceId, String metric, Instant from, Instant to, int limit) {
        List<Sample> out = new ArrayList<>();
        query("SELECT \"value\" FROM \"reading\" WHERE " + series(deviceId, metric) + " AND " + range(from, to)
                + " ORDER BY time ASC LIMIT " + Math.max(1, limit), (s, r) -> {
            Double v = number(r.getValueByKey("value"));
            if (v != null) {
                out.add(new Sample(time(r.getValueByKey("time")), v));
            }
        });
        return out;
    }

    @Override
    public List<Bucket> downsampled(String deviceId, String metric, Instant from, Instant to, Duration step) {
        if (step == null || step.toSeconds() < 1) {
            throw new IllegalArgumentException("downsampling step must be at least one second");
        }
        List<Bucket> out = new ArrayList<>();
        query("SELECT mean(\"value\") AS mean, min(\"value\") AS min, max(\"value\") AS max, count(\"value\") AS n "
                + "FROM \"reading\" WHERE " + series(deviceId, metric) + " AND " + range(from, to)
                + " GROUP BY time(" + step.toSeconds() + "s) fill(none)", (s, r) -> {
            Double n = number(r.getValueByKey("n"));
            if (n != null && n > 0) {
                out.add(new Bucket(time(r.getValueByKey("time")), number(r.getValueByKey("mean")),
                        number(r.getValueByKey("min")), number(r.getValueByKey("max")), n.longValue()));
            }
        });
        return out;
    }

    @Override
    public List<DailyCount> alarmsPerDay(GridKind kind, Instant from, Instant to) {
        String tag = HistoryQueries.tagOf(kind);
        List<DailyCount> out = new ArrayList<>();
        query("SELECT count(\"sequence\") AS n FROM \"alarm\" WHERE \"type\" = 'RAISED' AND " + range(from, to)
                + " GROUP BY time(1d), \"" + tag + "\" fill(none) tz('" + zone.getId() + "')", (s, r) -> {
            String node = s.getTags().get(tag);
            Double n = number(r.getValueByKey("n"));
            if (node != null && !node.isEmpty() && n != null && n > 0) {
                out.add(new DailyCount(time(r.getValueByKey("time")).atZone(zone).toLocalDate(), node, n.longValue()));
            }
        });
        out.sort((a, b) -> a.day().equals(b.day()) ? a.node().compareTo(b.node()) : a.day().compareTo(b.day()));
        return out;
    }

    private interface RowHandler {
        void row(InfluxQLQueryResult.Series series, InfluxQLQueryResult.Series.Record record);
    }

    private void query(String influxQl, RowHandler handler) {
        InfluxQLQueryResult result = client.getInfluxQLQueryApi().queryJSON(
                new InfluxQLQuery(influxQl, database).setPrecision(InfluxQLQuery.InfluxQLPrecision.MILLISECONDS));
        if (result == null) {
            return;
        }
        for (InfluxQLQueryResult.Result res : result.getResults()) {
            for (InfluxQLQueryResult.Series s : res.getSeries()) {
                Consumer<InfluxQLQueryResult.Series.Record> each = r -> handler.row(s, r);
                s.getValues().forEach(each);
            }
        }
    }

    private static String series(String deviceId, String metric) {
        return "\"device\" = " + lit(HistoryQueries.checkId("deviceId", deviceId)) + " AND \"metric\" = "
                + lit(HistoryQueries.checkId("metric", metric));
    }

    private static String range(Instant from, Instant to) {
        if (from == null || to == null || !from.isBefore(to)) {
            throw new IllegalArgumentException("time range must have from < to");
        }
        return "time >= " + from.toEpochMilli() + "ms AND time < " + to.toEpochMilli() + "ms";
    }

    /** An InfluxQL string literal: backslashes and quotes escaped, so input cannot change the query. */
    private static String lit(String v) {
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static Double number(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        String s = o.toString();
        return s.isEmpty() || s.equals("null") ? null : Double.valueOf(s);
    }

    private static Instant time(Object o) {
        if (o instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        String s = String.valueOf(o);
        if (!s.isEmpty() && Character.isDigit(s.charAt(0)) && !s.contains("-")) {
            return Instant.ofEpochMilli((long) Double.parseDouble(s));
        }
        return Instant.parse(s);
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }
}
