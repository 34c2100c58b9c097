package io.safegrid.node.camera;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.analytics.video.Box;
import io.safegrid.analytics.video.Detection;
import io.safegrid.analytics.video.Snapshots;
import io.safegrid.analytics.video.VideoAnalytics;
import io.safegrid.console.camera.LivePicture;
import io.safegrid.model.Level;
import io.safegrid.model.device.AnalysisSettings;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.CameraSource;
import io.safegrid.model.device.Point;
import io.safegrid.model.device.Zone;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.video.VideoFrame;
import io.safegrid.picture.Palette;
import io.safegrid.picture.Pictures;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/**
 * An alarm's evidence picture (analytics) and the console's live picture of the same frame and finding
 * are drawn by one overlay: the same zone colours by purpose, the same red box, pixel for pixel
 * up to JPEG's rounding.
 */
class EvidenceColoursTest {
    static final int W = 640;
    static final int H = 360;
    static final Zone GATE = new Zone("gate", ZonePurpose.RESTRICTED,
            List.of(new Point(0.35, 0.40), new Point(0.65, 0.40), new Point(0.65, 0.85), new Point(0.35, 0.85)), 0, 1.0);
    static final Zone DESK = new Zone("desk", ZonePurpose.POST,
            List.of(new Point(0.05, 0.10), new Point(0.25, 0.10), new Point(0.25, 0.40), new Point(0.05, 0.40)), 0, 1.0);

    @Test
    void theSnapshotAndTheLiveViewDrawTheSameColoursForTheSameFinding() {
        Camera cam = new Camera("cam-yard", "Yard", GridPath.parse("county/town/plant-1"),
                new CameraSource(CameraSource.Mode.PUSH, null, null, null),
                new AnalysisSettings(5, W, H, Set.of("intrusion")), List.of(GATE, DESK));
        VideoFrame frame = greyI420(cam);
        Detection d = new Detection(FindingKind.INTRUSION, Level.ORANGE, Condition.ACTIVE, GATE, new Box(300, 180, 60, 100),
                1, 0, "someone at the gate", 0.2);
        byte[] snapshot;
        try (Mat bgr = Pictures.bgr(frame)) {
            snapshot = Snapshots.render(bgr, cam.zones(), d);
        }
        Finding finding = VideoAnalytics.toFinding(cam, frame, d, snapshot);
        byte[] live = LivePicture.render(frame, cam, List.of(finding), "cam-yard");

        int gateLeft = (int) Math.round(0.35 * (W - 1));
        int deskRight = (int) Math.round(0.25 * (W - 1));
        // where: the finding's zone (restricted), another zone (post), the box's edge, the ground inside the box
        int[][] at = {{gateLeft, 300}, {deskRight, 80}, {300, 230}, {330, 230}};
        int[][] want = {Palette.RESTRICTED.bgr(), Palette.POST.bgr(), Palette.FINDING.bgr(), {100, 100, 100}};
        for (int i = 0; i < at.length; i++) {
            int[] s = pixel(snapshot, at[i][0], at[i][1]);
            int[] l = pixel(live, at[i][0], at[i][1]);
            assertNear(s, want[i], "snapshot at " + Arrays.toString(at[i]));
            assertNear(l, want[i], "live view at " + Arrays.toString(at[i]));
            assertNear(s, l, "snapshot against live view at " + Arrays.toString(at[i]));
        }
    }

    /** A uniform grey frame in I420, as the intake publishes streams. */
    static VideoFrame greyI420(Camera cam) {
        byte[] yuv = new byte[W * H * 3 / 2];
        try (Mat bgr = new Mat(H, W, opencv_core.CV_8UC3, new Scalar(100, 100, 100, 0)); Mat i420 = new Mat()) {
            opencv_imgproc.cvtColor(bgr, i420, opencv_imgproc.COLOR_BGR2YUV_I420);
            i420.data().get(yuv);
        }
        return new VideoFrame(cam.id(), cam.site(), Instant.parse("2026-12-06T12:00:00Z"), 1, 0.2, W, H,
                VideoFrame.Format.I420, yuv);
    }

    static int[] pixel(byte[] jpeg, int x, int y) {
        try (BytePointer p = new BytePointer(jpeg);
             Mat buf = new Mat(1, jpeg.length, opencv_core.CV_8UC1, p);
             Mat img = opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_COLOR);
             UByteIndexer u = img.createIndexer()) {
            assertThat(img.cols()).isEqualTo(W);
            return new int[] {u.get(y, x, 0), u.get(y, x, 1), u.get(y, x, 2)};
        }
    }

    /** Within JPEG's rounding of a thin coloured line (chroma is stored at half size). */
    static void assertNear(int[] got, int[] want, String where) {
        for (int c = 0; c < 3; c++) {
            assertThat(Math.abs(got[c] - want[c])).as("%s: %s, want %s", where, Arrays.toString(got),
                    Arrays.toString(want)).isLessThan(60);
        }
    }
}
