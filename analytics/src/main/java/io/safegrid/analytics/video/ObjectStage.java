package io.safegrid.analytics.video;

import io.safegrid.analytics.video.detect.DetectorPool;
import io.safegrid.analytics.video.detect.HogDetector;
import io.safegrid.analytics.video.detect.Nms;
import io.safegrid.analytics.video.detect.Sighting;
import io.safegrid.analytics.video.track.IouTracker;
import io.safegrid.analytics.video.track.Scoring;
import io.safegrid.analytics.video.track.Track;
import io.safegrid.config.VideoConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

/**
 * Motion gate, then detector, then tracker, for one camera (Frigate's shape). The detector runs
 * when the gate saw change, on the part of the picture that changed (one crop around all moved
 * regions, widened by half a body, when it covers less than {@code wholeShare} of the picture;
 * else the whole picture), and on the whole picture every {@code keepAliveSeconds} otherwise.
 * Tracks outside the crop are kept as they are: what did not move is still there.
 *
 * <p>An object the pass saw at fewer than {@link #SURE_PIXELS} of the model's input pixels high
 * (a small figure in a whole-picture pass) is followed but not counted until a closer look, a pass
 * over a crop {@link #LOOK} times its height around it, sees it again: at a handful of pixels
 * NanoDet takes a garden chair or a flag for a person as readily as a person far away, and the
 * closer look tells them apart (one look settles every doubt inside its crop; a figure cut by the
 * picture's edge is taken on the pass's word, as no crop shows more of it). A sighting scoring at
 * least {@link #SURE_SCORE} needs no closer look. One closer look per frame at most; doubts a look
 * turned down are looked at again one per keep-alive interval for the camera.
 */
public final class ObjectStage {
    /** Object height in the model's input below which a sighting is checked by a closer look. */
    static final int SURE_PIXELS = 48;
    /** A closer look's crop side, in heights of the doubted object (some body around it for context). */
    static final int LOOK = 3;
    private static final int MIN_LOOK = 96;
    /** A sighting this sure needs no closer look, however small. */
    static final double SURE_SCORE = 0.6;

    /**
     * @param keepAliveSeconds whole-picture pass at least this often, motion or not
     * @param wholeShare       a crop larger than this share of the picture becomes a whole pass
     * @param minCrop          smallest crop side, pixels of the full picture (the detector must see a body)
     * @param minInterval      seconds between two motion-driven passes of one camera (0: every
     *                         analysed frame with motion); tracks coast in between
     */
    public record Params(double keepAliveSeconds, double wholeShare, int minCrop, IouTracker.Params tracking,
                         double minInterval) {
        public Params(double keepAliveSeconds, double wholeShare, int minCrop, IouTracker.Params tracking) {
            this(keepAliveSeconds, wholeShare, minCrop, tracking, 0);
        }

        /** As a node runs them with the default {@code video:} settings. */
        public static Params defaults() { return of(VideoConfig.defaults()); }

        /**
         * The built-in detector's stage as {@code video:} sets it: keep-alive, detect interval, and
         * tracks judged on their scores ({@link Scoring#of}).
         */
        public static Params of(VideoConfig v) {
            return new Params(v.keepAlive().toMillis() / 1000.0, 0.5, 128,
                    IouTracker.Params.defaults().withScoring(Scoring.of(v)), v.detectInterval().toMillis() / 1000.0);
        }

        /** The same stage with tracks judged by {@code scoring} (a vendor's model: its own threshold, no more). */
        public Params withScoring(Scoring scoring) {
            return new Params(keepAliveSeconds, wholeShare, minCrop, tracking.withScoring(scoring), minInterval);
        }
    }

    private final DetectorPool pool;
    private final Params params;
    private final IouTracker tracker;
    private double lastWhole = Double.NEGATIVE_INFINITY;
    private double lastPass = Double.NEGATIVE_INFINITY;
    private long wholeRuns;
    private long cropRuns;
    private long skipped;
    private long closerLooks;
    private double lastRelook = Double.NEGATIVE_INFINITY;

    public ObjectStage(DetectorPool pool, Params params) {
        this.pool = pool;
        // HOG's sightings carry no score to judge (the fallback among them): each one counts
        this.params = pool.detector() instanceof HogDetector ? params.withScoring(Scoring.NONE) : params;
        this.tracker = new IouTracker(this.params.tracking());
    }

    public DetectorPool pool() { return pool; }

    /** Runs the detector if the frame calls for it; returns the camera's tracks as of this frame. */
    public List<Track> update(AnalysisFrame frame) throws InterruptedException {
        int w = frame.width();
        int h = frame.height();
        Box region = null;
        boolean look = false;
        if (frame.time() - lastWhole >= params.keepAliveSeconds()) {
            look = true;
        } else if (frame.motion().moving() && frame.time() - lastPass >= params.minInterval()) {
            look = true;
            region = crop(frame.motion().regionsIn(w, h), w, h);
        }
        if (look) {
            Optional<List<Sighting>> seen = detect(frame.bgr(), region);
            if (seen.isPresent()) {
                lastPass = frame.time();
                if (region == null) {
                    wholeRuns++;
                    lastWhole = frame.time();
                } else {
                    cropRuns++;
                }
                tracker.update(seen.get(), region, frame.time(), doubtBelow(region == null ? w : region.width(),
                        region == null ? h : region.height()), SURE_SCORE);
                lookCloser(frame);
            } else {
                skipped++;
            }
        }
        return tracker.tracks();
    }

