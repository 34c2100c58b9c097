package io.safegrid.analytics.video;

import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The cheap first look: difference of consecutive frames at 160 px wide. The costly detectors
 * (background model, HOG) only run when this says something moved, and HOG only where.
 */
public final class MotionGate implements AutoCloseable {
    /**
     * @param fraction share of the picture that changed; {@code moving} when above the gate's limit
     * @param regions  where it changed, in the gate's own {@code gateWidth} x {@code gateHeight} pixels
     *                 (use {@link #regionsIn} for any other size); empty when unknown or the whole picture
     */
    public record Result(double fraction, boolean moving, List<Box> regions, int gateWidth, int gateHeight) {
        public static final Result NONE = new Result(0, false);

        public Result(double fraction, boolean moving) {
            this(fraction, moving, List.of(), 0, 0);
        }

        /** The moved regions scaled to a picture of {@code width} x {@code height}, rounded outwards. */
        public List<Box> regionsIn(int width, int height) {
            if (gateWidth <= 0 || gateHeight <= 0) {
                return List.of();
            }
            double sx = width / (double) gateWidth;
            double sy = height / (double) gateHeight;
            return regions.stream().map(b -> {
                int x0 = (int) Math.floor(b.x() * sx);
                int y0 = (int) Math.floor(b.y() * sy);
                int x1 = Math.min(width, (int) Math.ceil((b.x() + b.width()) * sx));
                int y1 = Math.min(height, (int) Math.ceil((b.y() + b.height()) * sy));
                return new Box(x0, y0, x1 - x0, y1 - y0);
            }).toList();
        }
    }

    private static final int WIDTH = CameraAnalyzer.MOTION_WIDTH;
    private final int pixelDelta;
    private final double minFraction;
    private final Mat kernel = getStructuringElement(MORPH_RECT, new Size(5, 5));
    private final Size blurKernel = new Size(5, 5);
    // two pictures that take turns as this frame's and the previous one, and the difference: kept,
    // not allocated per frame
    private Mat current = new Mat();
    private Mat previous = new Mat();
    private boolean hasPrevious;
    private final Mat gray = new Mat();
    private final Mat diff = new Mat();
    private Size size;

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

    /** @param picture BGR or already grey; any size (the smaller, the cheaper) */
    public Result update(Mat picture) {
        int h = Math.max(1, picture.rows() * WIDTH / Math.max(1, picture.cols()));
        if (size == null || size.height() != h) {
            if (size != null) {
                size.close();
            }
            size = new Size(WIDTH, h);
            hasPrevious = false;
        }
        Mat src = picture;
        if (picture.channels() == 3) {
            cvtColor(picture, gray, COLOR_BGR2GRAY);
            src = gray;
        }
        if (src.cols() == WIDTH) {
            GaussianBlur(src, current, blurKernel, 0);   // already the gate's size (the motion picture)
        } else {
            resize(src, current, size, 0, 0, INTER_AREA);
            GaussianBlur(current, current, blurKernel, 0);
        }
        Mat small = current;
        Mat prev = previous;
        boolean compare = hasPrevious;
        previous = small;
        current = prev;
        hasPrevious = true;
        if (!compare) {
            return new Result(1.0, true);
        }
        absdiff(small, prev, diff);
        threshold(diff, diff, pixelDelta, 255, THRESH_BINARY);
        double fraction = countNonZero(diff) / (double) small.total();
        boolean moving = fraction >= minFraction;
        List<Box> regions = List.of();
        if (moving) {
            // close the gaps inside one moving thing (a walker's edges differ, not their middle)
            dilate(diff, diff, kernel);
            regions = Blobs.find(diff, 4);
        }
        return new Result(fraction, moving, regions, small.cols(), small.rows());
    }

    @Override
    public void close() {
        kernel.close();
        blurKernel.close();
        current.close();
        previous.close();
        gray.close();
        diff.close();
        if (size != null) {
            size.close();
        }
    }
}
