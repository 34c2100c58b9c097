package io.safegrid.analytics.video;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2HSV;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One picture as the analyzers of a camera see it, at two sizes: the full analysis picture
 * ({@link #bgr()}, the configured size: evidence and people detection) and a small working copy
 * ({@link #work()}, at most {@link CameraAnalyzer#WORK_WIDTH} wide) that the cheap per-picture
 * analyzers share, with its grey and HSV computed once. Boxes found on the working copy go back
 * to the full picture with {@link #toFull}. The BGR picture belongs to the caller; the rest to this frame.
 */
public final class AnalysisFrame implements AutoCloseable {
    private final Mat bgr;
    private final Mat work;
    private final double time;
    private final MotionGate.Result motion;
    private Mat gray;
    private Mat hsv;
    /** HSV goes here when asked for (a per-camera buffer), or into a new Mat when null. */
    private final Mat hsvBuffer;
    private boolean hsvDone;
    /** Whether {@link #close} frees the working copy and grey (false: they are the caller's buffers). */
    private final boolean owns;

    /** A frame whose working copy is the picture itself. */
    public AnalysisFrame(Mat bgr, double time, MotionGate.Result motion) {
        this(bgr, bgr, null, time, motion);
    }

    /**
     * @param work     the working copy (may be {@code bgr} itself); closed with this frame if it is not
     * @param workGray its grey picture if already made, or null
     */
    AnalysisFrame(Mat bgr, Mat work, Mat workGray, double time, MotionGate.Result motion) {
        this(bgr, work, workGray, null, time, motion, true);
    }

    /**
     * Over buffers the caller keeps from frame to frame ({@code work}, {@code workGray} already made,
     * {@code hsvBuffer} filled when an analyzer asks): nothing is allocated or freed per frame.
     */
    AnalysisFrame(Mat bgr, Mat work, Mat workGray, Mat hsvBuffer, double time, MotionGate.Result motion, boolean owns) {
        this.bgr = bgr;
        this.work = work;
        this.gray = workGray;
        this.hsvBuffer = hsvBuffer;
        this.time = time;
        this.motion = motion;
        this.owns = owns;
    }

    /** The full analysis picture. */
    public Mat bgr() { return bgr; }

    /** The small working copy (BGR) for the cheap analyzers. */
    public Mat work() { return work; }

    /** Stream time in seconds. */
    public double time() { return time; }

    /** Full picture width, pixels. */
    public int width() { return bgr.cols(); }

    public int height() { return bgr.rows(); }

    public int area() { return bgr.cols() * bgr.rows(); }

    public int workWidth() { return work.cols(); }

    public int workHeight() { return work.rows(); }

    public int workArea() { return work.cols() * work.rows(); }

    /** A box on the working copy as a box on the full picture. */
    public Box toFull(Box b) {
        if (b == null || work == bgr) {
            return b;
        }
        double sx = bgr.cols() / (double) work.cols();
        double sy = bgr.rows() / (double) work.rows();
        int x0 = (int) Math.floor(b.x() * sx);
        int y0 = (int) Math.floor(b.y() * sy);
        int x1 = Math.min(bgr.cols(), (int) Math.ceil((b.x() + b.width()) * sx));
        int y1 = Math.min(bgr.rows(), (int) Math.ceil((b.y() + b.height()) * sy));
        return new Box(x0, y0, x1 - x0, y1 - y0);
    }

    /** What the cheap frame difference says moved since the previous analysed frame. */
    public MotionGate.Result motion() { return motion; }

    /** Grey of the working copy. */
    public Mat gray() {
        if (gray == null) {
            gray = new Mat();
            cvtColor(work, gray, COLOR_BGR2GRAY);
        }
        return gray;
    }

    /** HSV of the working copy. */
    public Mat hsv() {
        if (!hsvDone) {
            hsv = hsvBuffer != null ? hsvBuffer : new Mat();
            cvtColor(work, hsv, COLOR_BGR2HSV);
            hsvDone = true;
        }
        return hsv;
    }

    @Override
    public void close() {
        if (!owns) {
            return;
        }
        if (gray != null) {
            gray.close();
        }
        if (hsv != null) {
            hsv.close();
        }
        if (work != bgr) {
            work.close();
        }
    }
}
