package io.safegrid.analytics.video.tamper;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_16S;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;
import static org.bytedeco.opencv.global.opencv_core.meanStdDev;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.Laplacian;
import static org.bytedeco.opencv.global.opencv_imgproc.accumulateWeighted;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.safegrid.analytics.video.AnalysisFrame;
import io.safegrid.analytics.video.CameraAnalyzer;
import io.safegrid.analytics.video.Debounce;
import io.safegrid.analytics.video.Detection;
import io.safegrid.analytics.video.FrameAnalyzer;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Somebody (or the weather) has spoilt the camera's view. Works on a 160-px-wide grey picture
 * against a reference learnt in the first seconds and followed slowly while all is well:
 * <ul>
 *   <li>covered / black: dark or nearly uniform picture;</li>
 *   <li>defocused: sharpness (variance of the Laplacian) fell well below the reference's;</li>
 *   <li>moved: the picture no longer correlates with the reference scene;</li>
 *   <li>frozen: no pixel changed visibly between frames for {@code frozenDwell} seconds. A live
 *       camera's picture always changes somewhere: noise, its on-screen clock, leaves. A perfectly
 *       still scene whose noise the encoder removes looks frozen too: keep the camera's OSD clock on.</li>
 * </ul>
 * At most one of covered, defocused, moved is judged at a time, in that order, since a covered
 * lens is also blurred and unlike the reference.
 */
public final class TamperAnalyzer implements FrameAnalyzer {

    /**
     * @param learnSeconds    seconds of picture that make the first reference
     * @param darkMean        mean grey below which the picture is dark
     * @param uniformStd      grey standard deviation below which the picture is one flat colour
     * @param blurRatio       sharpness against the reference below which the picture is defocused
     * @param movedCorrelation correlation with the reference scene below which the camera has moved
     * @param frozenDelta     grey-level change that counts a pixel as changed between frames
     * @param frozenDiff      share of changed pixels at or below which two frames are the same
     * @param dwell           seconds a condition must last (frozen waits {@code frozenDwell})
     * @param lookInterval    seconds between looks for covered, defocused and moved while the view
     *                        is healthy (every frame once anything is suspected); at most 1 s minus
     *                        one analysed frame, so a finding still comes within 1 s plus its dwell
     */
    public record Params(double learnSeconds, double darkMean, double uniformStd, double blurRatio,
                         double movedCorrelation, int frozenDelta, double frozenDiff, double dwell, double frozenDwell,
                         double clearAfter, double adaptRate, double lookInterval) {
        public static Params defaults() {
            return new Params(2.0, 25, 8, 0.35, 0.45, 10, 0.0003, 3.0, 6.0, 2.0, 0.02, 0.8);
        }
    }

    private static final int WIDTH = CameraAnalyzer.MOTION_WIDTH;
    private final Params params;
    private final Debounce covered;
    private final Debounce blurred;
    private final Debounce moved;
    private final Debounce frozen;
    private Mat reference;      // CV_32F running average of the healthy scene
    private double referenceSharpness;
    private double learnStart = Double.NaN;
    private int learnFrames;
    // per-camera work pictures, reused frame after frame: on a 160x90 picture allocating them cost
    // more than the arithmetic
    private Mat small = new Mat();
    private Mat previous = new Mat();
    private boolean hasPrevious;
    private final Mat diff = new Mat();
    private final Mat lap = new Mat();
    private final Mat f32 = new Mat();
    private final Mat blurred32 = new Mat();
    private final Mat referenceBlurred = new Mat();
    private boolean referenceBlurredStale = true;
    private double referenceMean;
    private double referenceStd;
    private final Mat mu = new Mat();
    private final Mat sd = new Mat();
    private final Size kernel = new Size(5, 5);
    private Size smallSize;
    /** Stream time of the last full look, and the frames since (each stands for one in the reference's rate). */
    private double lastLook = Double.NEGATIVE_INFINITY;
    private int framesSinceLook;

    public TamperAnalyzer(Params params) {
        this.params = params;
        this.covered = new Debounce(params.dwell(), params.clearAfter());
        this.blurred = new Debounce(params.dwell(), params.clearAfter());
        this.moved = new Debounce(params.dwell(), params.clearAfter());
        this.frozen = new Debounce(params.frozenDwell(), params.clearAfter());
    }

