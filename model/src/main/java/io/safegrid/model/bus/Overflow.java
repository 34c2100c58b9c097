package io.safegrid.model.bus;

/** What a topic does when a consumer falls behind. */
public enum Overflow {
    /** Hold the publisher back (blocking publish, or a refused offer). Readings, findings, alarms. */
    BLOCK,
    /** Drop the oldest queued message and count it. Only video frames, where a fresh picture beats a stale one. */
    DROP_OLDEST
}
