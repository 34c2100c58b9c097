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
    public DiskSettings {
        if (refuseFreeBytes < 0 || warnFreeBytes < refuseFreeBytes || reserveBytes < 0) {
            throw new IllegalArgumentException("disk watermarks need 0 ≤ refuse ≤ warn and a reserve ≥ 0");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the disk check interval must be positive");
        }
    }

    /** The deployment's {@code acceptance.disk-*} watermarks, checked every second. */
    public static DiskSettings of(io.safegrid.config.DiskWatermarks w) {
        return new DiskSettings(w.warnFreeBytes(), w.refuseFreeBytes(), w.alarmReserveBytes(), Duration.ofSeconds(1));
    }
}
