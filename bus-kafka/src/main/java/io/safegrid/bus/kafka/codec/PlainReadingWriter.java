package io.safegrid.bus.kafka.codec;

import io.safegrid.model.reading.Reading;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a reading's JSON straight into bytes when all its text is plain ASCII that JSON needs no escape
 * for (device ids, metrics, grid paths and enum names nearly always are), byte for byte what Jackson's
 * generator writes for it. On the Kafka path each reading is written once on an ingest event loop, and
 * a generator per reading (its buffers, its context, field by field checks) was the largest single cost
 * of putting a reading on the bus. A reading with other text is left to the generator ({@code null}).
 */
final class PlainReadingWriter {
    /** Per writing thread; copied out at the end, so a reading costs one array of its own size. */
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[512]);

    private static final byte[] DEVICE = ascii("{\"deviceId\":\"");
    private static final byte[] SITE = ascii("\",\"site\":");
    private static final byte[] METRIC = ascii(",\"metric\":\"");
    private static final byte[] VALUE = ascii("\",\"value\":");
    private static final byte[] TIME = ascii(",\"time\":\"");
    private static final byte[] PERIOD = ascii("\",\"period\":\"");
    private static final byte[] STATISTIC = ascii("\",\"statistic\":\"");
    private static final byte[] FLAG = ascii("\",\"flag\":\"");
    private static final byte[] RECEIVED = ascii("\",\"receivedAt\":\"");
    private static final byte[] END = ascii("\"}");
    private static final byte[] NULL = ascii("null");

    private PlainReadingWriter() {
    }

    /** The reading's JSON, or null when some text in it is not plain ASCII (or an instant not in 0000–9999). */
    static byte[] write(Reading r) {
        String site = r.site() == null ? null : r.site().toString();
        String value = Double.toString(r.value());
        String device = r.deviceId();
        String metric = r.metric();
        String period = r.period().name();
        String statistic = r.statistic().name();
        String flag = r.flag().name();
        int most = 160 + device.length() + (site == null ? 4 : site.length()) + metric.length() + value.length()
                + period.length() + statistic.length() + flag.length() + 2 * IsoInstants.MAX_LENGTH;
        byte[] b = BUFFER.get();
        if (b.length < most) {
            b = new byte[Math.max(most, b.length * 2)];
            BUFFER.set(b);
        }
        int n = put(b, 0, DEVICE);
        if ((n = plain(b, n, device)) < 0) {
            return null;
        }
        n = put(b, n, SITE);
        if (site == null) {
            n = put(b, n, NULL);
        } else {
            b[n++] = '"';
            if ((n = plain(b, n, site)) < 0) {
                return null;
            }
            b[n++] = '"';
        }
        n = put(b, n, METRIC);
        if ((n = plain(b, n, metric)) < 0) {
            return null;
        }
        n = put(b, n, VALUE);
        if (Double.isFinite(r.value())) {
            n = plain(b, n, value);
        } else {
            b[n++] = '"';   // "NaN", "Infinity": valid JSON, as Jackson writes them
            n = plain(b, n, value);
            b[n++] = '"';
        }
        n = put(b, n, TIME);
        if ((n = IsoInstants.format(r.time(), b, n)) < 0) {
            return null;
        }
        n = put(b, n, PERIOD);
        n = plain(b, n, period);
        n = put(b, n, STATISTIC);
        n = plain(b, n, statistic);
        n = put(b, n, FLAG);
        n = plain(b, n, flag);
        n = put(b, n, RECEIVED);
        if ((n = IsoInstants.format(r.receivedAt(), b, n)) < 0) {
            return null;
        }
        n = put(b, n, END);
        return Arrays.copyOf(b, n);
    }

    /** Copies {@code s} as ASCII; -1 when a character needs an escape in JSON or is not ASCII. */
    private static int plain(byte[] b, int at, String s) {
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return -1;
            }
            b[at + i] = (byte) c;
        }
        return at + len;
    }

    private static int put(byte[] b, int at, byte[] part) {
        System.arraycopy(part, 0, b, at, part.length);
        return at + part.length;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
