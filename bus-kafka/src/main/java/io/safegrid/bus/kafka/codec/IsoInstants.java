package io.safegrid.bus.kafka.codec;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 UTC instants ({@code 2026-11-29T03:15:00.123Z}) written and read without
 * {@code DateTimeFormatter}. A reading carries two instants, and profiling the Kafka bus showed the
 * formatter's parse (a {@code Parsed} map per field) as the largest single cost of the consuming
 * thread. The text is exactly {@link Instant#toString()}'s; anything outside the common shape (a
 * year beyond 0000–9999, an offset other than {@code Z}) goes through {@link Instant} itself.
 */
final class IsoInstants {
    private IsoInstants() {
    }

    /** The same text as {@link Instant#toString()}: fraction in groups of three digits, none when zero. */
    static String format(Instant t) {
        byte[] c = new byte[MAX_LENGTH];
        int n = format(t, c, 0);
        return n < 0 ? t.toString() : new String(c, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** The longest text {@link #format(Instant, byte[], int)} writes. */
    static final int MAX_LENGTH = 30;

    /**
     * Writes {@link #format(Instant)}'s text as ASCII into {@code c} from {@code at} (room for {@link #MAX_LENGTH}
     * bytes); the index after it, or -1 (nothing written) for a year outside 0000–9999, which {@link Instant} writes.
     */
    static int format(Instant t, byte[] c, int at) {
        return dateTime(t.getEpochSecond(), c, at) < 0 ? -1 : fraction(t.getNano(), c, at + 19);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss} of an epoch second (19 bytes), or -1 for a year outside 0000–9999. */
    private static int dateTime(long epochSecond, byte[] c, int at) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        int year = d.getYear();
        if (year < 0 || year > 9999) {
            return -1;
        }
        digits(c, at, year, 4);
        c[at + 4] = '-';
        digits(c, at + 5, d.getMonthValue(), 2);
        c[at + 7] = '-';
        digits(c, at + 8, d.getDayOfMonth(), 2);
        c[at + 10] = 'T';
        digits(c, at + 11, d.getHour(), 2);
        c[at + 13] = ':';
        digits(c, at + 14, d.getMinute(), 2);
        c[at + 16] = ':';
        digits(c, at + 17, d.getSecond(), 2);
        return at + 19;
    }

    /** The fraction in groups of three digits (none when zero) and the {@code Z}; the index after it. */
    private static int fraction(int nano, byte[] c, int n) {
        if (nano != 0) {
            c[n++] = '.';
            if (nano % 1_000_000 == 0) {
                digits(c, n, nano / 1_000_000, 3);
                n += 3;
            } else if (nano % 1_000 == 0) {
                digits(c, n, nano / 1_000, 6);
                n += 6;
            } else {
                digits(c, n, nano, 9);
                n += 9;
            }
        }
        c[n++] = 'Z';
        return n;
    }

    /**
     * {@link #format(Instant, byte[], int)} for one writing thread, keeping the date and time of the last two
     * seconds it wrote: a reading's two instants (measured, received) are nearly always in the current second
     * or the one before, and splitting a second into its date and time was most of an instant's cost.
     */
    static final class Seconds {
        private final long[] second = {Long.MIN_VALUE, Long.MIN_VALUE};
        private final byte[][] text = {new byte[19], new byte[19]};
        private int next;

        int format(Instant t, byte[] c, int at) {
            long sec = t.getEpochSecond();
            int slot = sec == second[0] ? 0 : sec == second[1] ? 1 : -1;
            if (slot < 0) {
                if (dateTime(sec, text[next], 0) < 0) {
                    return -1;
                }
                slot = next;
                second[slot] = sec;
                next ^= 1;
            }
            System.arraycopy(text[slot], 0, c, at, 19);
            return fraction(t.getNano(), c, at + 19);
        }
    }

    /**
     * Reads {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}; other ISO forms {@link Instant#parse} accepts.
     *
     * @throws DateTimeParseException when it is not an instant
     */
    static Instant parse(String s) {
        int len = s.length();
        if (len < 20 || len > 30 || s.charAt(len - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
                || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return Instant.parse(s);
        }
        int year = number(s, 0, 4);
        int month = number(s, 5, 2);
        int day = number(s, 8, 2);
        int hour = number(s, 11, 2);
        int minute = number(s, 14, 2);
        int second = number(s, 17, 2);
        int nano = 0;
        if (len > 20) {
            int digits = len - 21;
            if (s.charAt(19) != '.' || digits < 1 || digits > 9) {
                return Instant.parse(s);
            }
            nano = number(s, 20, digits);
            for (int i = digits; i < 9; i++) {
                nano *= 10;
            }
        }
        if ((year | month | day | hour | minute | second | nano) < 0 || hour > 23 || minute > 59 || second > 59
                || month < 1 || month > 12 || day < 1 || day > 31) {
            return Instant.parse(s);   // not digits where digits belong, or out of range: let it say why
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (java.time.DateTimeException e) {
            throw new DateTimeParseException("not a date: " + s, s, 0, e);
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, nano);
    }

    /** The decimal number in {@code s[from, from+n)}, or -1 when a character there is not a digit. */
    private static int number(String s, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static void digits(byte[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
