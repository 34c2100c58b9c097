package io.safegrid.analytics.video;

import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_EXTERNAL;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;
import static org.bytedeco.opencv.global.opencv_imgproc.contourArea;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;

import io.safegrid.model.device.Zone;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;

/** Connected regions of a binary mask, and which zone they stand in. */
public final class Blobs {
    private Blobs() {
    }

    /** Outer contours of {@code mask} (not modified) whose area is at least {@code minArea} pixels. */
    public static List<Box> find(Mat mask, double minArea) {
        List<Box> out = new ArrayList<>();
        // since OpenCV 3.2 findContours leaves its input alone: no copy of the mask needed
        try (MatVector contours = new MatVector(); Mat hierarchy = new Mat()) {
            findContours(mask, contours, hierarchy, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE);
            for (long i = 0; i < contours.size(); i++) {
                try (Mat c = contours.get(i)) {
                    if (contourArea(c) >= minArea) {
                        try (Rect r = boundingRect(c)) {
                            out.add(new Box(r.x(), r.y(), r.width(), r.height()));
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Whether an object stands in a zone: its feet (bottom centre) or its centre lie inside, since
     * zones are drawn on the ground but small objects may be judged by their middle.
     */
    public static boolean inZone(Box b, Zone zone, int width, int height) {
        return zone.contains(b.centreX() / width, Math.min(b.bottomY(), height - 1) / height)
                || zone.contains(b.centreX() / width, b.centreY() / height);
    }
}
