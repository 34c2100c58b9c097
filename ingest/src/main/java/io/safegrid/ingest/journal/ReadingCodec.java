package io.safegrid.ingest.journal;

import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.DataFlag;
import io.safegrid.model.reading.Period;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.reading.Statistic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** A reading as journal bytes: every field, enums by name so that reordering them never misreads a journal. */
final class ReadingCodec {
    private ReadingCodec() {
    }

    /** An upper bound of {@link #write}'s size. */
    static int maxSize(Reading r) {
        return 96 + 3 * (r.deviceId().length() + r.metric().length() + (r.site() == null ? 0 : textLength(r.site())));
    }

    static void write(ByteBuffer b, Reading r) {
        string(b, r.deviceId());
        site(b, r.site());
        string(b, r.metric());
        b.putDouble(r.value());
        instant(b, r.time());
        string(b, r.period().name());
        string(b, r.statistic().name());
        string(b, r.flag().name());
        instant(b, r.receivedAt());
    }

    /** @throws RuntimeException when the bytes are not a reading (the caller has checked the CRC, so: a newer format) */
    static Reading read(ByteBuffer b) {
        String device = string(b);
        String site = string(b);
        String metric = string(b);
        double value = b.getDouble();
        Instant time = instant(b);
        Period period = Period.valueOf(string(b));
        Statistic statistic = Statistic.valueOf(string(b));
        DataFlag flag = DataFlag.valueOf(string(b));
        Instant received = instant(b);
        return new Reading(device, site.isEmpty() ? null : GridPath.parse(site), metric, value, time, period, statistic,
                flag, received);
    }

    // Every reading passes through here on ingest's threads: plain ASCII text (ids, metrics, enum
    // names, grid paths) goes into the buffer char by char, without the copies that getBytes and
    // a joined path would make (a tenth of a busy node's allocation, and so of its GC pauses).

    private static void string(ByteBuffer b, String s) {
        if (!ascii(s)) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            b.putShort((short) bytes.length);
            b.put(bytes);
            return;
        }
        b.putShort((short) s.length());
        chars(b, s);
    }

    /** The path as its text ({@link GridPath#toString()}; grid ids are ASCII), "" for none. */
    private static void site(ByteBuffer b, GridPath site) {
        if (site == null) {
            b.putShort((short) 0);
            return;
        }
        b.putShort((short) textLength(site));
        List<String> segments = site.segments();
        for (int i = 0; i < segments.size(); i++) {   // indexed: an iterator per reading was a garbage of its own
            if (i > 0) {
                b.put((byte) '/');
            }
            chars(b, segments.get(i));
        }
    }

    /** The length of the path's text, without making it. */
    private static int textLength(GridPath site) {
        List<String> segments = site.segments();
        int n = Math.max(0, segments.size() - 1);
        for (int i = 0; i < segments.size(); i++) {
            n += segments.get(i).length();
        }
        return n;
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static void chars(ByteBuffer b, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            b.put((byte) ascii.charAt(i));
        }
    }

    private static String string(ByteBuffer b) {
        int n = Short.toUnsignedInt(b.getShort());
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void instant(ByteBuffer b, Instant t) {
        b.putLong(t.getEpochSecond());
        b.putInt(t.getNano());
    }

    private static Instant instant(ByteBuffer b) {
        long s = b.getLong();
        return Instant.ofEpochSecond(s, b.getInt());
    }
}
