package io.safegrid.analytics.video;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2HSV;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One picture as the analyzers of a camera see it, with the derived images they share (grey,
 * HSV, motion) computed once. The BGR picture belongs to the caller; derived images to this frame.
 */
public final class AnalysisFrame implements AutoCloseable {
    private final Mat bgr;
    private final double time;
    private final MotionGate.Result motion;
    private Mat gray;
    private Mat hsv;

    public AnalysisFrame(Mat bgr, double time, MotionGate.Result motion) {
        this.bgr = bgr;
        this.time = time;
        this.motion = motion;
    }

    public Mat bgr() { return bgr; }

    /** Stream time in seconds. */
    public double time() { return time; }

    public int width() { return bgr.cols(); }

    public int height() { return bgr.rows(); }

    public int area() { return bgr.cols() * bgr.rows(); }

    /** What the cheap frame difference says moved since the previous analysed frame. */
    public MotionGate.Result motion() { return motion; }

    public Mat gray() {
        if (gray == null) {
            gray = new Mat();
            cvtColor(bgr, gray, COLOR_BGR2GRAY);
        }
        return gray;
    }

    public Mat hsv() {
        if (hsv == null) {
            hsv = new Mat();
            cvtColor(bgr, hsv, COLOR_BGR2HSV);
        }
        return hsv;
    }

    @Override
    public void close() {
        if (gray != null) {
            gray.close();
        }
        if (hsv != null) {
            hsv.close();
        }
    }
}
