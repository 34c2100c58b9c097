package io.safegrid.analytics.video;

import io.safegrid.testing.Deployments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.model.Level;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.AnalysisSettings;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.CameraSource;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.video.VideoFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** The analytics stage on a bus: frames in, findings out, and the counters an operator reads. */
class VideoAnalyticsTest {
    static final GridPath SITE = GridPath.parse("county/town/mine-3");

    static Camera camera(String id, Set<String> analyzers) {
        return new Camera(id, "Shaft " + id, SITE, new CameraSource(CameraSource.Mode.PUSH, null, null),
                new AnalysisSettings(5, SyntheticClip.W, SyntheticClip.H, analyzers), List.of());
    }

    static ConfigSource config(Camera... cameras) {
        return ConfigSource.of(Deployments.builder().name("t").cameras(List.of(cameras)).build());
    }

    /** The clip's frames as the intake publishes them: I420 for streams, BGR for uploaded snapshots. */
    static List<VideoFrame> frames(Path clip, String cameraId, VideoFrame.Format format) throws Exception {
        List<VideoFrame> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            boolean bgr = format == VideoFrame.Format.BGR;
            g.setPixelFormat(bgr ? avutil.AV_PIX_FMT_BGR24 : avutil.AV_PIX_FMT_YUV420P);
            g.start();
            Frame f;
            long seq = 0;
            while ((f = g.grabImage()) != null) {
                byte[] pixels = new byte[format.bytes(f.imageWidth, f.imageHeight)];
                if (bgr) {
                    try (Mat m = conv.convert(f).clone()) {
                        m.data().get(pixels);
                    }
                } else {
                    java.nio.ByteBuffer b = ((java.nio.ByteBuffer) f.image[0]).duplicate();
                    b.limit(b.capacity()).position(0);
                    b.get(pixels);   // the clips' rows are not padded (320 wide)
                }
                out.add(new VideoFrame(cameraId, SITE, Instant.now(), seq++, f.timestamp / 1e6, f.imageWidth,
                        f.imageHeight, format, pixels));
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(VideoFrame.Format.class)
    void coveredLensFramesBecomeFindingsWithEvidenceAndCounters(VideoFrame.Format format, @TempDir Path dir) throws Exception {
        Path clip = SyntheticClip.write(dir, "covered", 10, (f, t) -> {
            if (t >= 3 && t < 7) {
                f.put(new Scalar(10, 10, 10, 0));
            }
        });
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<Finding> findings = new CopyOnWriteArrayList<>();
        // room for every frame: this test is about judging, not about dropping
        try (InProcessBus bus = new InProcessBus(2, t -> 1000);
             VideoAnalytics analytics = new VideoAnalytics(config(camera("cam-a", Set.of("tamper")),
                     camera("cam-bad", Set.of("tamper", "teleport"))), bus, meters)) {
            bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
            analytics.start();
            List<VideoFrame> frames = frames(clip, "cam-a", format);
            publishInTurn(bus, frames, meters);
            await().atMost(Duration.ofSeconds(30)).until(() -> findings.size() >= 2);

            Finding on = findings.get(0);
            assertThat(on.kind()).isEqualTo(FindingKind.TAMPER_COVERED);
            assertThat(on.condition()).isEqualTo(Condition.ACTIVE);
            assertThat(on.level()).isEqualTo(Level.YELLOW);
            assertThat(on.sourceId()).isEqualTo("cam-a");
            assertThat(on.site()).isEqualTo(SITE);
            assertThat(on.rule()).isEqualTo("video-tamper-covered");
            assertThat(on.message()).startsWith("Shaft cam-a：");
            assertThat(on.text("en")).startsWith("Shaft cam-a: ");
            assertThat(on.text("zh")).matches("Shaft cam-a：画面过暗或无纹理（亮度 \\d+，对比度 [\\d.]+）");
            assertThat(on.snapshot()[0] & 0xff).isEqualTo(0xFF);
            assertThat(Double.parseDouble(on.details().get("streamTime"))).isBetween(5.5, 7.0);
            assertThat(findings.get(1).condition()).isEqualTo(Condition.CLEARED);
            assertThat(findings.get(1).text("zh")).isEqualTo("Shaft cam-a：遮挡/黑屏已解除");

            // 10 fps in, the camera wants 5: every other frame analysed
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count(meters, "safegrid.video.frames.analysed", "cam-a")
                    + count(meters, "safegrid.video.frames.dropped", "cam-a")).isEqualTo(frames.size()));
            assertThat(count(meters, "safegrid.video.frames.analysed", "cam-a")).isBetween(48.0, 52.0);
            assertThat(meters.find("safegrid.video.analysis.latency").tag("camera", "cam-a").timer().count()).isBetween(48L, 52L);

            // frames lost on the bus show as sequence gaps
            VideoFrame last = frames.get(frames.size() - 1);
            bus.publish(Topic.FRAMES, "cam-a", new VideoFrame("cam-a", SITE, Instant.now(), last.sequence() + 4,
                    last.streamTime() + 0.5, last.width(), last.height(), last.format(), last.pixels()));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(meters.find("safegrid.video.frames.dropped").tag("camera", "cam-a")
                    .tag("reason", "bus").counter().count()).isEqualTo(3));

            // a camera configured with an analyzer that does not exist: one error, no findings, no crash
            for (VideoFrame f : frames.subList(0, 5)) {
                bus.publish(Topic.FRAMES, "cam-bad", new VideoFrame("cam-bad", SITE, f.time(), f.sequence(),
                        f.streamTime(), f.width(), f.height(), f.format(), f.pixels()));
                bus.publish(Topic.FRAMES, "cam-x", new VideoFrame("cam-x", SITE, f.time(), f.sequence(),
                        f.streamTime(), f.width(), f.height(), f.format(), f.pixels()));
            }
            // the two cameras' frames may be handled on different bus threads: wait for both counts
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(meters.find("safegrid.video.frames.unknown").counter().count()).isEqualTo(5);
                assertThat(count(meters, "safegrid.video.analysis.errors", "cam-bad")).isEqualTo(1);
            });
            assertThat(findings).hasSize(2);
        }
    }

    /**
     * Publishes a camera's frames one at a time, each once the one before was analysed or thinned
     * out: a whole clip at once would leave only the newest frame in the camera's slot, and these
     * tests are about judging, not dropping.
     */
    static void publishInTurn(InProcessBus bus, List<VideoFrame> frames, SimpleMeterRegistry meters) throws Exception {
        int n = 0;
        for (VideoFrame f : frames) {
            bus.publish(Topic.FRAMES, f.cameraId(), f);
            int want = ++n;
            await().atMost(Duration.ofSeconds(30)).until(() -> count(meters, "safegrid.video.frames.analysed", f.cameraId())
                    + count(meters, "safegrid.video.frames.dropped", f.cameraId()) >= want);
        }
    }

    static double count(SimpleMeterRegistry m, String name, String camera) {
        return m.find(name).tag("camera", camera).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @org.junit.jupiter.api.Test
    void aVendorsHelmetModelNamedByACameraRaisesItsFinding(@TempDir Path dir) throws Exception {
        // a "model" that sees one worker without a helmet in the middle of any picture
        Path onnx = java.nio.file.Files.write(dir.resolve("helmets.onnx"), io.safegrid.analytics.video.detect.TestModels
                .constantOutput(64, new long[] {1, 6, 1}, io.safegrid.analytics.video.detect.TestModels.yolov8(
                        new float[][] {{32, 32, 8, 12, 0.05f, 0.9f}})));
        io.safegrid.config.VideoConfig.ModelDef helmets = new io.safegrid.config.VideoConfig.ModelDef("helmets", onnx, 64,
                List.of("helmet", "no-helmet"), 0.5, List.of(new io.safegrid.config.VideoConfig.Raise("no-helmet",
                        FindingKind.PPE_MISSING, Level.ORANGE, io.safegrid.model.device.ZonePurpose.PPE, Duration.ofSeconds(1))));
        io.safegrid.config.VideoConfig video = new io.safegrid.config.VideoConfig("hog", 0.4, 1, Duration.ofMillis(50),
                Duration.ofSeconds(2), Duration.ZERO, List.of(helmets));
        io.safegrid.model.device.Zone gate = new io.safegrid.model.device.Zone("gate", io.safegrid.model.device.ZonePurpose.PPE,
                List.of(new io.safegrid.model.device.Point(0, 0), new io.safegrid.model.device.Point(1, 0),
                        new io.safegrid.model.device.Point(1, 1), new io.safegrid.model.device.Point(0, 1)), 0, 0);
        Camera cam = new Camera("cam-h", "Gate", SITE, new CameraSource(CameraSource.Mode.PUSH, null, null),
                new AnalysisSettings(5, SyntheticClip.W, SyntheticClip.H, Set.of("tamper"), List.of("helmets")), List.of(gate));
        ConfigSource config = ConfigSource.of(Deployments.builder().name("t").camera(cam).video(video).build());
        Path clip = SyntheticClip.write(dir, "gate", 5, (f, t) -> { });
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<Finding> findings = new CopyOnWriteArrayList<>();
        try (InProcessBus bus = new InProcessBus(2, t -> 1000); VideoAnalytics analytics = new VideoAnalytics(config, bus, meters)) {
            bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
            analytics.start();
            publishInTurn(bus, frames(clip, "cam-h", VideoFrame.Format.I420), meters);
            await().atMost(Duration.ofSeconds(30)).until(() -> !findings.isEmpty());
            Finding f = findings.get(0);
            assertThat(f.kind()).isEqualTo(FindingKind.PPE_MISSING);
            assertThat(f.level()).isEqualTo(Level.ORANGE);
            assertThat(f.zone()).isEqualTo("gate");
            assertThat(f.rule()).isEqualTo("video-ppe-missing");
            assertThat(f.message()).contains("no-helmet", "model helmets");
            assertThat(Double.parseDouble(f.details().get("streamTime"))).isBetween(0.9, 2.5);
            // drawn at the middle of the 320x180 picture: 8x12 input pixels at a 64/320 scale
            assertThat(f.details().get("box")).isEqualTo("140,60,40,60");
            assertThat(meters.find("safegrid.video.detector.pass").tag("detector", "yolo:helmets").timer().count()).isPositive();
        }
    }
}
