package io.safegrid.analytics.video.smoke;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.extractChannel;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY_INV;
import static org.bytedeco.opencv.global.opencv_imgproc.accumulateWeighted;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
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
import java.util.Locale;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Smoke: a greyish (low-saturation) region that differs from the slowly learnt background and
 * keeps spreading. Judged on the grey motion picture (smoke is a soft, large thing: 1 % of the
 * picture is still ~140 pixels there), with the working copy's saturation averaged down to it. A person walking in is a region too, but stops growing once in; so the region
 * must grow by {@code growth} over every {@code step} seconds for the whole dwell.
 */
public final class SmokeAnalyzer implements FrameAnalyzer {

    /**
     * @param maxSaturation HSV saturation (0..255) below which a pixel is grey enough for smoke
     * @param minDelta      grey-level difference from the background that counts as changed
     * @param minArea       region size (share of the picture) before it is judged
     * @param growth        area ratio over {@code step} seconds that counts as spreading
     */
    public record Params(int maxSaturation, int minDelta, double minArea, double growth, double step, double dwell,
                         double clearAfter, double backgroundRate, double warmupSeconds) {
        public static Params defaults() { return new Params(60, 14, 0.01, 1.1, 1.0, 2.5, 4.0, 0.01, 2.0); }
    }

    private final Params params;
    private final Debounce state;
    private final ArrayDeque<double[]> history = new ArrayDeque<>();  // (time, area)
    private final Mat kernel = getStructuringElement(MORPH_RECT, new Size(3, 3));
    private Mat background;
    // work pictures kept from frame to frame
    private final Mat bg8 = new Mat();
    private final Mat diff = new Mat();
    private final Mat saturation = new Mat();
    private final Mat f = new Mat();
    private Size saturationSize;
    private double start = Double.NaN;
    private Box lastBox;

    public SmokeAnalyzer(Params params) {
        this.params = params;
        this.state = new Debounce(params.dwell(), params.clearAfter());
    }

    @Override
    public String name() { return "smoke"; }

    @Override
    public List<Detection> analyze(AnalysisFrame frame) {
        double t = frame.time();
        Mat gray = frame.motionGray();
        int w = gray.cols();
        int h = gray.rows();
        if (background == null || background.cols() != w || background.rows() != h) {
            if (background != null) {
                background.close();
            }
            background = new Mat();
            gray.convertTo(background, CV_32F);
            if (saturationSize != null) {
                saturationSize.close();
            }
            saturationSize = new Size(w, h);
            start = t;
            return List.of();
        }
        double area;
        Box box = null;
        background.convertTo(bg8, CV_8U);
        absdiff(gray, bg8, diff);
        threshold(diff, diff, params.minDelta(), 255, THRESH_BINARY);
        // grey enough: saturation of the working copy, averaged down to the motion picture
        extractChannel(frame.hsv(), saturation, 1);
        if (saturation.cols() != w) {
            resize(saturation, saturation, saturationSize, 0, 0, INTER_AREA);
        }
        threshold(saturation, saturation, params.maxSaturation(), 255, THRESH_BINARY_INV);
        bitwise_and(diff, saturation, diff);
        morphologyEx(diff, diff, MORPH_OPEN, kernel);
        int n = countNonZero(diff);
        area = n / (double) (w * h);
        if (area >= params.minArea() && area < 0.6) {
            for (Box b : Blobs.find(diff, params.minArea() * w * h / 4)) {
                box = box == null ? b : box.union(b);
            }
        }
        gray.convertTo(f, CV_32F);
        accumulateWeighted(f, background, params.backgroundRate());
        box = frame.toFull(box, w, h);   // found on the motion picture, shown on the full one
        history.addLast(new double[] {t, area});
        while (history.size() > 2 && t - history.peekFirst()[0] > params.step() * 1.5) {
            history.removeFirst();
        }
        double before = areaAbout(t - params.step());
        boolean big = area >= params.minArea() && area < 0.6 && t - start >= params.warmupSeconds();
        // spreading to start; once smoke is reported it holds while the region is there
        boolean smoke = big && (state.active() || area >= before * params.growth());
        if (smoke) {
            lastBox = box;
        }
        return switch (state.update(smoke, t)) {
            case STARTED -> List.of(Detection.said(FindingKind.SMOKE, Level.ORANGE, Condition.ACTIVE, null, box, area,
                    params.minArea(), t, "video.smoke", java.util.Map.of("percent", String.format(Locale.ROOT, "%.1f", area * 100))));
            case ENDED -> List.of(Detection.said(FindingKind.SMOKE, Level.ORANGE, Condition.CLEARED, null, lastBox, area,
                    params.minArea(), t, "video.smoke.gone", java.util.Map.of()));
            case NONE -> List.of();
        };
    }

    private double areaAbout(double when) {
        double best = Double.NaN;
        double bestGap = Double.MAX_VALUE;
        for (double[] h : history) {
            double gap = Math.abs(h[0] - when);
            if (gap < bestGap) {
                bestGap = gap;
                best = h[1];
            }
        }
        return Double.isNaN(best) ? Double.MAX_VALUE : best;
    }

    @Override
    public void close() {
        kernel.close();
        for (Mat m : new Mat[] {bg8, diff, saturation, f}) {
            m.close();
        }
        if (saturationSize != null) {
            saturationSize.close();
        }
        if (background != null) {
            background.close();
        }
    }
}
