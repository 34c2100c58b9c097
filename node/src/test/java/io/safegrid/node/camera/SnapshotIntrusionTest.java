package io.safegrid.node.camera;

import io.safegrid.testing.Deployments;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.analytics.video.VideoAnalytics;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeviceAccess;
import io.safegrid.config.NodeSettings;
import io.safegrid.ingest.SensorIngest;
import io.safegrid.ingest.camera.CameraIntake;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/**
 * A snapshot camera end to end: JPEGs made with OpenCV, posted by a real HTTP client to the ingest
 * port, decoded into frames, analysed: somebody walking into the restricted zone is an intrusion.
 */
class SnapshotIntrusionTest {
    static final String CAM = "cam-snap";
    static final String TOKEN = "snap-token-1234";
    static final int W = 640;
    static final int H = 360;

    /** Textured ground (so the picture is not flat) with, optionally, a dark figure at x. */
    static byte[] picture(Mat ground, int personX) {
        try (Mat m = ground.clone(); BytePointer out = new BytePointer()) {
            if (personX >= 0) {
                opencv_imgproc.rectangle(m, new org.bytedeco.opencv.opencv_core.Rect(personX, 200, 40, 110),
                        new Scalar(30, 30, 40, 0), opencv_imgproc.FILLED, opencv_imgproc.LINE_8, 0);
            }
            opencv_imgcodecs.imencode(".jpg", m, out);
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    static Mat ground() {
        Random r = new Random(7);
        Mat m = new Mat(H, W, opencv_core.CV_8UC3, new Scalar(110, 125, 120, 0));
        for (int i = 0; i < 300; i++) {
            int x = r.nextInt(W);
            int y = r.nextInt(H);
            int g = 80 + r.nextInt(90);
            opencv_imgproc.circle(m, new org.bytedeco.opencv.opencv_core.Point(x, y), 2 + r.nextInt(6),
                    new Scalar(g, g + 10, g, 0), opencv_imgproc.FILLED, opencv_imgproc.LINE_8, 0);
        }
        return m;
    }

    private static boolean intrusion(List<Finding> findings) {
        return findings.stream().anyMatch(f -> f.kind() == FindingKind.INTRUSION && f.condition() == Condition.ACTIVE);
    }

    @Test
    void aFigureWalkingIntoTheRestrictedZoneInUploadedSnapshotsIsAnIntrusion() throws Exception {
        GridPath site = GridPath.parse("county/town/plant-1");
        Zone gate = new Zone("gate", ZonePurpose.RESTRICTED,
                List.of(new Point(0.6, 0.45), new Point(0.97, 0.45), new Point(0.97, 0.98), new Point(0.6, 0.98)), 0, 1.0,
                Zone.MOTION);   // a drawn figure: anything moving counts
        Camera cam = new Camera(CAM, "Yard (snapshots)", site,
                new CameraSource(CameraSource.Mode.SNAPSHOT, null, null, Duration.ofSeconds(5)),
                new AnalysisSettings(5, 320, 180, Set.of("intrusion")), List.of(gate));
        NodeSettings n = NodeSettings.defaults();
        NodeSettings node = new NodeSettings("n", n.roles(), "127.0.0.1", -1, -1, -1, 0, -1, n.dataDir(),
                n.maxPayloadBytes(), n.maxReadingsPerSecondPerDevice(), null);
        ConfigSource config = ConfigSource.of(Deployments.builder().name("t").node(node)
                .access(new DeviceAccess(CAM, TOKEN, null)).camera(cam).build());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<Finding> findings = new CopyOnWriteArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        try (InProcessBus bus = new InProcessBus();
             VideoAnalytics analytics = new VideoAnalytics(config, bus, meters);
             io.safegrid.analytics.video.loss.VideoLossWatch loss = new io.safegrid.analytics.video.loss.VideoLossWatch(config, bus, Duration.ofSeconds(5)).start();
             CameraIntake cameras = new CameraIntake(config, bus, meters, Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofSeconds(5));
             SensorIngest ingest = new SensorIngest(config, bus, meters, Clock.systemUTC());
             Mat ground = ground()) {
            bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
            analytics.start();
            cameras.start();
            ingest.start();
            ingest.acceptSnapshots(cameras.snapshots());
            URI upload = URI.create("http://127.0.0.1:" + ingest.httpPort() + "/cameras/" + CAM + "/snapshots");
            // 15 empty pictures to learn the ground, then a figure walking from the left into the zone, where it
            // stays; the camera goes on uploading (as a real one does) while a loaded machine's analysis catches up
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (int i = 0; !intrusion(findings) && System.nanoTime() < until; i++) {
                int x = i < 15 ? -1 : Math.min(80 + (i - 15) * 30, 500);
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(upload).header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(picture(ground, x)))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                Thread.sleep(200);
            }
            assertThat(intrusion(findings)).as("an intrusion within 60 s; findings: %s",
                    findings.stream().map(f -> f.kind() + " " + f.condition()).toList()).isTrue();
            Finding intrusion = findings.stream().filter(f -> f.kind() == FindingKind.INTRUSION).findFirst().orElseThrow();
            assertThat(intrusion.sourceId()).isEqualTo(CAM);
            assertThat(intrusion.site()).isEqualTo(site);
            assertThat(intrusion.zone()).isEqualTo("gate");
            assertThat(intrusion.snapshot()).isNotNull().hasSizeGreaterThan(2000);
            assertThat(findings).extracting(Finding::kind).doesNotContain(FindingKind.VIDEO_LOSS);
        }
    }
}
