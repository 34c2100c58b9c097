package io.safegrid.node.simulate;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.randu;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.ellipse;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.safegrid.model.device.Point;
import io.safegrid.model.device.Zone;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.node.wiring.Stages;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A synthetic yard seen from a pole camera, 640x360: a textured ground with sheds, sensor noise,
 * an on-screen clock, and on the {@link SceneScript}'s schedule a person walking into the
 * restricted zone on the right, a flickering flame on the left, and a hand over the lens.
 * Not thread-safe; one renderer per stream.
 */
public final class CameraScene implements AutoCloseable {
    public static final int WIDTH = 640;
    public static final int HEIGHT = 360;
    /** The on-screen clock shows county time, as a real camera set up in the county would. */
    private static final DateTimeFormatter OSD = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(Stages.COUNTY_ZONE);

    private final SceneScript script;
    private final Mat background;
    private final Random random = new Random(11);

    public CameraScene(SceneScript script) {
        this.script = script;
        this.background = paintBackground();
    }

    /**
     * The restricted zone the figure walks into, to put in the camera's config: anything moving
     * counts there, since the drawn figure is no person to a detector trained on photographs.
     */
    public static Zone restrictedZone() {
        return new Zone("gate", ZonePurpose.RESTRICTED,
                List.of(new Point(0.6, 0.45), new Point(0.97, 0.45), new Point(0.97, 0.98), new Point(0.6, 0.98)), 0, 1.0,
                Zone.MOTION);
    }

    private static Mat paintBackground() {
        Mat coarse = new Mat(18, 32, CV_8UC3);
        org.bytedeco.opencv.global.opencv_core.theRNG().state(5);
        try (Mat lo = new Mat(1, 1, CV_64F, new Scalar(70)); Mat hi = new Mat(1, 1, CV_64F, new Scalar(150))) {
            randu(coarse, lo, hi);
        }
        Mat bg = new Mat();
        try (Size s = new Size(WIDTH, HEIGHT); Size k = new Size(5, 5)) {
            resize(coarse, bg, s, 0, 0, INTER_NEAREST);
            GaussianBlur(bg, bg, k, 0);
        }
        coarse.close();
        // sheds and a fence line, for edges the tamper analyzer can follow
        rectangle(bg, new Rect(40, 40, 160, 90), new Scalar(150, 150, 160, 0), -1, 8, 0);
        rectangle(bg, new Rect(40, 40, 160, 90), new Scalar(40, 40, 40, 0), 2, 8, 0);
        rectangle(bg, new Rect(420, 30, 180, 110), new Scalar(110, 130, 150, 0), -1, 8, 0);
        for (int x = 0; x < WIDTH; x += 24) {
            rectangle(bg, new Rect(x, 150, 4, 40), new Scalar(60, 60, 60, 0), -1, 8, 0);
        }
        return bg;
    }

    /** Draws the picture at {@code t} seconds from the start, with the clock showing {@code now}. */
    public void render(Mat out, double t, Instant now) {
        double s = script.local(t);
        background.copyTo(out);
        if (within(s, script.coverStart(), script.coverEnd())) {
            out.put(new Scalar(12, 12, 14, 0));
            noise(out, 3);
            return;   // a hand over the lens hides the clock as well
        }
        noise(out, 13);
        if (within(s, script.personIn() - 4, script.personOut())) {
            // walks in from the left over 4 s, stands in the zone, leaves by the right edge at personOut
            double walk = Math.min(1, (s - (script.personIn() - 4)) / 4);
            int x = (int) (WIDTH * (0.3 + 0.45 * walk));
            if (s > script.personOut() - 2) {
                x += (int) ((s - (script.personOut() - 2)) / 2 * 200);
            }
            person(out, x, (int) (HEIGHT * 0.9));
        }
        if (within(s, script.fireStart(), script.fireEnd())) {
            flame(out, s - script.fireStart());
        }
        putText(out, OSD.format(now), new org.bytedeco.opencv.opencv_core.Point(10, 24), FONT_HERSHEY_SIMPLEX, 0.6,
                new Scalar(255, 255, 255, 0), 1, 8, false);
    }

    private static boolean within(double s, double from, double to) {
        return from >= 0 && s >= from && s < to;
    }

    private static void person(Mat f, int x, int feetY) {
        rectangle(f, new Rect(x - 14, feetY - 50, 28, 50), new Scalar(50, 45, 40, 0), -1, 8, 0);        // legs, trousers
        rectangle(f, new Rect(x - 16, feetY - 95, 32, 48), new Scalar(30, 110, 200, 0), -1, 8, 0);       // hi-vis jacket
        circle(f, new org.bytedeco.opencv.opencv_core.Point(x, feetY - 108), 12, new Scalar(90, 120, 170, 0), -1, 8, 0);
    }

    private void flame(Mat f, double age) {
        int grow = (int) Math.min(30, age * 3);
        int h = 30 + grow + random.nextInt(24);
        int w = 16 + grow / 2 + random.nextInt(10);
        org.bytedeco.opencv.opencv_core.Point c =
                new org.bytedeco.opencv.opencv_core.Point(160 + random.nextInt(9) - 4, 320 - h / 2);
        ellipse(f, c, new Size(w, h / 2), random.nextInt(20) - 10, 0, 360, new Scalar(0, 120, 255, 0), -1, 8, 0);
        ellipse(f, c, new Size(w / 2, h / 3), 0, 0, 360, new Scalar(60, 210, 255, 0), -1, 8, 0);
    }

    private static void noise(Mat f, int amplitude) {
        try (Mat n = new Mat(f.rows(), f.cols(), CV_8UC3);
             Mat lo = new Mat(1, 1, CV_64F, new Scalar(0)); Mat hi = new Mat(1, 1, CV_64F, new Scalar(amplitude))) {
            randu(n, lo, hi);
            add(f, n, f);
        }
    }

    @Override
    public void close() {
        background.close();
    }
}
