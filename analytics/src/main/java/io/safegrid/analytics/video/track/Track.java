package io.safegrid.analytics.video.track;

import io.safegrid.analytics.video.Box;
import java.util.List;

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
 * @param scores    the scores of its recent sightings, oldest first
 * @param scored    its scores have supported it ({@link Scoring}): from then on it counts
 */
public record Track(long id, String label, Box box, int hits, int misses, double firstSeen, double lastSeen,
                    boolean doubted, double checkedAt, List<Float> scores, boolean scored) {

    public Track {
        scores = List.copyOf(scores);
    }

    public Track(long id, String label, Box box, int hits, int misses, double firstSeen, double lastSeen) {
        this(id, label, box, hits, misses, firstSeen, lastSeen, false, Double.NEGATIVE_INFINITY, List.of(), true);
    }

    /** Seen often enough to count, its scores supporting it, and not in doubt: one sighting could be a false one. */
    public boolean confirmed(int minHits) { return hits >= minHits && scored && !doubted; }

    /** How long it has been followed, seconds. */
    public double age(double now) { return now - firstSeen; }

    static Track start(long id, String label, Box box, float score, double time, boolean doubted, Scoring scoring) {
        List<Float> recent = scoring.add(List.of(), score);
        return new Track(id, label, box, 1, 0, time, time, doubted, Double.NEGATIVE_INFINITY, recent, scoring.supports(recent));
    }

    Track seen(Box at, float score, double time, boolean sure, Scoring scoring) {
        List<Float> recent = scoring.add(scores, score);
        return new Track(id, label, at, hits + 1, 0, firstSeen, time, doubted && !sure, checkedAt, recent,
                scored || scoring.supports(recent));
    }

    Track missed() {
        return new Track(id, label, box, hits, misses + 1, firstSeen, lastSeen, doubted, checkedAt, scores, scored);
    }

    Track checked(boolean sure, double time) {
        return new Track(id, label, box, hits, misses, firstSeen, lastSeen, !sure && doubted, sure ? checkedAt : time, scores,
                scored);
    }
}
