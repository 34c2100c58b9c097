package io.safegrid.alerting.disk;

import java.time.Duration;

/**
 * Free-space watermarks of the data directory and the room kept for the alarm store.
 *
 * @param warnFreeBytes   below this much free space: WARNING (logged, gauged)
 * @param refuseFreeBytes below this: REFUSING (the storage-trouble alarm is raised, the reserve is released)
 * @param reserveBytes    preallocated for the alarm store, released when the disk is REFUSING; 0 for none
 * @param interval        how often free space is looked at
 */
public record DiskSettings(long warnFreeBytes, long refuseFreeBytes, long reserveBytes, Duration interval) {
    private static final long MIB = 1024L * 1024;

    public DiskSettings {
        if (refuseFreeBytes < 0 || warnFreeBytes < refuseFreeBytes || reserveBytes < 0) {
            throw new IllegalArgumentException("disk watermarks need 0 ≤ refuse ≤ warn and a reserve ≥ 0");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the disk check interval must be positive");
        }
    }

    /**
     * From the JVM's system properties {@code safegrid.disk.warn-free-mb} (default 2048),
     * {@code safegrid.disk.refuse-free-mb} (512) and {@code safegrid.disk.alarm-reserve-mb} (64), checked every second.
     * The refusing level leaves the embedded QuestDB room to map its column files (16 MiB pages).
     */
    public static DiskSettings fromSystemProperties() {
        return new DiskSettings(mib("safegrid.disk.warn-free-mb", 2048), mib("safegrid.disk.refuse-free-mb", 512),
                mib("safegrid.disk.alarm-reserve-mb", 64), Duration.ofSeconds(1));
    }

    private static long mib(String key, long fallback) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            return fallback * MIB;
        }
        try {
            return Long.parseLong(v.strip()) * MIB;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number of MiB, not '" + v + "'", e);
        }
    }
}
