package io.safegrid.analytics.video;

/**
 * Turns a per-frame yes/no into a condition that must hold {@code onAfter} seconds to start and be
 * absent {@code offAfter} seconds to end, so one noisy frame neither raises nor clears an alarm.
 * Times are stream seconds, so replayed files judge like live cameras.
 */
public final class Debounce {
    public enum Change { NONE, STARTED, ENDED }

    private final double onAfter;
    private final double offAfter;
    private boolean active;
    private double firstSeen = Double.NaN;
    private double lastSeen = Double.NaN;

    public Debounce(double onAfterSeconds, double offAfterSeconds) {
        this.onAfter = onAfterSeconds;
        this.offAfter = offAfterSeconds;
    }

    public Change update(boolean present, double time) {
        if (present) {
            lastSeen = time;
            if (Double.isNaN(firstSeen)) {
                firstSeen = time;
            }
            if (!active && time - firstSeen >= onAfter) {
                active = true;
                return Change.STARTED;
            }
            return Change.NONE;
        }
        if (!active) {
            firstSeen = Double.NaN;
            return Change.NONE;
        }
        if (time - lastSeen >= offAfter) {
            active = false;
            firstSeen = Double.NaN;
            return Change.ENDED;
        }
        return Change.NONE;
    }

    public boolean active() { return active; }

    /** True while the condition is seen but not yet long enough to start. */
    public boolean pending() { return !active && !Double.isNaN(firstSeen); }

    /** Whether anything is going on: active or pending. */
    public boolean busy() { return active || pending(); }
}
