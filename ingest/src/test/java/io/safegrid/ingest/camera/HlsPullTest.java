package io.safegrid.ingest.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.video.VideoFrame;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A camera (or an NVR) that publishes HLS: a playlist and MPEG-TS segments over HTTP, made here by
 * the real ffmpeg CLI (Debian's, which {@code .ci/run} installs) and served by a plain file server.
 */
class HlsPullTest {

    static HttpServer files(Path dir) throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            Path f = dir.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
            if (!f.startsWith(dir) || !Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            byte[] body = Files.readAllBytes(f);
            ex.getResponseHeaders().add("Content-Type",
                    f.toString().endsWith(".m3u8") ? "application/vnd.apple.mpegurl" : "video/mp2t");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        return http;
    }

    @Test
    void pullsAnHlsPlaylistAndPublishesItsPictures(@TempDir Path dir) throws Exception {
        // 6 s of a moving test pattern, H.264 in 1 s MPEG-TS segments, as a finished (VOD) playlist
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc=size=320x180:rate=10", "-t", "6", "-c:v", "libx264", "-g", "10", "-pix_fmt", "yuv420p",
                "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod",
                "-hls_segment_filename", dir.resolve("seg%03d.ts").toString(), dir.resolve("live.m3u8").toString())
                .redirectErrorStream(true).start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).as(new String(ffmpeg.getInputStream().readAllBytes())).isZero();
        assertThat(Files.readString(dir.resolve("live.m3u8"))).contains("seg000.ts", "#EXT-X-ENDLIST");

        HttpServer server = files(dir);
        List<VideoFrame> frames = new CopyOnWriteArrayList<>();
        List<Finding> findings = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/live.m3u8";
        var config = TestCameras.config(List.of(TestCameras.pull("cam-hls", url)), Map.of());
        try (InProcessBus bus = new InProcessBus();
             io.safegrid.analytics.video.loss.VideoLossWatch loss = new io.safegrid.analytics.video.loss.VideoLossWatch(config, bus, Duration.ofSeconds(4)).start();
             CameraIntake intake = new CameraIntake(config,
                     bus, meters, java.time.Clock.systemUTC(), Duration.ofMillis(200),
                     Duration.ofSeconds(1))) {
            bus.subscribe(Topic.FRAMES, "test", (k, f) -> frames.add(f));
            bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
            intake.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> frames.size() >= 10);
            VideoFrame first = frames.get(0);
            assertThat(first.cameraId()).isEqualTo("cam-hls");
            assertThat(first.width()).as("scaled to the camera's analysis size").isEqualTo(160);
            assertThat(first.height()).isEqualTo(90);
            // a loss the 4 s watch raised while a loaded machine was still opening the playlist is cleared by
            // its pictures; none while it plays
            await().atMost(Duration.ofSeconds(10)).until(() -> findings.isEmpty()
                    || findings.get(findings.size() - 1).condition() == io.safegrid.model.finding.Condition.CLEARED);
            assertThat(findings).as("no video loss while the playlist plays").hasSizeLessThanOrEqualTo(2);
            assertThat(meters.find("safegrid.camera.connects").tag("camera", "cam-hls").counter().count()).isGreaterThanOrEqualTo(1);
        } finally {
            server.stop(0);
        }
    }
}
