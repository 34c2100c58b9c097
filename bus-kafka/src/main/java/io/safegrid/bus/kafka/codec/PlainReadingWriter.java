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
    /**
     * Per writing thread (one look-up per reading): the buffer a reading is written into (copied out at the
     * end, so a reading costs one array of its own size) and what recurs from reading to reading.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

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
    /** Stands in a cache for text that is not plain, so it is not checked again. */
    private static final byte[] NOT_PLAIN = new byte[0];

    private PlainReadingWriter() {
    }

    /**
     * One thread's buffer and caches. A node writes the same few device ids, grid paths and metrics over and
     * over, held by the same objects (the device directory's), and its readings' instants fall mostly in the
     * current second: copying their text once made is cheaper than checking it, and than {@code
     * GridPath.toString()}, {@code Double.toString} and a date split per reading.
     */
    static final class Scratch {
        byte[] buffer = new byte[512];
        final IdentityBytes text = new IdentityBytes(256);
        final IsoInstants.Seconds seconds = new IsoInstants.Seconds();
    }

    /** Text bytes by the identity of the object they came from, direct-mapped: a miss just computes them again. */
    static final class IdentityBytes {
        private final Object[] keys;
        private final byte[][] values;

        IdentityBytes(int size) {
            keys = new Object[size];
            values = new byte[size][];
        }

        /** The ASCII bytes of {@code text} (from {@code key}), or {@link #NOT_PLAIN}. */
        byte[] of(Object key, String text) {
            int i = System.identityHashCode(key) & (keys.length - 1);
            if (keys[i] == key) {
                return values[i];
            }
            byte[] b = new byte[text.length()];
            if (plain(b, 0, text) < 0) {
                b = NOT_PLAIN;
            }
            keys[i] = key;
            values[i] = b;
            return b;
        }
    }

    /** The reading's JSON, or null when some text in it is not plain ASCII (or an instant not in 0000–9999). */
    static byte[] write(Reading r) {
        Scratch s = SCRATCH.get();
        byte[] device = s.text.of(r.deviceId(), r.deviceId());
        byte[] site = r.site() == null ? NULL : s.text.of(r.site(), r.site().toString());
        byte[] metric = s.text.of(r.metric(), r.metric());
        if (device == NOT_PLAIN || site == NOT_PLAIN || metric == NOT_PLAIN) {
            return null;
        }
        String period = r.period().name();
        String statistic = r.statistic().name();
        String flag = r.flag().name();
        int most = 160 + device.length + site.length + metric.length + 32
                + period.length() + statistic.length() + flag.length() + 2 * IsoInstants.MAX_LENGTH;
        byte[] b = s.buffer;
        if (b.length < most) {
            b = new byte[Math.max(most, b.length * 2)];
            s.buffer = b;
        }
        int n = put(b, 0, DEVICE);
        n = put(b, n, device);
        n = put(b, n, SITE);
        if (r.site() == null) {
            n = put(b, n, NULL);
        } else {
            b[n++] = '"';
            n = put(b, n, site);
            b[n++] = '"';
        }
        n = put(b, n, METRIC);
        n = put(b, n, metric);
        n = put(b, n, VALUE);
        n = value(b, n, r.value());
        n = put(b, n, TIME);
        if ((n = s.seconds.format(r.time(), b, n)) < 0) {
            return null;
        }
        n = put(b, n, PERIOD);
        n = plain(b, n, period);
        n = put(b, n, STATISTIC);
        n = plain(b, n, statistic);
        n = put(b, n, FLAG);
        n = plain(b, n, flag);
        n = put(b, n, RECEIVED);
        if ((n = s.seconds.format(r.receivedAt(), b, n)) < 0) {
            return null;
        }
        n = put(b, n, END);
        return Arrays.copyOf(b, n);
    }

    /**
     * {@code v} as {@link Double#toString(double)} writes it; a whole number below 10^7 (counters, most
     * device values) directly as its digits and {@code .0}, which is that same text.
     */
    static int value(byte[] b, int n, double v) {
        long whole = (long) v;
        if (whole == v && whole > -10_000_000L && whole < 10_000_000L && (whole != 0 || 1 / v > 0)) {
            if (whole < 0) {
                b[n++] = '-';
                whole = -whole;
            }
            int digits = 1;
            for (long w = whole; w >= 10; w /= 10) {
                digits++;
            }
            for (int i = n + digits - 1; i >= n; i--) {
                b[i] = (byte) ('0' + whole % 10);
                whole /= 10;
            }
            n += digits;
            b[n++] = '.';
            b[n++] = '0';
            return n;
        }
        String text = Double.toString(v);
        if (Double.isFinite(v)) {
            return plain(b, n, text);
        }
        b[n++] = '"';   // "NaN", "Infinity": valid JSON, as Jackson writes them
        n = plain(b, n, text);
        b[n++] = '"';
        return n;
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
