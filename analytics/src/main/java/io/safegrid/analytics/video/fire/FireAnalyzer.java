package io.safegrid.analytics.video.fire;

import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.bitwise_not;
import static org.bytedeco.opencv.global.opencv_core.bitwise_or;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.extractChannel;
import static org.bytedeco.opencv.global.opencv_core.inRange;
import static org.bytedeco.opencv.global.opencv_core.subtract;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
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
 * a red helmet, a fire extinguisher, brick or sunlit timber; so a pixel only counts when, within
 * the last {@code window} frames, it has
 * <ul>
 *   <li>flipped between flame colour and not at least {@code minFlips} times (the outline changes), and</li>
 *   <li>swung in brightness by more than {@code swing} grey levels up and then down (or down and
 *       then up) at least {@code minReversals} times: flames flicker at a few hertz and more, which at
 *       the analysis rate shows as brightness going back and forth. Compression noise on brick or a
 *       sign crosses the colour limits too, but by a few levels; an edge sliding by as the camera
 *       pans or a drone drifts changes brightness once, one way.</li>
 * </ul>
 * And the flickering region must hold a core near saturation ({@code coreValue}): a flame is far
 * brighter than the scene the camera is exposed for, so its core clips to white-yellow, while
 * orange paint, brick, dry grass and red clothes are lit by the scene's own light.
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
     * @param swing          brightness change (HSV value, 0..255) between analysed frames that counts as a swing
     * @param minReversals   swings that turn back (up then down, or down then up) within the window
     * @param coreValue      brightness (HSV value) of a flame's core: near saturation
     * @param minCore        core pixels in the flickering region, as a share of its flickering pixels
     */
    public record Params(int window, int minFlips, double minFlickerArea, double minFlickerShare, double dwell,
                         double clearAfter, double growth, double redArea, int swing, int minReversals, int coreValue,
                         double minCore) {
        public static Params defaults() {
            return new Params(8, 3, 0.001, 0.15, 1.5, 4.0, 2.0, 0.04, 30, 2, 235, 0.05);
        }
    }

    private static final Scalar LOW = new Scalar(0, 90, 150, 0);
    private static final Scalar HIGH = new Scalar(35, 255, 255, 0);

    private final Params params;
    private final Debounce state;
    private final ArrayDeque<Mat> flips = new ArrayDeque<>();
    private final Mat kernel = getStructuringElement(MORPH_RECT, new Size(5, 5));
    private final Size blur = new Size(3, 3);
    private Mat previousMask;
    private Mat flipCount;
    // kept from frame to frame instead of allocated per call: the colour bounds, the spare mask
    // (the previous one comes back as the next one's buffer), and the flicker work pictures
    private final Mat lo = new Mat(LOW);
    private final Mat hi = new Mat(HIGH);
    private Mat spareMask = new Mat();
    private final Mat flickering = new Mat();
    private final Mat near = new Mat();
    // brightness swings: this frame's value and the last one's, the swings up and down between them,
    // which way each pixel last swung, the turns back within the window (counted like the flips),
    // and how many frames ago each pixel was last near saturation (the core)
    private final Mat value = new Mat();
    private Mat lastValue;
    private final Mat up = new Mat();
    private final Mat down = new Mat();
    private final Mat turned = new Mat();
    private final Mat core = new Mat();
    private Mat lastUp;
    private Mat lastDown;
    private Mat turnCount;
    private final ArrayDeque<Mat> turns = new ArrayDeque<>();
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
        swings(frame.hsv());

        Box box = null;
        int colour = 0;
        int flicker = 0;
        {
            threshold(flipCount, flickering, params.minFlips() - 1, 255, THRESH_BINARY);
            threshold(turnCount, turned, params.minReversals() - 1, 255, THRESH_BINARY);
            bitwise_and(flickering, turned, flickering);
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
        int bright = 0;
        if (box != null) {
            // judge the share against the flame-coloured pixels around the flicker, not the whole
            // picture, which may hold any number of still red and orange things
            try (Rect r = new Rect(box.x(), box.y(), box.width(), box.height()); Mat roi = new Mat(mask, r);
                 Mat coreRoi = new Mat(core, r)) {
                colour = countNonZero(roi);
                bright = countNonZero(coreRoi);
            }
        }
        boolean fire = flips.size() >= params.window() / 2
                && bright >= params.minCore() * flicker
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
                        "video.fire", java.util.Map.of("percent", pct(area)), frame));
            }
            case ENDED -> List.of(detection(raised ? Level.RED : Level.ORANGE, Condition.CLEARED, lastBox, area,
                    "video.fire.gone", java.util.Map.of("seconds", io.safegrid.model.text.Texts.number(params.clearAfter())), frame));
            case NONE -> {
                if (state.active() && fire && !raised
                        && (area >= firstArea * params.growth() || area >= params.redArea())) {
                    raised = true;
                    yield List.of(detection(Level.RED, Condition.ACTIVE, box, area,
                            "video.fire.growing", java.util.Map.of("from", pct(firstArea), "percent", pct(area)), frame));
                }
                yield List.of();
            }
        };
    }

    /**
     * Follows each pixel's brightness: a change of more than {@code swing} levels is a swing up or
     * down, and a swing the other way from the pixel's last one is a turn. Also marks the core:
     * pixels near saturation.
     */
    private void swings(Mat hsv) {
        extractChannel(hsv, value, 2);
        // the core seen within the window: a flame's brightest part comes and goes as it flickers
        threshold(value, up, params.coreValue() - 1, 255, THRESH_BINARY);
        if (core.empty() || core.cols() != value.cols() || core.rows() != value.rows()) {
            core.create(value.rows(), value.cols(), value.type());
            core.put(new Scalar(0.0));
        }
        core.convertTo(core, -1, 1, -1);   // one frame older (saturating at 0)
        threshold(up, up, 0, params.window(), THRESH_BINARY);
        org.bytedeco.opencv.global.opencv_core.max(core, up, core);
        // swings are judged on the brightness smoothed over 3x3: a drifting view's fine texture
        // (aliased at this size) swings single pixels, a flame's flicker spans several
        GaussianBlur(value, value, blur, 0);
        if (lastValue == null || lastValue.cols() != value.cols() || lastValue.rows() != value.rows()) {
            lastValue = value.clone();
            lastUp = new Mat(value.rows(), value.cols(), value.type(), new Scalar(0.0));
            lastDown = new Mat(value.rows(), value.cols(), value.type(), new Scalar(0.0));
            turnCount = new Mat(value.rows(), value.cols(), value.type(), new Scalar(0.0));
            return;
        }
        // saturating 8-bit differences: value - last > swing is a swing up, last - value > swing one down
        subtract(value, lastValue, up);
        threshold(up, up, params.swing(), 255, THRESH_BINARY);
        subtract(lastValue, value, down);
        threshold(down, down, params.swing(), 255, THRESH_BINARY);
        Mat turn;
        if (turns.size() >= params.window()) {
            turn = turns.removeFirst();
            subtract(turnCount, turn, turnCount);
        } else {
            turn = new Mat();
        }
        // a turn: up where the last swing was down, or down where it was up
        bitwise_and(up, lastDown, turn);
        bitwise_and(down, lastUp, near);
        bitwise_or(turn, near, turn);
        threshold(turn, turn, 0, 1, THRESH_BINARY);
        add(turnCount, turn, turnCount);
        turns.addLast(turn);
        // remember the last swing's direction where there was one
        bitwise_not(down, near);
        bitwise_and(lastUp, near, lastUp);
        bitwise_or(lastUp, up, lastUp);
        bitwise_not(up, near);
        bitwise_and(lastDown, near, lastDown);
        bitwise_or(lastDown, down, lastDown);
        value.copyTo(lastValue);
    }

    private Detection detection(Level level, Condition c, Box box, double area, String key,
                                java.util.Map<String, String> args, AnalysisFrame f) {
        return Detection.said(FindingKind.FIRE, level, c, null, box, area, params.minFlickerArea(), f.time(), key, args);
    }

    private static String pct(double share) {
        return String.format(java.util.Locale.ROOT, "%.1f", share * 100);
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
        blur.close();
        lo.close();
        hi.close();
        flickering.close();
        near.close();
        for (Mat m : new Mat[] {value, up, down, turned, core}) {
            m.close();
        }
        if (spareMask != null) {
            spareMask.close();
            spareMask = null;
        }
    }

    private void release() {
        for (Mat m : new Mat[] {lastValue, lastUp, lastDown, turnCount}) {
            if (m != null) {
                m.close();
            }
        }
        lastValue = null;
        lastUp = null;
        lastDown = null;
        turnCount = null;
        turns.forEach(Mat::close);
        turns.clear();
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
