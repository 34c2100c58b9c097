package io.safegrid.ingest.camera;

import io.safegrid.testing.Deployments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeviceAccess;
import io.safegrid.config.NodeSettings;
import io.safegrid.ingest.SensorIngest;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.AnalysisSettings;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.CameraSource;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.video.VideoFrame;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Snapshot cameras upload JPEGs to the ingest HTTP port: a real HTTP client, real JPEGs from OpenCV. */
class SnapshotUploadTest {
    static final String CAM = "cam-snap";
    static final String TOKEN = "snap-token-1234";

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final InProcessBus bus = new InProcessBus();
    final List<VideoFrame> frames = new CopyOnWriteArrayList<>();
    final List<Finding> findings = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();
    SensorIngest sensors;
    CameraIntake cameras;
    /** Analytics' judge of the intake's stream reports: what turns silence into video-loss findings. */
    io.safegrid.analytics.video.loss.VideoLossWatch loss;

    @BeforeEach
    void start() throws Exception {
        Camera snap = new Camera(CAM, "Yard snapshots", TestCameras.SITE,
                new CameraSource(CameraSource.Mode.SNAPSHOT, null, null, Duration.ofSeconds(1)),
                new AnalysisSettings(5, 320, 180, Set.of("intrusion")), List.of());
        Deployment d = TestCameras.deployment(List.of(snap, TestCameras.push("cam-push")),
                Map.of(CAM, new DeviceAccess(CAM, TOKEN, null), "cam-push", new DeviceAccess("cam-push", "push-token-99", null)));
        NodeSettings n = d.node();
        NodeSettings node = new NodeSettings(n.nodeId(), n.roles(), "127.0.0.1", -1, -1, -1, 0, -1, n.dataDir(),
                n.maxPayloadBytes(), n.maxReadingsPerSecondPerDevice(), null, 200_000);
        ConfigSource config = ConfigSource.of(Deployments.from(d).node(node).build());
        bus.subscribe(Topic.FRAMES, "test", (k, f) -> frames.add(f));
        bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
        // loss after the 1 s interval plus 1 s grace
        loss = new io.safegrid.analytics.video.loss.VideoLossWatch(config, bus, Duration.ofSeconds(1)).start();
        cameras = new CameraIntake(config, bus, meters, Clock.systemUTC(), Duration.ofSeconds(1),
                Duration.ofSeconds(5));
        cameras.start();
        sensors = new SensorIngest(config, bus, meters, Clock.systemUTC());
        sensors.start();
        sensors.acceptSnapshots(cameras.snapshots());
    }

    @AfterEach
    void stop() {
        sensors.close();
        cameras.close();
        if (loss != null) {
            loss.close();
        }
        bus.close();
    }

