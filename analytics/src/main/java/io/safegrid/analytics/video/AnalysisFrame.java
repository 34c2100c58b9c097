package io.safegrid.analytics.video;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2HSV;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import java.util.function.Supplier;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One picture as the analyzers of a camera see it, at three sizes:
 * <ul>
 *   <li>the full analysis picture ({@link #bgr()}, the configured size: evidence and people
 *       detection), made only when asked for when the frame came as I420;</li>
 *   <li>the working copy ({@link #work()}, at most {@code video.work-width} wide, with its
 *       grey and HSV) for what needs colour or detail: fire, smoke's colour test;</li>
 *   <li>the motion picture ({@link #motionGray()}, grey, {@link CameraAnalyzer#MOTION_WIDTH} wide) for
 *       what only needs to see that and where something changed: the motion gate, the background
 *       model (intrusion), smoke and tamper.</li>
 * </ul>
 * Limits are shares of the picture, so they judge the same at any size. Boxes found on the working
 * copy or the motion picture go back to the full picture with {@link #toFull}. The pictures belong
 * to the caller; this frame frees only what it made itself.
 */
public final class AnalysisFrame implements AutoCloseable {
    private final Supplier<Mat> bgr;
    private final int width;
    private final int height;
    private final Mat work;
    private final double time;
    private final MotionGate.Result motion;
    private Mat gray;
    private Mat hsv;
    private final Mat motionGray;
    /** HSV goes here when asked for (a per-camera buffer), or into a new Mat when null. */
    private final Mat hsvBuffer;
    private boolean hsvDone;
    /** Whether {@link #close} frees the working copy, grey and HSV (false: they are the caller's buffers). */
    private final boolean owns;
    /** The camera's tracked objects as of this frame (empty when no analyzer asked for objects). */
    private java.util.List<io.safegrid.analytics.video.track.Track> tracks = java.util.List.of();
    private int minHits = 1;

    /** A frame whose working copy is the picture itself (and so is its motion picture). */
    public AnalysisFrame(Mat bgr, double time, MotionGate.Result motion) {
        this(() -> bgr, bgr.cols(), bgr.rows(), bgr, null, null, null, time, motion, true);
    }

    /**
     * Over buffers the caller keeps from frame to frame: nothing is allocated or freed per frame.
     *
     * @param bgr        the full picture, made when first asked for (an I420 frame is converted only
     *                   if an analyzer or the evidence needs colour at full size)
     * @param work       the working copy (may be the full picture itself)
     * @param workGray   its grey picture if already made, or null
     * @param motionGray the motion picture, or null to use the working copy's grey
     * @param hsvBuffer  filled with the working copy's HSV when an analyzer asks, or null
     */
    AnalysisFrame(Supplier<Mat> bgr, int width, int height, Mat work, Mat workGray, Mat motionGray, Mat hsvBuffer,
                  double time, MotionGate.Result motion, boolean owns) {
        this.bgr = bgr;
        this.width = width;
        this.height = height;
        this.work = work;
        this.gray = workGray;
        this.motionGray = motionGray;
        this.hsvBuffer = hsvBuffer;
        this.time = time;
        this.motion = motion;
        this.owns = owns;
    }

    /** The tracked objects as of this frame, confirmed or not, boxes in full-picture pixels. */
    public java.util.List<io.safegrid.analytics.video.track.Track> tracks() { return tracks; }

    /** Confirmed tracks of one label ("person", "car" …): what counts for findings. */
    public java.util.List<io.safegrid.analytics.video.track.Track> objects(String label) {
        return tracks.stream().filter(t -> t.label().equals(label) && t.confirmed(minHits)).toList();
    }

    void tracks(java.util.List<io.safegrid.analytics.video.track.Track> tracks, int minHits) {
        this.tracks = java.util.List.copyOf(tracks);
        this.minHits = minHits;
    }

    /** The full analysis picture, BGR. */
    public Mat bgr() { return bgr.get(); }

    /** The small working copy (BGR) for the analyzers that need colour. */
    public Mat work() { return work; }

    /** Stream time in seconds. */
    public double time() { return time; }

    /** Full picture width, pixels. */
    public int width() { return width; }

    public int height() { return height; }

    public int area() { return width * height; }

    public int workWidth() { return work.cols(); }

    public int workHeight() { return work.rows(); }

    public int workArea() { return work.cols() * work.rows(); }

    /** A box on the working copy as a box on the full picture. */
    public Box toFull(Box b) {
        return toFull(b, work.cols(), work.rows());
    }

    /** A box on a picture of {@code fromWidth x fromHeight} (the working copy, the motion picture) on the full picture. */
    public Box toFull(Box b, int fromWidth, int fromHeight) {
        if (b == null || fromWidth == width && fromHeight == height) {
            return b;
        }
        double sx = width / (double) fromWidth;
        double sy = height / (double) fromHeight;
        int x0 = (int) Math.floor(b.x() * sx);
        int y0 = (int) Math.floor(b.y() * sy);
        int x1 = Math.min(width, (int) Math.ceil((b.x() + b.width()) * sx));
        int y1 = Math.min(height, (int) Math.ceil((b.y() + b.height()) * sy));
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

    /** The grey motion picture (the working copy's grey when there is none smaller). */
    public Mat motionGray() {
        return motionGray != null ? motionGray : gray();
    }

    public int motionWidth() { return motionGray().cols(); }

    public int motionHeight() { return motionGray().rows(); }

    public int motionArea() { return motionWidth() * motionHeight(); }

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
        if (gray != null && gray != work) {
            gray.close();
        }
        if (hsv != null) {
            hsv.close();
        }
    }
}
