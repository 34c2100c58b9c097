package io.safegrid.ingest.intake;

import io.safegrid.ingest.json.PayloadException;
import io.safegrid.model.reading.Reading;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a reading must be before ingest acknowledges it: a finite value measured within
 * [now − the record's retention, now + the allowed clock skew]. Anything else could not be judged
 * (time arithmetic overflows) or recorded (the store drops it), so it is refused with the protocol's
 * own error instead of being acknowledged and then lost.
 */
public final class ReadingWindow {
    private final Clock clock;
    private final Supplier<Duration> retention;
    private final Supplier<Duration> skew;

    public ReadingWindow(Clock clock, Supplier<Duration> retention, Supplier<Duration> skew) {
        this.clock = clock;
        this.retention = retention;
        this.skew = skew;
    }

    /** A window of 90 days back and 5 minutes ahead, for tests and tools. */
    public static ReadingWindow lenient(Clock clock) {
        return new ReadingWindow(clock, () -> Duration.ofDays(90), () -> Duration.ofMinutes(5));
    }

    /** The window of one millisecond: a busy event loop checks many readings in the same one. */
    private record Bounds(long millis, Duration retention, Duration skew, Instant earliest, Instant latest) {
    }

    private volatile Bounds last = new Bounds(Long.MIN_VALUE, null, null, null, null);

    private Bounds bounds() {
        long now = clock.millis();
        Duration back = retention.get();
        Duration ahead = skew.get();
        Bounds b = last;
        if (b.millis() != now || !back.equals(b.retention()) || !ahead.equals(b.skew())) {
            Instant at = clock.instant();
            b = new Bounds(now, back, ahead, at.minus(back), at.plus(ahead));
            last = b;
        }
        return b;
    }

    /** Throws {@code bad-time} or {@code bad-value} for the first reading that cannot be taken. */
    public void check(List<Reading> readings) throws PayloadException {
        Bounds b = bounds();
        Instant earliest = b.earliest();
        Instant latest = b.latest();
        for (Reading r : readings) {
            check(r.time(), earliest, latest);
            if (!Double.isFinite(r.value())) {
                throw new PayloadException("bad-value", "value " + r.value() + " of " + r.deviceId() + " is not a finite number");
            }
        }
    }

    /** Throws {@code bad-time} when {@code time} is outside the window (HJ 212 has one DataTime per frame). */
    public void check(Instant time) throws PayloadException {
        Instant now = clock.instant();
        check(time, now.minus(retention.get()), now.plus(skew.get()));
    }

    private static void check(Instant time, Instant earliest, Instant latest) throws PayloadException {
        if (time.isBefore(earliest) || time.isAfter(latest)) {
            throw new PayloadException("bad-time", "time " + time + " is outside [" + earliest + ", " + latest
                    + "] (record retention back, allowed clock skew ahead)");
        }
    }
}