    public int minHits() { return params.tracking().minHits(); }

    /** Picture pixels under which a sighting in a pass over {@code w x h} was seen at too few of the model's pixels. */
    private double doubtBelow(int w, int h) {
        int in = pool.detector().inputSize();
        if (in <= 0) {
            return 0;
        }
        double scale = in / (double) Math.max(w, h);   // letterboxed: the longer side at the input side, square or fitted
        return SURE_PIXELS / scale;
    }

    private void lookCloser(AnalysisFrame frame) throws InterruptedException {
        // a figure cut by the picture's edge shows no more of itself in a crop: the pass's word stands
        for (Track d : tracker.tracks()) {
            if (d.doubted() && !new Box(1, 1, frame.width() - 2, frame.height() - 2).holds(d.box())) {
                tracker.checked(d.id(), true, frame.time());
            }
        }
        Optional<Track> doubt = tracker.nextDoubt(frame.time() - params.keepAliveSeconds());
        if (doubt.isEmpty()) {
            return;
        }
        // a new doubt is looked at promptly; looking again at ones already turned down (a still
        // scene's mannequin) is kept to one look per keep-alive for the whole camera
        boolean again = doubt.get().checkedAt() > Double.NEGATIVE_INFINITY;
        if (again && frame.time() - lastRelook < params.keepAliveSeconds()) {
            return;
        }
        if (again) {
            lastRelook = frame.time();
        }
        Box b = doubt.get().box();
        int w = frame.width();
        int h = frame.height();
        int side = Math.min(Math.min(w, h), Math.max(MIN_LOOK, LOOK * b.height()));
        int x = (int) Math.max(0, Math.min(w - side, b.centreX() - side / 2.0));
        int y = (int) Math.max(0, Math.min(h - side, b.centreY() - side / 2.0));
        Box look = new Box(x, y, side, side);
        double start = params.tracking().scoring().start();
        Optional<List<Sighting>> seen = detect(frame.bgr(), look, true);
        if (seen.isEmpty()) {
            skipped++;
            return;
        }
        closerLooks++;
        // every doubt the crop holds is settled by the same look
        for (Track d : tracker.doubtedIn(look)) {
            boolean sure = seen.get().stream().anyMatch(s -> s.label().equals(d.label()) && s.score() >= start
                    && same(s.box(), d.box()));
            tracker.checked(d.id(), sure, frame.time());
        }
    }

    private Optional<List<Sighting>> detect(Mat bgr, Box region) throws InterruptedException {
        return detect(bgr, region, false);
    }

    /** {@code closeUp}: a closer look, run at the pool's close-up input when the crop fits it. */
    private Optional<List<Sighting>> detect(Mat bgr, Box region, boolean closeUp) throws InterruptedException {
        if (region == null) {
            return pool.tryDetect(bgr);
        }
        try (Rect r = new Rect(region.x(), region.y(), region.width(), region.height()); Mat sub = new Mat(bgr, r)) {
            return (closeUp ? pool.tryCloseUp(sub) : pool.tryDetect(sub)).map(list -> {
                List<Sighting> moved = new ArrayList<>(list.size());
                for (Sighting s : list) {
                    Box b = s.box();
                    moved.add(new Sighting(new Box(b.x() + region.x(), b.y() + region.y(), b.width(), b.height()), s.label(),
                            s.score()));
                }
                return moved;
            });
        }
    }

    /** One crop around every moved region, or null for the whole picture. */
    private Box crop(List<Box> moved, int w, int h) {
        if (moved.isEmpty()) {
            return null;   // the gate could not say where
        }
        int minW = params.minCrop();
        int minH = params.minCrop();
        if (pool.detector() instanceof HogDetector hog) {
            Box m = hog.minimumCrop(h);
            minW = m.width();
            minH = m.height();
        }
        Box all = null;
        for (Box m : moved) {
            // a moving arm or pair of legs is part of a person up to a body length away
            int mx = Math.max(m.width() / 2, minW / 2);
            int my = Math.max(m.height() / 2, minH / 2);
            Box c = new Box(m.x() - mx, m.y() - my, m.width() + 2 * mx, m.height() + 2 * my);
            all = all == null ? c : all.union(c);
        }
        Box c = clip(all, w, h);
        if (c.area() > params.wholeShare() * w * h || c.width() < 16 || c.height() < 16) {
            return null;
        }
        return c;
    }

    private static Box clip(Box b, int w, int h) {
        int x0 = Math.max(0, b.x());
        int y0 = Math.max(0, b.y());
        int x1 = Math.min(w, b.x() + b.width());
        int y1 = Math.min(h, b.y() + b.height());
        return new Box(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
    }

    public List<Track> tracks() { return tracker.tracks(); }

    /** Whole-picture passes so far. */
    public long wholeRuns() { return wholeRuns; }

    /** Passes over a crop around what moved. */
    public long cropRuns() { return cropRuns; }

    /**
     * Whether a closer look's box is the doubted object: overlapping well, or each centred inside the
     * other (at more pixels the detector often draws the whole body where the small pass saw a part).
     */
    private static boolean same(Box seen, Box doubted) {
        return Nms.iou(seen, doubted) >= 0.3 || (seen.holds(doubted.centreX(), doubted.centreY())
                && doubted.holds(seen.centreX(), seen.centreY()));
    }

    /** Passes that took a closer look at a doubted object. */
    public long closerLooks() { return closerLooks; }

    /** Frames that wanted a pass and got none (every detector slot busy). */
    public long skipped() { return skipped; }
}
