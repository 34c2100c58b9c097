package io.safegrid.picture;

import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.polylines;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import io.safegrid.model.device.Zone;
import java.util.List;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * The one way zones, findings and captions are drawn on a picture, for the live view, the video wall
 * and alarm evidence alike ({@link Palette}). Zone lines and boxes are drawn without anti-aliasing, so
 * their colour is exact. Labels are ASCII: OpenCV's Hershey fonts have no Chinese glyphs (the page
 * around the picture is bilingual).
 */
public final class Overlay {
    public static final int ZONE_THICKNESS = 3;
    /** The zone a finding is about. */
    public static final int FINDING_ZONE_THICKNESS = 5;
    public static final int BOX_THICKNESS = 2;

    private Overlay() {
    }

    /**
     * Draws the zones (the marks' zones heavier), the marks' boxes and labels, and the caption on a dark
     * strip at the bottom (the camera's own clock is usually top left) onto a BGR picture.
     */
    public static void draw(Mat bgr, List<Zone> zones, List<Mark> marks, String caption) {
        for (Zone z : zones) {
            boolean hot = marks.stream().anyMatch(m -> z.name().equals(m.zone()));
            zone(bgr, z, hot ? FINDING_ZONE_THICKNESS : ZONE_THICKNESS);
        }
        for (Mark m : marks) {
            m.box().ifPresent(b -> {
                try (Scalar red = Palette.FINDING.scalar(); Point a = new Point(b[0], b[1]);
                     Point c = new Point(b[0] + b[2], b[1] + b[3])) {
                    rectangle(bgr, a, c, red, BOX_THICKNESS, LINE_8, 0);
                    label(bgr, m.label(), b[0], Math.max(14, b[1] - 5), red);
                }
            });
        }
        caption(bgr, caption);
    }

    /** A grey picture with the zones, saying why there is none yet. */
    public static Mat placeholder(int width, int height, List<Zone> zones, String text, String caption) {
        Mat canvas;
        try (Scalar grey = Palette.PLACEHOLDER.scalar()) {
            canvas = new Mat(height, width, opencv_core.CV_8UC3, grey);
        }
        for (Zone z : zones) {
            zone(canvas, z, ZONE_THICKNESS);
        }
        double scale = Math.max(0.5, width / 900.0);
        try (Point at = new Point(width / 10, height / 2); Scalar white = Palette.TEXT.scalar()) {
            putText(canvas, ascii(text), at, FONT_HERSHEY_SIMPLEX, scale, white, 2, LINE_AA, false);
        }
        caption(canvas, caption);
        return canvas;
    }

    private static void zone(Mat canvas, Zone z, int thickness) {
        int n = z.polygon().size();
        int[] xy = new int[n * 2];
        for (int i = 0; i < n; i++) {
            xy[2 * i] = (int) Math.round(z.polygon().get(i).x() * (canvas.cols() - 1));
            xy[2 * i + 1] = (int) Math.round(z.polygon().get(i).y() * (canvas.rows() - 1));
        }
        try (Scalar c = Palette.of(z.purpose()).scalar();
             IntPointer pts = new IntPointer(xy);
             Mat poly = new Mat(n, 1, opencv_core.CV_32SC2, pts);
             MatVector polys = new MatVector(poly)) {
            polylines(canvas, polys, true, c, thickness, LINE_8, 0);
            label(canvas, z.name(), xy[0] + 4, Math.max(14, xy[1] - 6), c);
        }
    }

    private static void caption(Mat canvas, String text) {
        int h = Math.max(18, canvas.rows() / 18);
        try (Point a = new Point(0, canvas.rows() - h); Point b = new Point(canvas.cols(), canvas.rows());
             Point at = new Point(6, canvas.rows() - h / 4 - 2);
             Scalar strip = Palette.STRIP.scalar(); Scalar white = Palette.TEXT.scalar()) {
            rectangle(canvas, a, b, strip, FILLED, LINE_8, 0);
            putText(canvas, ascii(text), at, FONT_HERSHEY_SIMPLEX, h / 32.0, white, 1, LINE_AA, false);
        }
    }

    private static void label(Mat canvas, String text, int x, int y, Scalar colour) {
        try (Point at = new Point(x, y)) {
            putText(canvas, ascii(text), at, FONT_HERSHEY_SIMPLEX, 0.45, colour, 1, LINE_AA, false);
        }
    }

    /** Hershey fonts draw '?' boxes for anything else; better an honest '?'. */
    public static String ascii(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
