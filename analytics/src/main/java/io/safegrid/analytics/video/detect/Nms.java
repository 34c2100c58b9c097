package io.safegrid.analytics.video.detect;

import io.safegrid.analytics.video.Box;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Greedy non-maximum suppression per class: of boxes overlapping more than the limit, the surest stays. */
public final class Nms {
    private Nms() { }

    public static List<Sighting> suppress(List<Sighting> all, double iouLimit, int max) {
        List<Sighting> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingDouble(Sighting::score).reversed());
        List<Sighting> kept = new ArrayList<>();
        for (Sighting s : sorted) {
            boolean clash = false;
            for (Sighting k : kept) {
                if (k.label().equals(s.label()) && iou(k.box(), s.box()) > iouLimit) {
                    clash = true;
                    break;
                }
            }
            if (!clash) {
                kept.add(s);
                if (kept.size() >= max) {
                    break;
                }
            }
        }
        return kept;
    }

    /** Intersection over union of two boxes, 0 when either is empty. */
    public static double iou(Box a, Box b) {
        int x0 = Math.max(a.x(), b.x());
        int y0 = Math.max(a.y(), b.y());
        int x1 = Math.min(a.x() + a.width(), b.x() + b.width());
        int y1 = Math.min(a.y() + a.height(), b.y() + b.height());
        long inter = (long) Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
        long union = (long) a.area() + b.area() - inter;
        return union <= 0 ? 0 : inter / (double) union;
    }
}
