package io.safegrid.analytics.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2YUV_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YUV2BGR_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams reach analytics as I420 (the decoder's own layout), uploaded snapshots and
 * {@code safegrid analyze} as BGR: both must judge alike.
 */
class I420PathTest {
    @TempDir
    static Path dir;

    @Test
    void theWorkingCopyOfAnI420FrameLooksLikeTheBgrOne() {
        // a 640x360 picture with colour patches: the I420 path makes its 320-wide copy from the planes
        try (Mat bgr = new Mat(360, 640, CV_8UC3, new Scalar(90, 110, 100, 0)); Mat i420 = new Mat();
             CameraAnalyzer viaBgr = new CameraAnalyzer(List.of(), java.util.Set.of("fire"));
             CameraAnalyzer viaI420 = new CameraAnalyzer(List.of(), java.util.Set.of("fire"))) {
            org.bytedeco.opencv.global.opencv_imgproc.rectangle(bgr, new org.bytedeco.opencv.opencv_core.Rect(100, 80, 120, 90),
                    new Scalar(0, 140, 255, 0), -1, 8, 0);
            org.bytedeco.opencv.global.opencv_imgproc.rectangle(bgr, new org.bytedeco.opencv.opencv_core.Rect(400, 200, 160, 100),
                    new Scalar(200, 60, 20, 0), -1, 8, 0);
            cvtColor(bgr, i420, COLOR_BGR2YUV_I420);
            List<Detection> a = viaBgr.analyze(bgr, 0);
            List<Detection> b = viaI420.analyzeI420(i420, 640, 360, 0);
            assertThat(b).isEqualTo(a);
            // the evidence of an I420 frame is its full picture in colour
            Detection d = new Detection(io.safegrid.model.finding.FindingKind.FIRE, io.safegrid.model.Level.ORANGE,
                    io.safegrid.model.finding.Condition.ACTIVE, null, new Box(100, 80, 120, 90), 0.05, 0.01, "test", 0);
            assertThat(viaI420.snapshot(d).length).isGreaterThan(1000);
            try (Mat full = new Mat(); Mat diff = new Mat()) {
                cvtColor(i420, full, COLOR_YUV2BGR_I420);
                absdiff(full, bgr, diff);
                Scalar m = mean(diff);
                assertThat(m.get(0) + m.get(1) + m.get(2)).isLessThan(6.0);
            }
        }
    }

    @Test
    void bothPathsFindTheSameIntruderAndFlameAtTheSameMoment() throws Exception {
        Path walk = SyntheticClip.write(dir, "walk-in", 9,
                (f, t) -> VideoAnalyzersTest.person(f, (int) Math.min(230, 60 + 30 * t), 160));
        Path flame = VideoAnalyzersTest.flameClip(dir);
        for (Path clip : List.of(walk, flame)) {
            List<io.safegrid.model.device.Zone> zones = List.of(VideoAnalyzersTest.GATE);
            List<Detection> bgr;
            List<Detection> i420;
            try (CameraAnalyzer a = new CameraAnalyzer(zones, VideoAnalyzersTest.ALL)) {
                bgr = ClipRun.analyse(clip, a, FullSizeAnalysisTest.WIDTH, true);
            }
            try (CameraAnalyzer a = new CameraAnalyzer(zones, VideoAnalyzersTest.ALL)) {
                i420 = ClipRun.analyse(clip, a, FullSizeAnalysisTest.WIDTH, false);
            }
            // the same first finding at the same moment (later ones, like a flame's raise to RED when it
            // doubles, hang on a pixel or two of flame outline, where 4:2:0 colour and BGR differ)
            assertThat(i420).isNotEmpty();
            assertThat(bgr).isNotEmpty();
            Detection x = i420.get(0);
            Detection y = bgr.get(0);
            assertThat(List.of(x.kind(), x.level(), x.condition())).isEqualTo(List.of(y.kind(), y.level(), y.condition()));
            assertThat(x.time()).isCloseTo(y.time(), org.assertj.core.data.Offset.offset(0.41));
            assertThat(Math.abs(x.box().centreX() - y.box().centreX())).isLessThan(20.0);
        }
    }

}
