package io.safegrid.config;

/**
 * Free-space watermarks of the data directory ({@code acceptance.disk-*}).
 *
 * @param warnFreeBytes     below this much usable space: a warning (logged, gauged)
 * @param refuseFreeBytes   below this: ingest refuses new readings with each protocol's own answer and the
 *                          storage-trouble alarm is raised; leaves the embedded stores room to finish their writes
 * @param alarmReserveBytes preallocated for the alarm store and released to it when the disk reaches the refusing level
 */
public record DiskWatermarks(long warnFreeBytes, long refuseFreeBytes, long alarmReserveBytes) {
    private static final long MIB = 1024L * 1024;

    public DiskWatermarks {
        if (refuseFreeBytes < 0 || warnFreeBytes < refuseFreeBytes || alarmReserveBytes < 0) {
            throw new IllegalArgumentException("disk watermarks need 0 ≤ refuse ≤ warn and a reserve ≥ 0");
        }
    }

    /** 2 GiB warning, 512 MiB refusing (room for QuestDB's 16 MiB column pages), 64 MiB for the alarm store. */
    public static DiskWatermarks defaults() {
        return new DiskWatermarks(2048 * MIB, 512 * MIB, 64 * MIB);
    }
}
