package io.safegrid.ingest.journal;

import io.safegrid.config.AcceptanceConfig;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how the journal keeps readings.
 *
 * @param fsync         when appended bytes are forced from the page cache to the disk
 * @param fsyncInterval the period of {@link Fsync#INTERVAL}
 * @param maxBytes      disk the journal may use; past it the oldest segment goes, confirmed or not (counted)
 * @param maxAge        entries received longer ago than this are not replayed
 * @param segmentBytes  a segment is closed and a new one begun past this size
 */
public record JournalSettings(Path dir, Fsync fsync, Duration fsyncInterval, long maxBytes, Duration maxAge,
                              long segmentBytes, Duration checkpointInterval) {

    /** A page-cache write survives a process kill; only a forced one survives a power loss. */
    public enum Fsync {
        /** Never forced by the journal: the kernel writes back within about 30 s. */
        NONE,
        /** Forced every fsync-interval by a background thread: a power loss loses at most that much. */
        INTERVAL,
        /** Forced before each group of acknowledgements is sent: nothing acknowledged is lost to a power loss. */
        ALWAYS
    }

    public static JournalSettings of(AcceptanceConfig c, Path dir) {
        return new JournalSettings(dir, Fsync.valueOf(c.fsync().toUpperCase(java.util.Locale.ROOT)), c.fsyncInterval(),
                c.journalMaxBytes(), c.journalMaxAge(), c.segmentBytes(), c.checkpointInterval());
    }

    /** Defaults for tests: small segments, forced every second. */
    public static JournalSettings defaults(Path dir) {
        return new JournalSettings(dir, Fsync.INTERVAL, Duration.ofSeconds(1), 64L << 20, Duration.ofDays(1), 1L << 20,
                Duration.ofSeconds(1));
    }
}
