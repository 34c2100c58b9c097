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
 */
public record Track(long id, String label, Box box, int hits, int misses, double firstSeen, double lastSeen) {

    /** Seen often enough to count: one sighting could be a false one. */
    public boolean confirmed(int minHits) { return hits >= minHits; }

    /** How long it has been followed, seconds. */
    public double age(double now) { return now - firstSeen; }
}
