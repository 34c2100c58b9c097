package io.safegrid.alerting.record;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.reading.Reading;
import java.time.Instant;

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

    private final GridTags grid;

    LineEncoder(GridTags grid) { this.grid = grid; }

    String reading(Reading r) {
        if (!Double.isFinite(r.value())) {
            return null;
        }
        Point p = Point.measurement(READING)
                .addTags(grid.of(r.site()))
                .addTag("device", r.deviceId())
                .addTag("metric", r.metric())
                .addTag("period", r.period().name())
                .addTag("statistic", r.statistic().name())
                .addTag("flag", r.flag().name())
                .addField("value", r.value())
                .time(millis(r.time()), PRECISION);
        return p.toLineProtocol();
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
