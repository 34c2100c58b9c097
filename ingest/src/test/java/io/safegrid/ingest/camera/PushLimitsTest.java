package io.safegrid.ingest.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.DeviceAccess;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.video.VideoFrame;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What an edge box may not do on the push port, on a real socket. */
class PushLimitsTest {
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final InProcessBus bus = new InProcessBus();
    final List<VideoFrame> frames = new CopyOnWriteArrayList<>();
    CameraIntake intake;

    void start(Map<String, DeviceAccess> access) throws Exception {
        bus.subscribe(Topic.FRAMES, "test", (k, f) -> frames.add(f));
        intake = new CameraIntake(TestCameras.config(List.of(TestCameras.push("cam-1")), access), bus, meters);
        intake.start();
    }

    @AfterEach
    void stop() {
        if (intake != null) {
            intake.close();
        }
        bus.close();
    }

    double rejected(String reason) {
        var c = meters.find("safegrid.camera.push.rejected").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aStreamDeclaringAHugePictureIsRefusedBeforeFfmpegSeesIt() throws Exception {
        start(Map.of("cam-1", new DeviceAccess("cam-1", "s3cret-cam", null)));
        for (String format : new String[] {"h264", "mpegts"}) {
            try (Socket s = new Socket("127.0.0.1", intake.pushPort())) {
                s.setSoTimeout(30_000);
                assertThat(TestCameras.handshake(s, PushHeader.line("cam-1", "s3cret-cam", format))).isEqualTo("OK");
                s.getOutputStream().write(SpsProbeTest.avcSps(16000, 16000, 100));
                s.getOutputStream().write(new byte[4096]);
                s.getOutputStream().flush();
                while (s.getInputStream().read() >= 0) {
                    // until the node closes
                }
            } catch (java.net.SocketException reset) {
                // closed while we were still sending: refused too
            }
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rejected("picture-too-large")).isEqualTo(2));
        var starts = meters.find("safegrid.camera.decode.errors").counters();
        assertThat(frames).isEmpty();
        assertThat(starts.stream().mapToDouble(c -> c.count()).sum()).as("FFmpeg never tried to decode it").isZero();
    }

    @Test
    void aPushCameraWithoutASecretTakesNoVideoFromAnyone() throws Exception {
        start(Map.of());
        try (Socket s = new Socket("127.0.0.1", intake.pushPort())) {
            s.setSoTimeout(30_000);
            assertThat(TestCameras.handshake(s, PushHeader.line("cam-1", "-", "mpegts"))).startsWith("ERR").contains("no secret");
        }
        assertThat(rejected("no-secret")).isEqualTo(1);
    }

    @Test
    void guessingACameraTokenIsThrottled() throws Exception {
        start(Map.of("cam-1", new DeviceAccess("cam-1", "s3cret-cam", null)));
        for (int i = 0; i < 14; i++) {
            try (Socket s = new Socket("127.0.0.1", intake.pushPort())) {
                s.setSoTimeout(30_000);
                assertThat(TestCameras.handshake(s, PushHeader.line("cam-1", "guess-" + i, "mpegts"))).startsWith("ERR");
            }
        }
        assertThat(rejected("token")).isEqualTo(10);
        assertThat(rejected("throttled")).isEqualTo(4);
    }
}