    @Override
    public String name() { return "tamper"; }

    /** The measures of one picture, public for the CLI's verbose mode and for tuning. */
    public record Measures(double mean, double std, double sharpness, double correlation, double change) {
    }

    private Measures last;

    public Measures lastMeasures() { return last; }

    /**
     * Frozen is judged on every frame (it compares consecutive frames, and costs one difference).
     * Covered, defocused and moved are conditions of minutes, not of a fifth of a second: while the
     * view is healthy they are looked at every {@code lookInterval} seconds, and on every frame while
     * anything is suspected or active, so the dwell and the clearing are timed frame by frame.
     */
    @Override
    public List<Detection> analyze(AnalysisFrame frame) {
        int h = Math.max(1, frame.workHeight() * WIDTH / frame.workWidth());
        if (smallSize == null || smallSize.height() != h) {
            if (smallSize != null) {
                smallSize.close();
            }
            smallSize = new Size(WIDTH, h);
            hasPrevious = false;
        }
        Mat motionGray = frame.motionGray();
        if (motionGray.cols() == WIDTH && motionGray.rows() == h) {
            motionGray.copyTo(small);   // the frame's motion picture is already this picture
        } else {
            resize(frame.gray(), small, smallSize, 0, 0, INTER_AREA);
        }
        double t = frame.time();
        double change = Double.NaN;
        if (hasPrevious) {
            absdiff(small, previous, diff);
            threshold(diff, diff, params.frozenDelta(), 255, THRESH_BINARY);
            change = countNonZero(diff) / (double) diff.total();
        }
        Mat swap = previous;
        previous = small;
        small = swap;
        hasPrevious = true;
        Mat picture = previous;
        framesSinceLook++;

        boolean learning = reference == null || Double.isNaN(learnStart) || t - learnStart < params.learnSeconds();
        boolean suspect = covered.busy() || blurred.busy() || moved.busy() || frozen.busy();
        // a little slack so a look every 4th frame at 5 fps does not slip to every 5th on rounding
        if (!learning && !suspect && t - lastLook < params.lookInterval() - 0.01) {
            List<Detection> out = new ArrayList<>(0);
            boolean isFrozen = !Double.isNaN(change) && change <= params.frozenDiff();
            judge(out, frozen, isFrozen, FindingKind.TAMPER_FROZEN, change, params.frozenDiff(),
                    "video.tamper.frozen", Map.of("seconds", String.format(Locale.ROOT, "%.0f", params.frozenDwell())), t);
            if (last != null) {
                last = new Measures(last.mean(), last.std(), last.sharpness(), last.correlation(), change);
            }
            return out;
        }
        lastLook = t;
        int frames = framesSinceLook;
        framesSinceLook = 0;

        double[] ms = meanStd(picture);
        // 16-bit is exact for a 3x3 Laplacian of 8-bit grey (|value| <= 1020) and cheaper than 64-bit
        Laplacian(picture, lap, CV_16S);
        double s = meanStd(lap)[1];
        double sharpness = s * s;

        if (learning) {
            learn(picture, sharpness, t);
            last = new Measures(ms[0], ms[1], sharpness, 1, change);
            return List.of();
        }
        double correlation = correlation(picture);
        last = new Measures(ms[0], ms[1], sharpness, correlation, change);

        boolean isCovered = ms[0] < params.darkMean() || ms[1] < params.uniformStd();
        boolean isBlurred = !isCovered && sharpness < params.blurRatio() * referenceSharpness;
        boolean isMoved = !isCovered && !isBlurred && correlation < params.movedCorrelation();
        boolean isFrozen = !isCovered && !Double.isNaN(change) && change <= params.frozenDiff();

        List<Detection> out = new ArrayList<>();
        judge(out, covered, isCovered, FindingKind.TAMPER_COVERED, ms[0], params.darkMean(),
                
                "video.tamper.covered", Map.of("mean", String.format(Locale.ROOT, "%.0f", ms[0]),
                        "contrast", String.format(Locale.ROOT, "%.1f", ms[1])), t);
        judge(out, blurred, isBlurred, FindingKind.TAMPER_BLUR, sharpness / referenceSharpness, params.blurRatio(),
                
                "video.tamper.blur", Map.of("percent", String.format(Locale.ROOT, "%.0f", 100 * sharpness / referenceSharpness)), t);
        judge(out, moved, isMoved, FindingKind.TAMPER_MOVED, correlation, params.movedCorrelation(),
                
                "video.tamper.moved", Map.of("correlation", String.format(Locale.ROOT, "%.2f", correlation)), t);
        judge(out, frozen, isFrozen, FindingKind.TAMPER_FROZEN, change, params.frozenDiff(),
                "video.tamper.frozen", Map.of("seconds", String.format(Locale.ROOT, "%.0f", params.frozenDwell())), t);

        if (!covered.busy() && !blurred.busy() && !moved.busy() && !frozen.busy()) {
            // follow slow changes (daylight, a parked truck) while the view is healthy; a look stands
            // for the frames since the last one, so the reference follows as fast as when every frame was looked at
            double rate = 1 - Math.pow(1 - params.adaptRate(), frames);
            // f32 and blurred32 still hold this picture from the correlation: blurring is linear, so the
            // blurred reference follows by the same step instead of being blurred again at every look
            accumulateWeighted(f32, reference, rate);
            accumulateWeighted(blurred32, referenceBlurred, rate);
            referenceStats();
            referenceSharpness += rate * (sharpness - referenceSharpness);
        }
        return out;
    }

