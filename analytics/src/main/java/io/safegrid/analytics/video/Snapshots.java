package io.safegrid.analytics.video;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.polylines;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import io.safegrid.model.device.Point;
import io.safegrid.model.device.Zone;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;

/** JPEG evidence: the picture with the camera's zones, the finding's zone and box drawn on it. */
public final class Snapshots {
    private static final Scalar ZONE = new Scalar(255, 200, 0, 0);      // BGR: light blue
    private static final Scalar HOT_ZONE = new Scalar(0, 165, 255, 0);  // orange
    private static final Scalar BOX = new Scalar(0, 0, 255, 0);         // red
    private static final Scalar TEXT = new Scalar(255, 255, 255, 0);
    private static final Scalar STRIP = new Scalar(30, 30, 30, 0);

    private Snapshots() {
    }

    public static byte[] render(Mat bgr, List<Zone> zones, Detection d) {
        try (Mat canvas = bgr.clone()) {
            for (Zone z : zones) {
                boolean hot = d.zone() != null && d.zone().name().equals(z.name());
                drawZone(canvas, z, hot ? HOT_ZONE : ZONE, hot ? 2 : 1);
            }
            if (d.box() != null) {
                Box b = d.box();
                rectangle(canvas, new org.bytedeco.opencv.opencv_core.Point(b.x(), b.y()),
                        new org.bytedeco.opencv.opencv_core.Point(b.x() + b.width(), b.y() + b.height()), BOX, 2, LINE_AA, 0);
            }
            String label = String.format(Locale.ROOT, "%s%s %s t=%.1fs", d.kind().labelEn(),
                    d.zone() == null ? "" : " [" + d.zone().name() + "]", d.condition().name().toLowerCase(Locale.ROOT),
                    d.time());
            // caption on a dark strip at the bottom: the camera's own clock is usually top left
            double scale = Math.max(0.35, canvas.cols() / 900.0);
            int strip = (int) Math.ceil(28 * scale / 0.7);
            rectangle(canvas, new org.bytedeco.opencv.opencv_core.Point(0, canvas.rows() - strip),
                    new org.bytedeco.opencv.opencv_core.Point(canvas.cols() - 1, canvas.rows() - 1), STRIP, -1, 8, 0);
            putText(canvas, label, new org.bytedeco.opencv.opencv_core.Point(6, canvas.rows() - strip / 3),
                    FONT_HERSHEY_SIMPLEX, scale, TEXT, 1, LINE_AA, false);
            try (BytePointer buf = new BytePointer(); IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, 80)) {
                imencode(".jpg", canvas, buf, params);
                byte[] out = new byte[(int) buf.limit()];
                buf.get(out);
                return out;
            }
        }
    }

    private static void drawZone(Mat canvas, Zone zone, Scalar colour, int thickness) {
        List<Point> poly = zone.polygon();
        int[] xy = new int[poly.size() * 2];
        for (int i = 0; i < poly.size(); i++) {
            xy[2 * i] = (int) Math.round(poly.get(i).x() * (canvas.cols() - 1));
            xy[2 * i + 1] = (int) Math.round(poly.get(i).y() * (canvas.rows() - 1));
        }
        try (Mat pts = new Mat(poly.size(), 1, org.bytedeco.opencv.global.opencv_core.CV_32SC2);
             MatVector v = new MatVector(1)) {
            pts.data().put(toBytes(xy));
            v.put(0, pts);
            polylines(canvas, v, true, colour, thickness, LINE_AA, 0);
        }
    }

    private static byte[] toBytes(int[] ints) {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(ints.length * 4).order(java.nio.ByteOrder.nativeOrder());
        bb.asIntBuffer().put(ints);
        return bb.array();
    }
}
