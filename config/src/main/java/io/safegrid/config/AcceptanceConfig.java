package io.safegrid.config;

import java.time.Duration;

/**
 * What ingest accepts and how it keeps what it acknowledged ({@code acceptance:}).
 *
 * @param maxClockSkew       how far ahead of the node's clock a reading's time may be; older than the record's
 *                           retention is refused too
 * @param journal            append every accepted reading to the local journal before acknowledging it (in-process
 *                           bus only; with Kafka the broker's acknowledgement is the durable one)
 * @param fsync              {@code none} (page cache: survives a process kill), {@code interval} (forced every
 *                           {@code fsyncInterval}) or {@code always} (forced before each group of acknowledgements)
 * @param journalMaxBytes    disk the journal may use; past it the oldest unconfirmed segment is dropped (counted)
 * @param journalMaxAge      readings older than this are not replayed
 * @param segmentBytes       size of one journal file
 * @param checkpointInterval how often the journal asks the record and the rules what they have durably handled
 * @param disk               free-space watermarks: below the refusing one ingest refuses readings
 */
public record AcceptanceConfig(Duration maxClockSkew, boolean journal, String fsync, Duration fsyncInterval,
                               long journalMaxBytes, Duration journalMaxAge, long segmentBytes,
                               Duration checkpointInterval, DiskWatermarks disk) {
    public static final String FSYNC_NONE = "none";
    public static final String FSYNC_INTERVAL = "interval";
    public static final String FSYNC_ALWAYS = "always";

    /** With the default disk watermarks. */
    public AcceptanceConfig(Duration maxClockSkew, boolean journal, String fsync, Duration fsyncInterval,
                            long journalMaxBytes, Duration journalMaxAge, long segmentBytes, Duration checkpointInterval) {
        this(maxClockSkew, journal, fsync, fsyncInterval, journalMaxBytes, journalMaxAge, segmentBytes, checkpointInterval,
                DiskWatermarks.defaults());
    }

    public AcceptanceConfig {
        disk = disk == null ? DiskWatermarks.defaults() : disk;
    }

    public static AcceptanceConfig defaults() {
        return new AcceptanceConfig(Duration.ofMinutes(5), true, FSYNC_INTERVAL, Duration.ofSeconds(1), 1L << 30,
                Duration.ofDays(1), 64L << 20, Duration.ofSeconds(2));
    }

    /** The same with other disk watermarks. */
    public AcceptanceConfig withDisk(DiskWatermarks watermarks) {
        return new AcceptanceConfig(maxClockSkew, journal, fsync, fsyncInterval, journalMaxBytes, journalMaxAge, segmentBytes,
                checkpointInterval, watermarks);
    }
}
