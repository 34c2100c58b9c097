package io.safegrid.ingest.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.DeviceAccess;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.video.VideoFrame;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CameraIntakeTest {
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final InProcessBus bus = new InProcessBus();
    final List<VideoFrame> frames = new CopyOnWriteArrayList<>();
    final List<Finding> findings = new CopyOnWriteArrayList<>();
    CameraIntake intake;
    /** Analytics' judge of the intake's stream reports: what turns silence into video-loss findings. */
    io.safegrid.analytics.video.loss.VideoLossWatch loss;

    void start(io.safegrid.config.ConfigSource config) throws Exception {
        bus.subscribe(Topic.FRAMES, "test", (k, f) -> frames.add(TestCameras.kept(f)));
        bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
        loss = new io.safegrid.analytics.video.loss.VideoLossWatch(config, bus, Duration.ofSeconds(5)).start();
        intake = new CameraIntake(config, bus, meters);
        intake.start();
    }

    /** Loads FFmpeg and the encoder once, so that timing assertions measure streaming, not class loading. */
    @org.junit.jupiter.api.BeforeAll
    static void warmUp(@TempDir Path dir) throws Exception {
        TestCameras.clip(dir, 0.3);
        try (org.bytedeco.javacv.FFmpegFrameGrabber g = new org.bytedeco.javacv.FFmpegFrameGrabber(dir.resolve("clip.ts").toFile())) {
            g.start();
            g.grabImage();
            g.stop();
        }
    }

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

    double count(String name, String camera) {
        var c = meters.find(name).tag("camera", camera).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void pushedStreamBecomesFramesAndItsLossAndReturnAreFindings() throws Exception {
        start(TestCameras.config(List.of(TestCameras.push("cam-1")),
                Map.of("cam-1", new DeviceAccess("cam-1", "s3cret", null))));
        assertThat(intake.pushPort()).isPositive();

        try (Socket s = new Socket("127.0.0.1", intake.pushPort())) {
            assertThat(TestCameras.handshake(s, PushHeader.line("cam-1", "s3cret", "mpegts"))).isEqualTo("OK");
            Thread pusher = new Thread(() -> {
                try {
                    TestCameras.stream(s.getOutputStream(), 5);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            pusher.start();
            // live: pictures arrive while the box is still sending (5 s, paced), not after it is done
            await().atMost(Duration.ofSeconds(30)).until(() -> frames.size() >= 3 || !pusher.isAlive());
            assertThat(pusher.isAlive()).as("still sending when the third picture arrived").isTrue();
            pusher.join();
            await().atMost(Duration.ofSeconds(10)).until(() -> frames.size() >= 22);
        }
        assertThat(findings).as("no loss while streaming").isEmpty();
        VideoFrame f = frames.get(0);
        assertThat(f.cameraId()).isEqualTo("cam-1");
        assertThat(f.site()).isEqualTo(TestCameras.SITE);
        assertThat(f.width()).isEqualTo(160);
        assertThat(f.height()).isEqualTo(90);
        // 5 s at 10 fps in, thinned to 5 fps; the red box must be where it was drawn (x 10..40 of 320)
        assertThat(frames.size()).isBetween(22, 28);
        int red = (60 / 2 + 10) * 160 * 3 + (12 / 2 + 5) * 3;   // a pixel inside the box at half size
        assertThat(TestCameras.bgr(f)[red + 2] & 0xff).isGreaterThan(150);
        assertThat(frames).extracting(VideoFrame::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(count("safegrid.camera.frames.in", "cam-1")).isGreaterThanOrEqualTo(45);
        assertThat(count("safegrid.camera.frames.dropped", "cam-1")).isGreaterThanOrEqualTo(20);

        // the box has stopped sending: video loss within 10 s
        long stopped = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> !findings.isEmpty());
        assertThat((System.nanoTime() - stopped) / 1e9).isLessThan(10);
        Finding loss = findings.get(0);
        assertThat(loss.kind()).isEqualTo(FindingKind.VIDEO_LOSS);
        assertThat(loss.condition()).isEqualTo(Condition.ACTIVE);
        assertThat(loss.sourceId()).isEqualTo("cam-1");
        assertThat(loss.site()).isEqualTo(TestCameras.SITE);

        // it comes back: CLEARED, and frames flow again with stream time still rising
        double lastTime = frames.get(frames.size() - 1).streamTime();
        int before = frames.size();
        try (Socket s = new Socket("127.0.0.1", intake.pushPort())) {
            assertThat(TestCameras.handshake(s, PushHeader.line("cam-1", "s3cret", "mpegts"))).isEqualTo("OK");
            TestCameras.stream(s.getOutputStream(), 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> findings.size() >= 2);
        }
        assertThat(frames.size()).isGreaterThan(before);
        assertThat(frames.get(before).streamTime()).isGreaterThan(lastTime);
        assertThat(findings).extracting(Finding::condition).containsExactly(Condition.ACTIVE, Condition.CLEARED);
    }

    @Test
    void badHeadersAreRefusedWithAReasonAndCounted() throws Exception {
        start(TestCameras.config(List.of(TestCameras.push("cam-1"), TestCameras.pull("cam-2", "/nonexistent.ts")),
                Map.of("cam-1", new DeviceAccess("cam-1", "s3cret", null))));
        String[][] cases = {
                {PushHeader.line("cam-1", "wrong", "mpegts"), "token"},
                {PushHeader.line("cam-9", "s3cret", "mpegts"), "unknown camera"},
                {PushHeader.line("cam-2", "-", "mpegts"), "not configured for push"},
                {"GET / HTTP/1.1\n", "expected"},
                {PushHeader.line("cam-1", "s3cret", "flv"), "unsupported format"},
        };
        for (String[] c : cases) {
            try (Socket s = new Socket("127.0.0.1", intake.pushPort())) {
                assertThat(TestCameras.handshake(s, c[0])).startsWith("ERR").contains(c[1]);
                assertThat(s.getInputStream().read()).isEqualTo(-1);   // and closed
            }
        }
        assertThat(meters.find("safegrid.camera.push.rejected").counters().stream()
                .mapToDouble(x -> x.count()).sum()).isEqualTo(5.0);
        // garbage after a good header: the session fails cleanly, nothing published, the port still works
        try (Socket s = new Socket("127.0.0.1", intake.pushPort())) {
            assertThat(TestCameras.handshake(s, PushHeader.line("cam-1", "s3cret", "mpegts"))).isEqualTo("OK");
            s.getOutputStream().write(new byte[200_000]);
            s.getOutputStream().flush();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> count("safegrid.camera.decode.errors", "cam-1") >= 1);
        assertThat(frames).isEmpty();
        try (Socket s = new Socket("127.0.0.1", intake.pushPort())) {
            assertThat(TestCameras.handshake(s, PushHeader.line("cam-1", "s3cret", "mpegts"))).isEqualTo("OK");
        }
    }

    @Test
    void aCameraThatNeverSendsIsLostAndRemovingItEndsTheLoss(@TempDir Path dir) throws Exception {
        Path clip = TestCameras.clip(dir, 2);
        var config = new TestCameras.Reloadable(TestCameras.deployment(
                List.of(TestCameras.push("cam-quiet"), TestCameras.pull("cam-file", clip.toString())), Map.of()));
        start(config);
        await().atMost(Duration.ofSeconds(10)).until(() -> !findings.isEmpty());
        assertThat(findings).extracting(Finding::sourceId, Finding::condition)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cam-quiet", Condition.ACTIVE));
        assertThat(findings.get(0).message()).contains("since intake start");

        config.reload(TestCameras.deployment(List.of(TestCameras.pull("cam-file", clip.toString())), Map.of()));
        await().atMost(Duration.ofSeconds(30)).until(() -> findings.size() >= 2);
        assertThat(findings.get(1).condition()).isEqualTo(Condition.CLEARED);
        assertThat(findings.get(1).message()).contains("removed");
        assertThat(meters.find("safegrid.camera.up").tag("camera", "cam-quiet").gauge()).isNull();
        assertThat(meters.find("safegrid.camera.up").tag("camera", "cam-file").gauge()).isNotNull();
    }

    @Test
    void aFileIsPulledInRealTimeAndReplayed(@TempDir Path dir) throws Exception {
        Path clip = TestCameras.clip(dir, 2);
        start(TestCameras.config(List.of(TestCameras.pull("cam-3", clip.toString())), Map.of()));
        long t0 = System.nanoTime();
        // the clip is 2 s long: a picture 2.5 s into the camera's clock is the second play's
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.stream().anyMatch(f -> f.streamTime() > 2.5));
        // paced, not read flat out
        assertThat((System.nanoTime() - t0) / 1e9).isGreaterThan(2.3);
        assertThat(frames).allMatch(f -> f.cameraId().equals("cam-3") && f.width() == 160 && f.height() == 90);
        assertThat(frames).extracting(VideoFrame::streamTime).isSorted();
        assertThat(count("safegrid.camera.connects", "cam-3")).as("rewound in place, not reopened").isEqualTo(1);
        // replayed like a live camera: no hole at the loop (5 fps → a picture every 0.2 s)
        for (int i = 1; i < frames.size(); i++) {
            assertThat(frames.get(i).streamTime() - frames.get(i - 1).streamTime()).as("gap before frame %d", i)
                    .isLessThan(0.45);
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void onlyTheCamerasThisNodeRunsArePulledAndWatched(@TempDir Path dir) throws Exception {
        Path clip = TestCameras.clip(dir, 2);
        var config = TestCameras.config(List.of(TestCameras.push("cam-elsewhere"), TestCameras.pull("cam-a", clip.toString()),
                TestCameras.pull("cam-b", clip.toString())), Map.of());
        java.util.Set<String> mine = java.util.concurrent.ConcurrentHashMap.newKeySet();
        mine.add("cam-a");
        bus.subscribe(Topic.FRAMES, "test", (k, f) -> frames.add(TestCameras.kept(f)));
        bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
        loss = new io.safegrid.analytics.video.loss.VideoLossWatch(config, bus, Duration.ofSeconds(1)).start();
        intake = new CameraIntake(config, bus, meters, java.time.Clock.systemUTC(), Duration.ofMillis(200), Duration.ofSeconds(1));
        intake.runOnly(c -> mine.contains(c.id()));
        intake.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.stream().anyMatch(f -> f.cameraId().equals("cam-a")));
        Thread.sleep(2_500);
        assertThat(frames).allMatch(f -> f.cameraId().equals("cam-a"));
        // a PUSH camera whose box pushes to another node is not reported lost from here
        assertThat(findings).isEmpty();

        mine.clear();
        mine.add("cam-b");
        intake.ownershipChanged();
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.stream().anyMatch(f -> f.cameraId().equals("cam-b")));
        // what cam-a's decoder still held comes out for a while on a loaded machine; then nothing more does
        java.util.concurrent.atomic.AtomicLong seenA = new java.util.concurrent.atomic.AtomicLong(-1);
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(2)).until(() -> {
            long n = frames.stream().filter(f -> f.cameraId().equals("cam-a")).count();
            return seenA.getAndSet(n) == n;
        });
        long fromA = frames.stream().filter(f -> f.cameraId().equals("cam-a")).count();
        Thread.sleep(1_500);
        assertThat(frames.stream().filter(f -> f.cameraId().equals("cam-a")).count()).isEqualTo(fromA);
    }
}
