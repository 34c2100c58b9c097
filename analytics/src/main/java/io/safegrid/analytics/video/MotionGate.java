package io.safegrid.analytics.video;

import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The cheap first look: difference of consecutive frames at 160 px wide. The costly detectors
 * (background model, HOG) only run when this says something moved.
 */
public final class MotionGate implements AutoCloseable {
    /** @param fraction share of the picture that changed; {@code moving} when above the gate's limit */
    public record Result(double fraction, boolean moving) {
        public static final Result NONE = new Result(0, false);
    }

    private static final int WIDTH = 160;
    private final int pixelDelta;
    private final double minFraction;
    private Mat previous;

    /**
     * @param pixelDelta  grey-level change that counts a pixel as changed (noise stays below it)
     * @param minFraction share of changed pixels that counts as motion
     */
    public MotionGate(int pixelDelta, double minFraction) {
        this.pixelDelta = pixelDelta;
        this.minFraction = minFraction;
    }

    public MotionGate() {
        this(20, 0.002);
    }

    public Result update(Mat bgr) {
        int h = Math.max(1, bgr.rows() * WIDTH / Math.max(1, bgr.cols()));
        Mat small = new Mat();
        try (Mat gray = new Mat(); Size size = new Size(WIDTH, h); Size k = new Size(5, 5)) {
            cvtColor(bgr, gray, COLOR_BGR2GRAY);
            resize(gray, small, size, 0, 0, INTER_AREA);
            GaussianBlur(small, small, k, 0);
        }
        Mat prev = previous;
        previous = small;
        if (prev == null || prev.cols() != small.cols() || prev.rows() != small.rows()) {
            if (prev != null) {
                prev.close();
            }
            return new Result(1.0, true);
        }
        try (Mat diff = new Mat()) {
            absdiff(small, prev, diff);
            threshold(diff, diff, pixelDelta, 255, THRESH_BINARY);
            double fraction = countNonZero(diff) / (double) small.total();
            return new Result(fraction, fraction >= minFraction);
        } finally {
            prev.close();
        }
    }

    @Override
    public void close() {
        if (previous != null) {
            previous.close();
            previous = null;
        }
    }
}
