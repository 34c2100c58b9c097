package io.safegrid.config.log;

import org.slf4j.Logger;

/**
 * A log that writes at most {@code perMinute} lines a minute and then says how many it left out, so
 * that a flood of connections, bad headers or an embedded store failing on a full disk cannot fill the
 * log. Thread-safe; shared by the stages, so it lives with the configuration every stage reads.
 */
public final class LimitedLog {
    private static final long WINDOW_NANOS = 60_000_000_000L;

    private final Logger log;
    private final int perMinute;
    private long windowStart = System.nanoTime();
    private int lines;
    private long suppressed;

    public LimitedLog(Logger log, int perMinute) {
        this.log = log;
        this.perMinute = perMinute;
    }

    public void info(String format, Object... args) {
        long dropped = admit();
        if (dropped >= 0 && log.isInfoEnabled()) {
            log.info(format + suffix(dropped), args);
        }
    }

    public void warn(String format, Object... args) {
        long dropped = admit();
        if (dropped >= 0) {
            log.warn(format + suffix(dropped), args);
        }
    }

    public void error(String format, Object... args) {
        long dropped = admit();
        if (dropped >= 0) {
            log.error(format + suffix(dropped), args);
        }
    }

    private static String suffix(long dropped) {
        return dropped > 0 ? " [" + dropped + " similar lines suppressed]" : "";
    }

    /** -1 when this line is left out, else how many were left out before it. */
    private synchronized long admit() {
        long now = System.nanoTime();
        if (now - windowStart > WINDOW_NANOS) {
            windowStart = now;
            lines = 0;
        }
        if (lines < perMinute) {
            lines++;
            long d = suppressed;
            suppressed = 0;
            return d;
        }
        suppressed++;
        return -1;
    }
}
