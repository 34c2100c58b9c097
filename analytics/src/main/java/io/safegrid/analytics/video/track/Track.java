package io.safegrid.analytics.video.track;

import io.safegrid.analytics.video.Box;

/**
 * One object followed across frames.
 *
 * @param id        unique within its camera
 * @param box       where it was last seen (picture pixels)
 * @param hits      detector passes that saw it
 * @param misses    detector passes since it was last seen (0: seen in the last one)
 * @param firstSeen stream time it was first seen, seconds
 * @param lastSeen  stream time it was last seen
 * @param doubted   first seen at too few of the model's input pixels to be sure of, and not yet
 *                  confirmed by a closer look: followed, but not counted
 * @param checkedAt stream time of the last closer look that did not confirm it (-infinity: none yet)
 */
public record Track(long id, String label, Box box, int hits, int misses, double firstSeen, double lastSeen,
                    boolean doubted, double checkedAt) {

    public Track(long id, String label, Box box, int hits, int misses, double firstSeen, double lastSeen) {
        this(id, label, box, hits, misses, firstSeen, lastSeen, false, Double.NEGATIVE_INFINITY);
    }

    /** Seen often enough to count, and not in doubt: one sighting could be a false one. */
    public boolean confirmed(int minHits) { return hits >= minHits && !doubted; }

    /** How long it has been followed, seconds. */
    public double age(double now) { return now - firstSeen; }

    Track seen(Box at, double time, boolean sure) {
        return new Track(id, label, at, hits + 1, 0, firstSeen, time, doubted && !sure, checkedAt);
    }

    Track missed() {
        return new Track(id, label, box, hits, misses + 1, firstSeen, lastSeen, doubted, checkedAt);
    }

    Track checked(boolean sure, double time) {
        return new Track(id, label, box, hits, misses, firstSeen, lastSeen, !sure && doubted, sure ? checkedAt : time);
    }
}
