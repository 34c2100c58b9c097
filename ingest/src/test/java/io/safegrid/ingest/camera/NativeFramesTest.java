package io.safegrid.ingest.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.analytics.video.VideoAnalytics;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.video.VideoFrame;
import io.safegrid.picture.NativePixels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intake's frames are native pixels shared by every reader (analysis, and a viewer that keeps
 * each camera's latest picture as the console's live view does); once the cameras stop, none is
 * left: the gauge of live frames returns to zero, also for a camera dropped mid-stream.
 */
class NativeFramesTest {

    @Test
    void noFrameOutlivesItsCamerasAcrossAMidStreamRemovalAndTheStop(@TempDir Path dir) throws Exception {
        Path clip = TestCameras.clip(dir, 2);
        var config = new TestCameras.Reloadable(TestCameras.deployment(List.of(TestCameras.pull("cam-a", clip.toString()),
                TestCameras.pull("cam-b", clip.toString())), Map.of()));
        long misuses = NativePixels.misuses();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Map<String, VideoFrame> viewed = new ConcurrentHashMap<>();
        AtomicInteger nativeSeen = new AtomicInteger();
        try (InProcessBus bus = new InProcessBus();
             VideoAnalytics analytics = new VideoAnalytics(config, bus, meters);
             CameraIntake intake = new CameraIntake(config, bus, meters)) {
            bus.subscribe(Topic.FRAMES, "viewer", (k, f) -> {
                if (f.pixels() instanceof NativePixels) {
                    nativeSeen.incrementAndGet();
                }
                f.retain();
                VideoFrame old = viewed.put(f.cameraId(), f);
                if (old != null) {
                    old.release();
                }
            });
            analytics.start();
            intake.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> analysed(meters, "cam-b") >= 5);
            assertThat(nativeSeen.get()).as("stream frames come as native pixels").isPositive();
            assertThat(gauge(meters)).as("frames in flight and the viewer's").isBetween(2.0, 64.0);

            // cam-b leaves the deployment while it streams: its decoder stops, what it published is let go
            config.reload(TestCameras.deployment(List.of(TestCameras.pull("cam-a", clip.toString())), Map.of()));
            // a decode pool's turn under way when the session closed may still publish its picture
            java.util.concurrent.atomic.AtomicLong seenB = new java.util.concurrent.atomic.AtomicLong(-1);
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1)).until(() -> {
                long n = (long) published(meters, "cam-b");
                return seenB.getAndSet(n) == n;
            });
            double bAfter = published(meters, "cam-b");
            Thread.sleep(600);
            assertThat(published(meters, "cam-b")).isEqualTo(bAfter);
            VideoFrame b = viewed.remove("cam-b");
            b.release();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(gauge(meters))
                    .as("cam-a's frames and its viewed one; nothing of cam-b").isBetween(1.0, 32.0));
            double aBefore = analysed(meters, "cam-a");
            await().atMost(Duration.ofSeconds(30)).until(() -> analysed(meters, "cam-a") > aBefore + 3);
        } finally {
            viewed.values().forEach(VideoFrame::release);
        }
        assertThat(NativePixels.live()).as("every frame freed once the cameras stopped").isZero();
        assertThat(NativePixels.misuses()).as("none freed twice or read after its release").isEqualTo(misuses);
    }

    private static double gauge(SimpleMeterRegistry meters) {
        return meters.find("safegrid.video.frames.native").gauge().value();
    }

    private static double analysed(SimpleMeterRegistry meters, String camera) {
        var c = meters.find("safegrid.video.frames.analysed").tag("camera", camera).counter();
        return c == null ? 0 : c.count();
    }

    private static double published(SimpleMeterRegistry meters, String camera) {
        var c = meters.find("safegrid.camera.frames.published").tag("camera", camera).counter();
        return c == null ? 0 : c.count();
    }
}
