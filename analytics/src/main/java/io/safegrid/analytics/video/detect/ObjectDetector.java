package io.safegrid.analytics.video.detect;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Finds objects in a picture. Implementations are safe to call from several camera threads at
 * once (the shared {@link DetectorPool} bounds how many); each call is one pass over the picture.
 */
public interface ObjectDetector extends AutoCloseable {

    /** What it is, for the log and /health: "nanodet-m", "yolo:helmets.onnx", "hog". */
    String name();

    /** Objects of a known class scoring at least the detector's threshold, boxes in {@code bgr}'s pixels. */
    List<Sighting> detect(Mat bgr);

    /**
     * The shorter side of the picture the model is fed, pixels (what it resizes every picture to);
     * 0 for a detector without a fixed input (HOG scans at every scale).
     */
    default int inputSize() { return 0; }

    @Override
    void close();
}