    /** A 640x360 JPEG: grey ground with a red square at the top left. */
    static byte[] jpeg(int width, int height) {
        try (Mat m = new Mat(height, width, opencv_core.CV_8UC3, new Scalar(90, 90, 90, 0));
             BytePointer out = new BytePointer()) {
            opencv_imgproc.rectangle(m, new Point(0, 0), new Point(width / 4, height / 4), new Scalar(0, 0, 255, 0),
                    opencv_imgproc.FILLED, opencv_imgproc.LINE_8, 0);
            assertThat(opencv_imgcodecs.imencode(".jpg", m, out)).isTrue();
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    HttpResponse<String> post(String camera, String token, String type, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sensors.httpPort() + "/cameras/"
                + camera + "/snapshots")).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (type != null) {
            b.header("Content-Type", type);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    double rejected(String reason) {
        Counter c = meters.find("safegrid.ingest.rejected").tag("protocol", "snapshot").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aWrongTokenIsRefusedOnTheRequestHeadBeforeTheBodyIsSent() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", sensors.httpPort())) {
            s.setSoTimeout(30_000);
            // only the head: a node that read the body first would wait for it and never answer
            s.getOutputStream().write(("POST /cameras/" + CAM + "/snapshots HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer guess"
                    + "\r\nContent-Type: image/jpeg\r\nContent-Length: 150000\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertThat(status).startsWith("HTTP/1.1 401");
        }
        assertThat(rejected("unauthorized")).isEqualTo(1);
        assertThat(sensors.bodies().held()).isZero();
    }

    @Test
    void uploadedJpegBecomesAFrameAtTheAnalysisSize() throws Exception {
        HttpResponse<String> r = post(CAM, TOKEN, "image/jpeg", jpeg(640, 360));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.body()).contains("\"accepted\":1").contains("\"analysed\":true");

        await().atMost(Duration.ofSeconds(30)).until(() -> !frames.isEmpty());
        VideoFrame f = frames.get(0);
        assertThat(f.cameraId()).isEqualTo(CAM);
        assertThat(f.site()).isEqualTo(TestCameras.SITE);
        assertThat(f.width()).isEqualTo(320);
        assertThat(f.height()).isEqualTo(180);
        // BGR at (10, 10) is the red square, at the centre the grey ground (JPEG: within a few levels)
        int tl = (10 * 320 + 10) * 3;
        assertThat(TestCameras.bgr(f)[tl + 2] & 0xff).isGreaterThan(230);
        assertThat(TestCameras.bgr(f)[tl] & 0xff).isLessThan(25);
        int mid = (90 * 320 + 160) * 3;
        assertThat(TestCameras.bgr(f)[mid] & 0xff).isBetween(80, 100);
        assertThat(meters.find("safegrid.camera.snapshots.accepted").counter().count()).isEqualTo(1);
    }

    @Test
    void badUploadsGetAClearErrorAndACounterAndTheNextGoodOneStillWorks() throws Exception {
        byte[] good = jpeg(640, 360);
        HttpResponse<String> r = post(CAM, TOKEN, "image/jpeg", "hello, not a picture".getBytes());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("bad-jpeg").contains("not a JPEG");

        byte[] truncated = java.util.Arrays.copyOf(good, 40);   // SOI and a header, no picture
        assertThat(post(CAM, TOKEN, "image/jpeg", truncated).statusCode()).isEqualTo(400);

        r = post(CAM, "wrong-token-000", "image/jpeg", good);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("unauthorized");
        assertThat(post(CAM, null, "image/jpeg", good).statusCode()).isEqualTo(401);

        r = post("cam-nowhere", TOKEN, "image/jpeg", good);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("unknown-camera");

        r = post("cam-push", "push-token-99", "image/jpeg", good);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("not-snapshot-camera");

        assertThat(post(CAM, TOKEN, "image/png", good).statusCode()).isEqualTo(415);

        r = post(CAM, TOKEN, "image/jpeg", new byte[300_000]);   // over the 200,000-byte limit from config
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("200000");

        assertThat(rejected("bad-jpeg")).isEqualTo(2);
        assertThat(rejected("unauthorized")).isEqualTo(2);
        assertThat(rejected("unknown-camera")).isEqualTo(1);
        assertThat(rejected("not-snapshot-camera")).isEqualTo(1);
        assertThat(rejected("unsupported-type")).isEqualTo(1);
        assertThat(rejected("too-large")).isEqualTo(1);
        assertThat(frames).isEmpty();

        // the server is unaffected: the next good picture goes through, readings still answer
        assertThat(post(CAM, TOKEN, "image/jpeg", good).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> frames.size() == 1);
        HttpResponse<String> readings = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sensors.httpPort()
                + "/api/v1/readings")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(readings.statusCode()).isEqualTo(401);
    }

    @Test
    void noSnapshotWithinTheIntervalIsVideoLossAndTheNextOneEndsIt() throws Exception {
        byte[] good = jpeg(640, 360);
        assertThat(post(CAM, TOKEN, "image/jpeg", good).statusCode()).isEqualTo(202);
        long sent = System.nanoTime();
        await().atMost(Duration.ofSeconds(15)).until(() -> findings.stream()
                .anyMatch(f -> f.sourceId().equals(CAM) && f.kind() == FindingKind.VIDEO_LOSS && f.isActive()));
        double after = (System.nanoTime() - sent) / 1e9;
        // interval 1 s + grace 1 s, checked once a second: 2-3 s; the rest is room for a loaded machine
        assertThat(after).isBetween(1.9, 8.0);

        assertThat(post(CAM, TOKEN, "image/jpeg", good).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> findings.stream()
                .anyMatch(f -> f.sourceId().equals(CAM) && f.condition() == Condition.CLEARED));
    }
}
