package io.safegrid.console.camera;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YUV2BGR_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.polylines;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import io.safegrid.model.device.Camera;
import io.safegrid.model.device.Zone;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.video.VideoFrame;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Draws a camera's zones and its recent detections onto a picture and encodes it as JPEG. Labels
 * are ASCII: OpenCV's Hershey fonts have no Chinese glyphs (the page around the picture is
 * bilingual). Zone colours by purpose, so an operator tells a restricted area from a post at a glance.
 */
final class Overlay {
    /** BGR, by zone purpose. */
    static final Scalar RESTRICTED = new Scalar(0, 255, 255, 0);   // yellow
    static final Scalar DANGER = new Scalar(0, 140, 255, 0);       // orange
    static final Scalar POST = new Scalar(255, 255, 0, 0);         // cyan
    static final Scalar CROWD = new Scalar(255, 0, 255, 0);        // magenta
    static final Scalar DETECTION = new Scalar(0, 0, 255, 0);      // red
    static final int ZONE_THICKNESS = 3;
    private static final Scalar WHITE = new Scalar(255, 255, 255, 0);
    private static final Scalar STRIP = new Scalar(30, 30, 30, 0);
    private static final int QUALITY = 75;

    private Overlay() {
    }

    /** The frame with zones, detections and a caption; JPEG bytes. */
    static byte[] render(VideoFrame f, Camera camera, List<Finding> detections, String caption) {
        boolean i420 = f.format() == VideoFrame.Format.I420;
        try (BytePointer data = new BytePointer(f.pixels());
             Mat view = i420 ? new Mat(f.height() * 3 / 2, f.width(), opencv_core.CV_8UC1, data)
                     : new Mat(f.height(), f.width(), opencv_core.CV_8UC3, data);
             Mat canvas = new Mat()) {
            if (i420) {
                cvtColor(view, canvas, COLOR_YUV2BGR_I420);   // streams come as I420
            } else {
                view.copyTo(canvas);
            }
            for (Zone z : camera.zones()) {
                zone(canvas, z);
            }
            for (Finding d : detections) {
                detection(canvas, d);
            }
            caption(canvas, caption);
            return jpeg(canvas);
        }
    }

    /** A grey picture saying why there is none yet. */
    static byte[] placeholder(Camera camera, String text) {
        int w = camera.analysis() == null ? 640 : camera.analysis().width();
        int h = camera.analysis() == null ? 360 : camera.analysis().height();
        try (Mat canvas = new Mat(h, w, opencv_core.CV_8UC3, new Scalar(60, 60, 60, 0))) {
            for (Zone z : camera.zones()) {
                zone(canvas, z);
            }
            double scale = Math.max(0.5, w / 900.0);
            try (Point at = new Point(w / 10, h / 2)) {
                putText(canvas, ascii(text), at, FONT_HERSHEY_SIMPLEX, scale, WHITE, 2, LINE_AA, false);
            }
            caption(canvas, camera.id());
            return jpeg(canvas);
        }
    }

    static Scalar colour(ZonePurpose p) {
        return switch (p) {
            case RESTRICTED -> RESTRICTED;
            case DANGER -> DANGER;
            case POST -> POST;
            case CROWD, PPE -> CROWD;
        };
    }

    private static void zone(Mat canvas, Zone z) {
        int n = z.polygon().size();
        int[] xy = new int[n * 2];
        for (int i = 0; i < n; i++) {
            xy[2 * i] = (int) Math.round(z.polygon().get(i).x() * (canvas.cols() - 1));
            xy[2 * i + 1] = (int) Math.round(z.polygon().get(i).y() * (canvas.rows() - 1));
        }
        Scalar c = colour(z.purpose());
        try (IntPointer pts = new IntPointer(xy);
             Mat poly = new Mat(n, 1, opencv_core.CV_32SC2, pts);
             MatVector polys = new MatVector(poly)) {
            polylines(canvas, polys, true, c, ZONE_THICKNESS, LINE_8, 0);
        }
        label(canvas, z.name(), xy[0] + 4, Math.max(14, xy[1] - 6), c);
    }

    /** The finding's box (scaled from the resolution it was found at) and its kind. */
    private static void detection(Mat canvas, Finding d) {
        String box = d.details().get("box");
        if (box == null) {
            return;
        }
        String[] p = box.split(",");
        if (p.length != 4) {
            return;
        }
        double sx = 1;
        double sy = 1;
        String res = d.details().get("resolution");
        try {
            if (res != null && res.contains("x")) {
                sx = canvas.cols() / Double.parseDouble(res.substring(0, res.indexOf('x')));
                sy = canvas.rows() / Double.parseDouble(res.substring(res.indexOf('x') + 1));
            }
            int x = (int) Math.round(Integer.parseInt(p[0].strip()) * sx);
            int y = (int) Math.round(Integer.parseInt(p[1].strip()) * sy);
            int w = (int) Math.round(Integer.parseInt(p[2].strip()) * sx);
            int h = (int) Math.round(Integer.parseInt(p[3].strip()) * sy);
            try (Point a = new Point(x, y); Point b = new Point(x + w, y + h)) {
                rectangle(canvas, a, b, DETECTION, 2, LINE_8, 0);
            }
            String what = d.kind().name() + (d.zone() == null ? "" : " @ " + d.zone());
            label(canvas, what, x, Math.max(14, y - 5), DETECTION);
        } catch (NumberFormatException e) {
            // a finding from elsewhere with a box we cannot read: the zone is still drawn
        }
    }

    private static void caption(Mat canvas, String text) {
        int h = Math.max(18, canvas.rows() / 18);
        try (Point a = new Point(0, canvas.rows() - h); Point b = new Point(canvas.cols(), canvas.rows());
             Point at = new Point(6, canvas.rows() - h / 4 - 2)) {
            rectangle(canvas, a, b, STRIP, FILLED, LINE_8, 0);
            putText(canvas, ascii(text), at, FONT_HERSHEY_SIMPLEX, h / 32.0, WHITE, 1, LINE_AA, false);
        }
    }

    private static void label(Mat canvas, String text, int x, int y, Scalar colour) {
        try (Point at = new Point(x, y)) {
            putText(canvas, ascii(text), at, FONT_HERSHEY_SIMPLEX, 0.45, colour, 1, LINE_AA, false);
        }
    }

    /** Hershey fonts draw '?' boxes for anything else; better an honest '?'. */
    static String ascii(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }

    private static byte[] jpeg(Mat canvas) {
        try (BytePointer out = new BytePointer();
             IntPointer params = new IntPointer(opencv_imgcodecs.IMWRITE_JPEG_QUALITY, QUALITY)) {
            if (!opencv_imgcodecs.imencode(".jpg", canvas, out, params)) {
                throw new IllegalStateException("JPEG encoding failed");
            }
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }
}
