package io.safegrid.ingest.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.video.VideoFrame;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/** An IP camera's HTTP MJPEG stream, pulled; the camera goes away and comes back. */
class MjpegPullTest {

    /** Serves multipart/x-mixed-replace JPEGs at 10 fps until the server stops. */
    static HttpServer camera(int port) throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        http.createContext("/video.mjpg", ex -> {
            ex.getResponseHeaders().add("Content-Type", "multipart/x-mixed-replace;boundary=frame");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 600; i++) {
                    byte[] jpeg;
                    try (Mat m = new Mat(180, 320, CV_8UC3, new Scalar(100, 110, 120, 0)); BytePointer buf = new BytePointer()) {
                        rectangle(m, new Rect(10 + i * 4 % 280, 60, 30, 60), new Scalar(0, 0, 220, 0), -1, 8, 0);
                        opencv_imgcodecs.imencode(".jpg", m, buf);
                        jpeg = new byte[(int) buf.limit()];
                        buf.get(jpeg);
                    }
                    out.write(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(jpeg);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (Exception e) {
                // the test stopped the camera
            }
        });
        http.start();
        return http;
    }

    /** Native FFmpeg loads once per JVM (seconds on a busy machine); not what this test times. */
    @org.junit.jupiter.api.BeforeAll
    static void loadFfmpeg() {
        org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
        org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.avcodec.class);
        org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.swscale.class);
        try (Mat m = new Mat(8, 8, CV_8UC3, new Scalar(0)); BytePointer buf = new BytePointer()) {
            opencv_imgcodecs.imencode(".jpg", m, buf);   // and OpenCV's JPEG encoder, for the fake camera
        }
    }

    @Test
    void pullsMjpegAndReconnectsAfterTheCameraComesBack() throws Exception {
        HttpServer cam = camera(0);
        int port = cam.getAddress().getPort();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<VideoFrame> frames = new CopyOnWriteArrayList<>();
        List<Finding> findings = new CopyOnWriteArrayList<>();
        var config = TestCameras.config(List.of(TestCameras.pull("cam-ip", "http://127.0.0.1:" + port + "/video.mjpg")), Map.of());
        try (InProcessBus bus = new InProcessBus();
             io.safegrid.analytics.video.loss.VideoLossWatch loss = new io.safegrid.analytics.video.loss.VideoLossWatch(config, bus, Duration.ofSeconds(4)).start();
             CameraIntake intake = new CameraIntake(config, bus, meters,
                     java.time.Clock.systemUTC(), Duration.ofMillis(200), Duration.ofSeconds(1))) {
            bus.subscribe(Topic.FRAMES, "test", (k, f) -> frames.add(f));
            bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
            intake.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> frames.size() >= 5);
            assertThat(frames.get(0).width()).isEqualTo(160);
            // no loss while pictures flow; on a loaded machine the 4 s watch may have fired while the camera
            // was being opened, and then has cleared it: count from here
            await().atMost(Duration.ofSeconds(10)).until(() -> findings.isEmpty()
                    || findings.get(findings.size() - 1).condition() == Condition.CLEARED);
            int base = findings.size();

            cam.stop(0);   // the camera loses power
            await().atMost(Duration.ofSeconds(30)).until(() -> findings.size() == base + 1);
            assertThat(findings.get(base).kind()).isEqualTo(FindingKind.VIDEO_LOSS);
            assertThat(findings.get(base).condition()).isEqualTo(Condition.ACTIVE);
            double failedOpens = meters.find("safegrid.camera.decode.errors").tag("camera", "cam-ip").counter().count();

            cam = camera(port);   // and is back, same address
            await().atMost(Duration.ofSeconds(30)).until(() -> findings.size() == base + 2);
            assertThat(findings.get(base + 1).condition()).isEqualTo(Condition.CLEARED);
            assertThat(meters.find("safegrid.camera.connects").tag("camera", "cam-ip").counter().count()).isGreaterThanOrEqualTo(2);
            assertThat(failedOpens).as("reopen attempts while it was down").isGreaterThanOrEqualTo(1);
        } finally {
            cam.stop(0);
        }
    }
}
