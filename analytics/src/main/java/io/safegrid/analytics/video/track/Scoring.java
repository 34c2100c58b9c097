package io.safegrid.analytics.video.track;

import io.safegrid.config.VideoConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * How a track is judged on the scores of its sightings rather than on any one of them. A single
 * sighting of a smoke plume or a shop mannequin can score like a person; a person scores like one
 * pass after pass. As Frigate does, a track counts once the median of its last {@code history}
 * scores (fewer than three padded with zeros, so two sightings at least) reaches {@code confirm},
 * and then stays counted. As ByteTrack does, sightings below {@code start} (down to {@code low},
 * the detector's own threshold) never start a track but may continue a counted one: a worker half
 * hidden behind another scores lower, and is still the same worker.
 *
 * @param start   least score that starts a track
 * @param low     least score that continues a counted track ({@code <= start})
 * @param confirm least median of the recent scores for a track to count (0: from its first sighting)
 * @param history how many recent scores the median is taken over
 */
public record Scoring(double start, double low, double confirm, int history) {
    /** Every sighting starts or continues a track, and every track counts (vendors' models, HOG). */
    public static final Scoring NONE = new Scoring(0, 0, 0, 1);

    public Scoring {
        if (low > start || history < 1) {
            throw new IllegalArgumentException("scoring needs low <= start and a history of at least 1: " + low + ", " + start
                    + ", " + history);
        }
    }

    /**
     * The built-in detector's scoring as {@code video:} sets it; none for HOG (no scores) or a
     * vendor's model as the main detector (its own threshold).
     */
    public static Scoring of(VideoConfig v) {
        if (!VideoConfig.nanoDetFloat(v.detector()) && !VideoConfig.NANODET_INT8.equals(v.detector())) {
            return NONE;
        }
        VideoConfig.Evidence e = v.evidence();
        return new Scoring(v.score(), Math.min(e.lowScore(), v.score()), e.confirmScore(), e.history());
    }

    /** The recent scores with {@code score} added, the oldest dropped beyond {@link #history}. */
    List<Float> add(List<Float> recent, float score) {
        List<Float> next = new ArrayList<>(recent.size() + 1);
        next.addAll(recent.size() >= history ? recent.subList(recent.size() - history + 1, recent.size()) : recent);
        next.add(score);
        return List.copyOf(next);
    }

    /** Whether these recent scores make a track count. */
    boolean supports(List<Float> recent) {
        if (confirm <= 0) {
            return true;
        }
        List<Float> s = new ArrayList<>(recent);
        while (s.size() < 3) {
            s.add(0f);
        }
        s.sort(null);
        int n = s.size();
        double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
        return median >= confirm;
    }
}
