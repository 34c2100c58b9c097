package io.safegrid.analytics.video;

import io.safegrid.analytics.video.detect.DetectorPool;
import io.safegrid.analytics.video.detect.HogDetector;
import io.safegrid.analytics.video.detect.Sighting;
import io.safegrid.analytics.video.track.IouTracker;
import io.safegrid.analytics.video.track.Track;
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
 */
public final class ObjectStage {
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

        public static Params defaults() { return new Params(2.0, 0.5, 128, IouTracker.Params.defaults(), 0); }
    }

    private final DetectorPool pool;
    private final Params params;
    private final IouTracker tracker;
    private double lastWhole = Double.NEGATIVE_INFINITY;
    private double lastPass = Double.NEGATIVE_INFINITY;
    private long wholeRuns;
    private long cropRuns;
    private long skipped;

    public ObjectStage(DetectorPool pool, Params params) {
        this.pool = pool;
        this.params = params;
        this.tracker = new IouTracker(params.tracking());
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
                tracker.update(seen.get(), region, frame.time());
            } else {
                skipped++;
            }
        }
        return tracker.tracks();
    }

    public int minHits() { return params.tracking().minHits(); }

    private Optional<List<Sighting>> detect(Mat bgr, Box region) throws InterruptedException {
        if (region == null) {
            return pool.tryDetect(bgr);
        }
        try (Rect r = new Rect(region.x(), region.y(), region.width(), region.height()); Mat sub = new Mat(bgr, r)) {
            return pool.tryDetect(sub).map(list -> {
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

    /** Frames that wanted a pass and got none (every detector slot busy). */
    public long skipped() { return skipped; }
}
