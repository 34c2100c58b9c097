package io.safegrid.analytics.video.detect;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.safegrid.analytics.video.Box;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.HOGDescriptor;

/**
 * OpenCV's built-in HOG pedestrian detector: no weights to fetch, so it is the fallback when no
 * neural model loads. It knows only upright people ("person") and misses many a neural detector
 * finds (sitting, partly hidden, far away).
 *
 * @see <a href="../../../../../../../../docs/video.md">docs/video.md</a>
 */
public final class HogDetector implements ObjectDetector {
    private final int detectHeight;
    private final double hitThreshold;
    private final HOGDescriptor hog = new HOGDescriptor();

    /**
     * @param detectHeight pictures lower than this are enlarged first (HOG's window is 64x128)
     * @param hitThreshold SVM margin a window needs; higher means fewer, surer people
     */
    public HogDetector(int detectHeight, double hitThreshold) {
        this.detectHeight = detectHeight;
        this.hitThreshold = hitThreshold;
        try (Mat svm = new Mat(HOGDescriptor.getDefaultPeopleDetector())) {
            hog.setSVMDetector(svm);
        }
    }

    public HogDetector() {
        this(360, 0.3);
    }

    @Override
    public String name() { return "hog"; }

    /** The smallest crop HOG can look at, at this picture height: its window and padding, scaled. */
    public Box minimumCrop(int rows) {
        double scale = scale(rows);
        return new Box(0, 0, (int) Math.ceil(80 / scale), (int) Math.ceil(144 / scale));
    }

    private double scale(int rows) {
        return rows < detectHeight ? detectHeight / (double) rows : 1.0;
    }

    @Override
    public List<Sighting> detect(Mat bgr) {
        double scale = scale(bgr.rows());
        List<Sighting> found = new ArrayList<>();
        try (Mat img = new Mat(); RectVector rects = new RectVector(); Size stride = new Size(8, 8); Size pad = new Size(8, 8)) {
            if (scale > 1.0) {
                try (Size s = new Size((int) Math.round(bgr.cols() * scale), (int) Math.round(bgr.rows() * scale))) {
                    resize(bgr, img, s, 0, 0, INTER_LINEAR);
                }
            } else {
                bgr.copyTo(img);
            }
            if (img.cols() < 64 || img.rows() < 128) {
                return found;   // smaller than the detector's window: nobody fits
            }
            hog.detectMultiScale(img, rects, new double[0], hitThreshold, stride, pad, 1.05, 2, false);
            for (long i = 0; i < rects.size(); i++) {
                Rect r = rects.get(i);
                found.add(new Sighting(new Box((int) (r.x() / scale), (int) (r.y() / scale), (int) (r.width() / scale),
                        (int) (r.height() / scale)), "person", 1f));
            }
        }
        return found;
    }

    @Override
    public void close() {
        hog.close();
    }
}
