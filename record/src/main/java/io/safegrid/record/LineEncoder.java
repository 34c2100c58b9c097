package io.safegrid.record;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.DataFlag;
import io.safegrid.model.reading.Period;
import io.safegrid.model.reading.Statistic;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns bus messages into InfluxDB line protocol (one line each, millisecond timestamps). The
 * measurements, tags and fields are listed in docs/operations.md; change them there too.
 * Returns null for a message that cannot be written (no value at all), which the caller counts.
 */
final class LineEncoder {
    static final String READING = "reading";
    static final String FINDING = "finding";
    static final String ALARM = "alarm";
    static final WritePrecision PRECISION = WritePrecision.MS;

    /** Series beyond this many are not cached (the cache is cleared and refilled): bounded memory. */
    private static final int MAX_CACHED_SERIES = 200_000;

    private final GridTags grid;
    /**
     * The measurement-and-tags part of each reading series, made once by {@link Point} (which owns
     * the escaping rules) and reused: building a Point per reading would be most of the record's CPU.
     */
    private final Map<SeriesKey, String> readingPrefixes = new ConcurrentHashMap<>();

    private record SeriesKey(GridPath site, String device, String metric, Period period, Statistic statistic,
                             DataFlag flag) {}

    LineEncoder(GridTags grid) {
        this.grid = grid;
        grid.onReload(readingPrefixes::clear);
    }

    String reading(Reading r) {
        if (!Double.isFinite(r.value())) {
            return null;
        }
        SeriesKey key = new SeriesKey(r.site(), r.deviceId(), r.metric(), r.period(), r.statistic(), r.flag());
        String prefix = readingPrefixes.get(key);
        if (prefix == null) {
            if (readingPrefixes.size() >= MAX_CACHED_SERIES) {
                readingPrefixes.clear();
            }
            prefix = readingPrefix(key);
            readingPrefixes.put(key, prefix);
        }
        // Double.toString gives e.g. 0.25, 12.0 or 1.0E-5: all valid line-protocol floats
        StringBuilder line = LINE.get();
        line.setLength(0);
        String done = line.append(prefix).append(" value=").append(r.value()).append(' ').append(millis(r.time()))
                .toString();
        if (line.capacity() > 4096) {
            LINE.remove(); // one long tag value should not pin a large buffer to a bus thread
        }
        return done;
    }

    /** One builder per bus thread, reused: a fresh one per reading was a large share of the encoder's allocation. */
    private static final ThreadLocal<StringBuilder> LINE = ThreadLocal.withInitial(() -> new StringBuilder(256));

    private String readingPrefix(SeriesKey k) {
        String line = Point.measurement(READING)
                .addTags(grid.of(k.site()))
                .addTag("device", k.device())
                .addTag("metric", k.metric())
                .addTag("period", k.period().name())
                .addTag("statistic", k.statistic().name())
                .addTag("flag", k.flag().name())
                .addField("value", 0L)
                .toLineProtocol();
        // escaped tags cannot contain an unescaped " value=", so the last one starts the field set
        return line.substring(0, line.lastIndexOf(" value="));
    }

    String finding(Finding f) {
        Point p = Point.measurement(FINDING)
                .addTags(grid.of(f.site()))
                .addTag("device", f.sourceId())
                .addTag("rule", f.rule())
                .addTag("kind", f.kind().name())
                .addTag("level", f.level().name())
                .addTag("condition", f.condition().name())
                .addField("id", f.id())
                .addField("message", text(f.message()))
                .time(millis(f.time()), PRECISION);
        if (f.zone() != null) {
            p.addTag("zone", f.zone());
        }
        finite(p, "value", f.value());
        finite(p, "threshold", f.threshold());
        String metric = f.details().get("metric");
        if (metric != null) {
            p.addTag("metric", metric);
        }
        return p.toLineProtocol();
    }

    String alarm(AlarmEvent e) {
        Alarm a = e.alarm();
        Point p = Point.measurement(ALARM)
                .addTag("type", e.type().name())
                .addField("alarm_id", e.alarmId())
                .addField("sequence", e.sequence())
                .addField("actor", text(e.actor()))
                .addField("note", text(e.note()))
                .time(millis(e.time()), PRECISION);
        if (a != null) {
            p.addTags(grid.of(a.site()));
            tag(p, "device", a.sourceId());
            tag(p, "rule", a.rule());
            tag(p, "level", a.level() == null ? null : a.level().name());
            tag(p, "state", a.state() == null ? null : a.state().name());
            finite(p, "value", a.value());
            finite(p, "peak_value", a.peakValue());
            p.addField("count", (long) a.count());
        }
        return p.toLineProtocol();
    }

    private static void tag(Point p, String key, String value) {
        if (value != null && !value.isEmpty()) {
            p.addTag(key, value);
        }
    }

    private static void finite(Point p, String key, double v) {
        if (Double.isFinite(v)) {
            p.addField(key, v);
        }
    }

    /** Line protocol has no newline inside a value, and the spool is one line per point. */
    private static String text(String s) {
        if (s == null) {
            return "";
        }
        return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace('\n', ' ').replace('\r', ' ');
    }

    private static long millis(Instant t) { return t.toEpochMilli(); }
}
