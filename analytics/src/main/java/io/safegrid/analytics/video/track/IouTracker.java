package io.safegrid.analytics.video.track;

import io.safegrid.analytics.video.Box;
import io.safegrid.analytics.video.detect.Nms;
import io.safegrid.analytics.video.detect.Sighting;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Follows objects of one camera across detector passes by box overlap (IoU), falling back to
 * centre distance for small or fast objects whose boxes do not overlap from pass to pass. A track
 * outlives {@code maxMisses} passes without a sighting (a person hidden behind a post for two
 * frames stays counted); it counts after {@code minHits} sightings (1 by default: the analyzers'
 * dwell times already ask a condition to last) once its scores support it ({@link Scoring}).
 * Sure sightings are matched first, to every track; then the unsure ones (between the scoring's
 * low and start scores) to the counted tracks left over, as ByteTrack does; an unsure sighting
 * matching none is dropped. Misses count only on passes, not on frames: with no motion the
 * detector rarely runs and a still person stays. One camera, one thread.
 */
public final class IouTracker {
    /**
     * @param minIou    overlap that continues a track
     * @param maxMisses passes a track may go unseen before it ends
     * @param minHits   sightings before a track counts
     * @param scoring   how sightings' scores start, continue and confirm tracks
     */
    public record Params(double minIou, int maxMisses, int minHits, Scoring scoring) {
        /** Every sighting starts or continues a track, and every track counts after {@code minHits}. */
        public Params(double minIou, int maxMisses, int minHits) {
            this(minIou, maxMisses, minHits, Scoring.NONE);
        }

        public static Params defaults() { return new Params(0.2, 3, 1); }

        public Params withScoring(Scoring s) { return new Params(minIou, maxMisses, minHits, s); }
    }

    private final Params params;
    private final List<Track> tracks = new ArrayList<>();
    private long nextId = 1;

    public IouTracker(Params params) {
        this.params = params;
    }

    public Params params() { return params; }

    /**
     * One detector pass: sightings continue the best-overlapping track of their label, or start a
     * new one; tracks not seen age by one miss and end after {@code maxMisses}.
     *
     * @param region where the pass looked (null: the whole picture); tracks not wholly inside it
     *               are not aged, since the detector did not (fully) see them
     */
    public List<Track> update(List<Sighting> sightings, Box region, double time) {
        return update(sightings, region, time, 0, 0);
    }

    /**
     * One detector pass, as above.
     *
     * @param doubtBelow a new track whose box is less than this many picture pixels high starts
     *                   {@linkplain Track#doubted() doubted} (the pass saw it at too few of the
     *                   model's pixels); 0: none is
     * @param sureScore  a sighting scoring at least this is believed at any size; it, or a sighting
     *                   at least {@code doubtBelow} high, lifts its track's doubt
     */
    public List<Track> update(List<Sighting> sightings, Box region, double time, double doubtBelow, double sureScore) {
        Scoring scoring = params.scoring();
        boolean[] used = new boolean[sightings.size()];
        Track[] matched = new Track[tracks.size()];
        // sure sightings first, to any track; then unsure ones, only to counted tracks still unmatched
        match(sightings, s -> s.score() >= scoring.start(), t -> true, matched, used, time, doubtBelow, sureScore);
        match(sightings, s -> s.score() >= scoring.low() && s.score() < scoring.start(), t -> t.confirmed(params.minHits()),
                matched, used, time, doubtBelow, sureScore);
        List<Track> next = new ArrayList<>();
        for (int t = 0; t < tracks.size(); t++) {
            Track tr = tracks.get(t);
            if (matched[t] != null) {
                next.add(matched[t]);
            } else if (region != null && !region.holds(tr.box())) {
                next.add(tr);   // not (wholly) looked at: still where it was
            } else if (tr.misses() + 1 <= params.maxMisses()) {
                next.add(tr.missed());
            }
        }
        for (int s = 0; s < sightings.size(); s++) {
            Sighting si = sightings.get(s);
            if (!used[s] && si.score() >= scoring.start()) {
                next.add(Track.start(nextId++, si.label(), si.box(), si.score(), time,
                        si.box().height() < doubtBelow && si.score() < sureScore, scoring));
            }
        }
        tracks.clear();
        tracks.addAll(next);
        return List.copyOf(tracks);
    }

    /** Greedy matching of the chosen sightings to the chosen unmatched tracks: surest overlap first, then nearness. */
    private void match(List<Sighting> sightings, Predicate<Sighting> which, Predicate<Track> to, Track[] matched, boolean[] used,
                       double time, double doubtBelow, double sureScore) {
        List<double[]> pairs = new ArrayList<>();
        for (int t = 0; t < tracks.size(); t++) {
            Track tr = tracks.get(t);
            if (matched[t] != null || !to.test(tr)) {
                continue;
            }
            for (int s = 0; s < sightings.size(); s++) {
                Sighting si = sightings.get(s);
                if (used[s] || !which.test(si) || !tr.label().equals(si.label())) {
                    continue;
                }
                double iou = Nms.iou(tr.box(), si.box());
                double score = iou >= params.minIou() ? 1 + iou : nearness(tr.box(), si.box());
                if (score > 0) {
                    pairs.add(new double[] {score, t, s});
                }
            }
        }
        pairs.sort((a, b) -> Double.compare(b[0], a[0]));
        for (double[] p : pairs) {
            int t = (int) p[1];
            int s = (int) p[2];
            if (matched[t] == null && !used[s]) {
                Sighting si = sightings.get(s);
                // seen large enough this time (a pass over a crop around it), or surely: doubt lifted
                matched[t] = tracks.get(t).seen(si.box(), si.score(), time,
                        si.score() >= sureScore || si.box().height() >= doubtBelow, params.scoring());
                used[s] = true;
            }
        }
    }

    /** The doubted track whose closer look is most overdue (never looked at first), if one was last looked at before {@code notAfter}. */
    public java.util.Optional<Track> nextDoubt(double notAfter) {
        return tracks.stream().filter(t -> t.doubted() && t.misses() == 0 && t.checkedAt() < notAfter)
                .min(java.util.Comparator.comparingDouble(Track::checkedAt));
    }

    /** The outcome of a closer look at a doubted track: confirmed from now on, or still doubted as of {@code time}. */
    public void checked(long id, boolean sure, double time) {
        tracks.replaceAll(t -> t.id() == id ? t.checked(sure, time) : t);
    }

    /** The doubted tracks wholly inside {@code region}. */
    public List<Track> doubtedIn(Box region) {
        return tracks.stream().filter(t -> t.doubted() && region.holds(t.box())).toList();
    }

    /** The tracks as they stand, without a new pass. */
    public List<Track> tracks() { return List.copyOf(tracks); }

    /** Confirmed tracks of one label. */
    public List<Track> confirmed(String label) {
        return tracks.stream().filter(t -> t.label().equals(label) && t.confirmed(params.minHits())).toList();
    }

    /** 1 for the same centre, falling to 0 at a box's own size apart. */
    private static double nearness(Box a, Box b) {
        double dx = a.centreX() - b.centreX();
        double dy = a.centreY() - b.centreY();
        double reach = Math.max(Math.max(a.width(), a.height()), Math.max(b.width(), b.height()));
        double sizeRatio = Math.min(a.area(), b.area()) / (double) Math.max(1, Math.max(a.area(), b.area()));
        if (reach <= 0 || sizeRatio < 0.25) {
            return 0;
        }
        return Math.max(0, 1 - Math.hypot(dx, dy) / reach) * 0.99;
    }

}