    private void judge(List<Detection> out, Debounce d, boolean present, FindingKind kind, double value,
                       double threshold, String key, Map<String, String> args, double t) {
        switch (d.update(present, t)) {
            case STARTED -> out.add(Detection.said(kind, Level.YELLOW, Condition.ACTIVE, null, null, value, threshold,
                    t, key, args));
            case ENDED -> out.add(Detection.said(kind, Level.YELLOW, Condition.CLEARED, null, null, value, threshold,
                    t, "video.ended", Map.of("kind", "@kind." + kind.name())));
            case NONE -> { }
        }
    }

    private void learn(Mat picture, double sharpness, double t) {
        if (reference == null || reference.cols() != picture.cols() || reference.rows() != picture.rows()) {
            if (reference != null) {
                reference.close();
            }
            reference = new Mat();
            picture.convertTo(reference, CV_32F);
            learnStart = t;
            learnFrames = 0;
            referenceSharpness = 0;
        } else {
            accumulate(picture, 1.0 / (learnFrames + 1));
        }
        referenceBlurredStale = true;
        learnFrames++;
        referenceSharpness += (sharpness - referenceSharpness) / learnFrames;
    }

    private void accumulate(Mat picture, double rate) {
        picture.convertTo(f32, CV_32F);
        accumulateWeighted(f32, reference, rate);
        referenceBlurredStale = true;
    }

    /**
     * Normalised (Pearson) correlation of the blurred picture with the blurred reference, -1..1: what
     * {@code matchTemplate(TM_CCOEFF_NORMED)} gives for two pictures of one size, from one dot product
     * and the two means and deviations (matchTemplate took a Fourier transform of both for one number).
     */
    private double correlation(Mat picture) {
        picture.convertTo(f32, CV_32F);
        GaussianBlur(f32, blurred32, kernel, 0);
        if (referenceBlurredStale) {
            GaussianBlur(reference, referenceBlurred, kernel, 0);
            referenceBlurredStale = false;
            referenceStats();
        }
        double[] p = meanStd(blurred32);
        double n = blurred32.total();
        double v = (blurred32.dot(referenceBlurred) / n - p[0] * referenceMean) / (p[1] * referenceStd);
        return Double.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0;
    }

    /** Mean and deviation of the blurred reference, kept with it. */
    private void referenceStats() {
        double[] r = meanStd(referenceBlurred);
        referenceMean = r[0];
        referenceStd = r[1];
    }

    private double[] meanStd(Mat m) {
        meanStdDev(m, mu, sd);   // 1x1 CV_64F each
        return new double[] {mu.data().getDouble(0), sd.data().getDouble(0)};
    }

    @Override
    public void close() {
        if (reference != null) {
            reference.close();
        }
        for (Mat m : new Mat[] {small, previous, diff, lap, f32, blurred32, referenceBlurred, mu, sd}) {
            m.close();
        }
        kernel.close();
        if (smallSize != null) {
            smallSize.close();
        }
    }
}
