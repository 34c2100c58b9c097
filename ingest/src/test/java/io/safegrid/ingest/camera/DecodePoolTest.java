package io.safegrid.ingest.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.Camera;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.video.VideoFrame;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many cameras on one shared decode thread: each still runs in real time and publishes its own pictures. */
class DecodePoolTest {
    private static final Map<String, io.safegrid.config.DeviceAccess> PUSH_SECRET =
            Map.of("push-0", new io.safegrid.config.DeviceAccess("push-0", "push-0-secret", null));

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final InProcessBus bus = new InProcessBus();
    final List<VideoFrame> frames = new CopyOnWriteArrayList<>();
    final List<Finding> findings = new CopyOnWriteArrayList<>();
    CameraIntake intake;
    /** Analytics' judge of the intake's stream reports: what turns silence into video-loss findings. */
    io.safegrid.analytics.video.loss.VideoLossWatch loss;

    @AfterEach
    void stop() {
        if (intake != null) {
            intake.close();
        }
        if (loss != null) {
            loss.close();
        }
        bus.close();
    }

    @Test
    void eightFilesShareOneDecodeThreadAndEachPublishesTheRightPicturesOnTime(@TempDir Path dir) throws Exception {
        Path clip = TestCameras.clip(dir, 3);   // 10 fps; a red box moves 3 px a frame
        List<Camera> cameras = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            cameras.add(TestCameras.pull("cam-" + i, clip.toString()));
        }
        bus.subscribe(Topic.FRAMES, "test", (k, f) -> frames.add(TestCameras.kept(f)));
        bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
        var config = TestCameras.config(cameras, PUSH_SECRET);
        loss = new io.safegrid.analytics.video.loss.VideoLossWatch(config, bus, Duration.ofSeconds(5)).start();
        intake = new CameraIntake(config, bus, meters, Clock.systemUTC(),
                Duration.ofMillis(200), Duration.ofSeconds(1), 1);
        intake.start();
        long t0 = System.nanoTime();
        // each camera replays its 3 s clip: a picture beyond 3.2 s is the second play's
        await().atMost(Duration.ofSeconds(60)).until(() -> cameras.stream()
                .allMatch(c -> frames.stream().anyMatch(f -> f.cameraId().equals(c.id()) && f.streamTime() > 3.2)));
        // paced: a 3 s clip cannot be played faster than 3 s, even by a pool
        assertThat((System.nanoTime() - t0) / 1e9).isGreaterThan(3.0);
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("camera-decode-")).hasSize(1);

        for (Camera c : cameras) {
            List<VideoFrame> firstPlay = frames.stream()
                    .filter(f -> f.cameraId().equals(c.id()) && f.streamTime() < 2.95).toList();
            // 5 of the clip's 10 fps, every picture decoded but only these converted
            assertThat(firstPlay).as(c.id()).hasSizeBetween(14, 16);
            assertThat(count("safegrid.camera.frames.in", c.id())).as(c.id()).isGreaterThanOrEqualTo(30);
            for (VideoFrame f : firstPlay) {
                // the picture is the one its time says (a picture converted for another frame would not be)
                int frameNo = (int) Math.round(f.streamTime() * 10);
                int expectedX = (10 + frameNo * 3) / 2;   // clip is 320 wide, analysis 160
                assertThat(boxLeft(f)).as("%s at %.2f s", c.id(), f.streamTime()).isBetween(expectedX - 2, expectedX + 2);
            }
        }
        assertThat(findings).as("no video loss while one thread decodes eight cameras").isEmpty();
    }

    @Test
    void aPushedStreamSharingTheThreadWithFilesStaysLiveAndEndsWhenTheBoxHangsUp(@TempDir Path dir) throws Exception {
        Path clip = TestCameras.clip(dir, 3);
        List<Camera> cameras = new ArrayList<>(List.of(TestCameras.push("push-0")));
        for (int i = 0; i < 4; i++) {
            cameras.add(TestCameras.pull("file-" + i, clip.toString()));
        }
        bus.subscribe(Topic.FRAMES, "test", (k, f) -> frames.add(TestCameras.kept(f)));
        bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
        var config = TestCameras.config(cameras, PUSH_SECRET);
        loss = new io.safegrid.analytics.video.loss.VideoLossWatch(config, bus, Duration.ofSeconds(5)).start();
        intake = new CameraIntake(config, bus, meters, Clock.systemUTC(),
                Duration.ofMillis(200), Duration.ofSeconds(1), 1);
        intake.start();
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", intake.pushPort())) {
            assertThat(TestCameras.handshake(s, PushHeader.line("push-0", "push-0-secret", "mpegts"))).isEqualTo("OK");
            Thread box = new Thread(() -> {
                try {
                    TestCameras.stream(s.getOutputStream(), 5);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            box.start();
            // live: pictures arrive while the box is still sending (5 s, paced), though one thread also decodes four files
            await().atMost(Duration.ofSeconds(30)).until(() -> pushed().size() >= 3 || !box.isAlive());
            assertThat(box.isAlive()).as("still sending when the third picture arrived").isTrue();
            box.join();
        }
        // the box hung up: the session ends (the pool is woken by the end of the stream)
        await().atMost(Duration.ofSeconds(30))
                .until(() -> meters.find("safegrid.camera.up").tag("camera", "push-0").gauge().value() == 0);
        List<VideoFrame> mine = pushed();
        assertThat(mine).hasSizeBetween(22, 28);   // 5 s at 10 fps, thinned to 5
        assertThat(mine).extracting(VideoFrame::sequence).isSorted().doesNotHaveDuplicates();
        // each picture is the one its time says: the box moves 1.5 px a frame at 160 wide, 15 px/s
        VideoFrame first = mine.get(0);
        assertThat(boxLeft(first)).as("the first picture shows the box").isBetween(3, 20);
        for (VideoFrame f : mine) {
            double expected = boxLeft(first) + 15 * (f.streamTime() - first.streamTime());
            assertThat((double) boxLeft(f)).as("at %.2f s", f.streamTime()).isBetween(expected - 2.5, expected + 2.5);
        }
        assertThat(findings).isEmpty();
    }

    private List<VideoFrame> pushed() {
        return frames.stream().filter(f -> f.cameraId().equals("push-0")).toList();
    }

    /** Leftmost red column in the middle row of the box, or -1. */
    static int boxLeft(VideoFrame f) {
        int y = 45;
        byte[] bgr = TestCameras.bgr(f);
        for (int x = 0; x < f.width(); x++) {
            int i = (y * f.width() + x) * 3;
            int b = bgr[i] & 0xff;
            int r = bgr[i + 2] & 0xff;
            if (r > 150 && b < 80) {
                return x;
            }
        }
        return -1;
    }

    double count(String name, String camera) {
        var c = meters.find(name).tag("camera", camera).counter();
        return c == null ? 0 : c.count();
    }
}
