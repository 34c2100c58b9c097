package io.safegrid.analytics.video.fire;

import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.inRange;
import static org.bytedeco.opencv.global.opencv_core.subtract;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import io.safegrid.analytics.video.AnalysisFrame;
import io.safegrid.analytics.video.Blobs;
import io.safegrid.analytics.video.Box;
import io.safegrid.analytics.video.Debounce;
import io.safegrid.analytics.video.Detection;
import io.safegrid.analytics.video.FrameAnalyzer;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.util.ArrayDeque;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Flame: bright red-orange-yellow pixels whose outline keeps changing. Colour alone would fire on
 * a red helmet or a fire extinguisher; so a pixel only counts when it has flipped between flame
 * colour and not at least {@code minFlips} times in the last {@code window} frames (flicker).
 * The finding starts ORANGE and is raised to RED when the flame area grows.
 */
public final class FireAnalyzer implements FrameAnalyzer {

    /**
     * @param window         frames of colour history for flicker (8 ≈ 1.6 s at 5 fps)
     * @param minFlips       colour flips within the window that make a pixel flicker
     * @param minFlickerArea flickering pixels needed, as a share of the picture
     * @param minFlickerShare flickering pixels as a share of the flame-coloured ones (static red has almost none)
     * @param growth         flame area against its area when first seen that raises the level to RED
     * @param redArea        flame area (share of the picture) that is RED at once
     */
    public record Params(int window, int minFlips, double minFlickerArea, double minFlickerShare, double dwell,
                         double clearAfter, double growth, double redArea) {
        public static Params defaults() { return new Params(8, 3, 0.0015, 0.15, 1.5, 4.0, 2.0, 0.04); }
    }

    private static final Scalar LOW = new Scalar(0, 90, 150, 0);
    private static final Scalar HIGH = new Scalar(35, 255, 255, 0);

    private final Params params;
    private final Debounce state;
    private final ArrayDeque<Mat> flips = new ArrayDeque<>();
    private final Mat kernel = getStructuringElement(MORPH_RECT, new Size(5, 5));
    private Mat previousMask;
    private Mat flipCount;
    // kept from frame to frame instead of allocated per call: the colour bounds, the spare mask
    // (the previous one comes back as the next one's buffer), and the flicker work pictures
    private final Mat lo = new Mat(LOW);
    private final Mat hi = new Mat(HIGH);
    private Mat spareMask = new Mat();
    private final Mat flickering = new Mat();
    private final Mat near = new Mat();
    private double firstArea;
    private boolean raised;
    private Box lastBox;
    private double anchorX = Double.NaN;
    private double anchorY;

    public FireAnalyzer(Params params) {
        this.params = params;
        this.state = new Debounce(params.dwell(), params.clearAfter());
    }

    @Override
    public String name() { return "fire"; }

    @Override
    public List<Detection> analyze(AnalysisFrame frame) {
        Mat mask = spareMask != null ? spareMask : new Mat();
        spareMask = null;
        inRange(frame.hsv(), lo, hi, mask);
        if (previousMask == null || previousMask.cols() != mask.cols() || previousMask.rows() != mask.rows()) {
            reset(mask);
            return List.of();
        }
        if (frame.motion().fraction() > 0.5) {
            // the whole picture changed (lights, a lens uncovered): old flicker history means nothing
            reset(mask);
            return List.of();
        }
        // the flip that leaves the window is taken out of the count first, and its Mat reused
        Mat flip = null;
        if (flips.size() >= params.window()) {
            flip = flips.removeFirst();
            subtract(flipCount, flip, flipCount);
        }
        if (flip == null) {
            flip = new Mat();
        }
        absdiff(mask, previousMask, flip);
        threshold(flip, flip, 0, 1, THRESH_BINARY);
        add(flipCount, flip, flipCount);
        flips.addLast(flip);
        spareMask = previousMask;
        previousMask = mask;

        Box box = null;
        int colour = 0;
        int flicker = 0;
        {
            threshold(flipCount, flickering, params.minFlips() - 1, 255, THRESH_BINARY);
            dilate(mask, near, kernel);
            bitwise_and(flickering, near, flickering);
            flicker = countNonZero(flickering);
            if (flicker > 0) {
                dilate(flickering, flickering, kernel);
                // the flame is the biggest flickering region; specks elsewhere are compression noise
                for (Box b : Blobs.find(flickering, 4)) {
                    box = box == null || b.area() > box.area() ? b : box;
                }
                if (box != null) {
                    try (Rect r = new Rect(box.x(), box.y(), box.width(), box.height()); Mat roi = new Mat(flickering, r)) {
                        flicker = countNonZero(roi);
                    }
                }
            }
        }
        if (box != null) {
            // judge the share against the flame-coloured pixels around the flicker, not the whole
            // picture, which may hold any number of still red and orange things
            try (Rect r = new Rect(box.x(), box.y(), box.width(), box.height()); Mat roi = new Mat(mask, r)) {
                colour = countNonZero(roi);
            }
        }
        boolean fire = flips.size() >= params.window() / 2
                && flicker >= params.minFlickerArea() * frame.workArea()
                && colour >= params.minFlickerArea() * frame.workArea()
                && flicker >= params.minFlickerShare() * Math.max(colour, 1);
        // a flame flickers in place; an orange jacket walking by flickers along its path
        if (fire && !state.active()) {
            if (Double.isNaN(anchorX) || Math.hypot(box.centreX() - anchorX, box.centreY() - anchorY)
                    > Math.max(box.width(), box.height())) {
                boolean moved = !Double.isNaN(anchorX);
                anchorX = box.centreX();
                anchorY = box.centreY();
                if (moved) {
                    fire = false;
                }
            }
        } else if (!fire && !state.busy()) {
            anchorX = Double.NaN;
        }
        box = frame.toFull(box);   // found on the working copy, shown on the full picture
        if (fire) {
            lastBox = box;
        }
        double area = colour / (double) frame.workArea();
        return switch (state.update(fire, frame.time())) {
            case STARTED -> {
                firstArea = area;
                raised = area >= params.redArea();
                yield List.of(detection(raised ? Level.RED : Level.ORANGE, Condition.ACTIVE, box, area,
                        "flickering flame, " + pct(area) + " of the picture", frame));
            }
            case ENDED -> List.of(detection(raised ? Level.RED : Level.ORANGE, Condition.CLEARED, lastBox, area,
                    "no flame seen for " + params.clearAfter() + " s", frame));
            case NONE -> {
                if (state.active() && fire && !raised
                        && (area >= firstArea * params.growth() || area >= params.redArea())) {
                    raised = true;
                    yield List.of(detection(Level.RED, Condition.ACTIVE, box, area,
                            "flame growing: " + pct(firstArea) + " → " + pct(area) + " of the picture", frame));
                }
                yield List.of();
            }
        };
    }

    private Detection detection(Level level, Condition c, Box box, double area, String message, AnalysisFrame f) {
        return new Detection(FindingKind.FIRE, level, c, null, box, area, params.minFlickerArea(), message, f.time());
    }

    private static String pct(double share) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", share * 100);
    }

    private void reset(Mat mask) {
        release();
        previousMask = mask;
        flipCount = new Mat(mask.rows(), mask.cols(), mask.type(), new Scalar(0));
    }

    @Override
    public void close() {
        release();
        kernel.close();
        lo.close();
        hi.close();
        flickering.close();
        near.close();
        if (spareMask != null) {
            spareMask.close();
            spareMask = null;
        }
    }

    private void release() {
        if (previousMask != null) {
            previousMask.close();
            previousMask = null;
        }
        if (flipCount != null) {
            flipCount.close();
            flipCount = null;
        }
        flips.forEach(Mat::close);
        flips.clear();
    }
}
