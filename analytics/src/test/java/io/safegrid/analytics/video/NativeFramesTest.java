package io.safegrid.analytics.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.video.VideoFrame;
import io.safegrid.picture.NativePixels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream frames reach analysis as native pixels read in place; every one is freed exactly once
 * whether it was analysed, dropped by the bus, or replaced in the camera's slot by a newer one.
 */
class NativeFramesTest {

    /** The frame as the intake makes it: pixels copied once into native memory, the maker its one holder. */
    static VideoFrame toNative(VideoFrame f) {
        NativePixels p = NativePixels.allocate(f.pixels().length());
        p.buffer().put(f.pixels().toArray());
        return new VideoFrame(f.cameraId(), f.site(), f.time(), f.sequence(), f.streamTime(), f.width(), f.height(),
                f.format(), p);
    }

    @Test
    void framesReplacedInTheSlotUnderLoadAndFramesAnalysedAreEachFreedOnce(@TempDir Path dir) throws Exception {
        Path clip = SyntheticClip.write(dir, "covered", 4, (f, t) -> {
            if (t >= 1 && t < 3) {
                f.put(new Scalar(10, 10, 10, 0));
            }
        });
        List<VideoFrame> heap = VideoAnalyticsTest.frames(clip, "cam-a", VideoFrame.Format.I420);
        long misuses = NativePixels.misuses();
        long before = NativePixels.live();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (InProcessBus bus = new InProcessBus(2, t -> 1000);
             VideoAnalytics analytics = new VideoAnalytics(VideoAnalyticsTest.config(
                     VideoAnalyticsTest.camera("cam-a", Set.of("tamper", "fire", "smoke", "intrusion"))), bus, meters)) {
            analytics.start();
            // three plays of the clip at once, each frame 0.2 s of stream apart (all due): the bus thread fills
            // the slot far faster than analysis empties it, so newer frames replace waiting ones
            double t = 0;
            for (int play = 0; play < 3; play++) {
                for (VideoFrame h : heap) {
                    VideoFrame f = toNative(new VideoFrame(h.cameraId(), h.site(), h.time(), (long) (t * 5), t,
                            h.width(), h.height(), h.format(), h.pixels()));
                    t += 0.2;
                    bus.offer(Topic.FRAMES, "cam-a", f);
                    f.release();
                }
            }
            assertThat(NativePixels.live()).as("frames held by the bus and the slot").isGreaterThan(before);
            assertThat(bus.awaitDelivered(Topic.FRAMES, Duration.ofSeconds(20))).isTrue();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                    count(meters, "safegrid.video.frames.analysed") + count(meters, "safegrid.video.frames.dropped", "slot"))
                    .isEqualTo(heap.size() * 3.0));
            assertThat(count(meters, "safegrid.video.frames.dropped", "slot")).as("slot overwrites happened").isPositive();
            assertThat(count(meters, "safegrid.video.frames.analysed")).isPositive();
        }
        assertThat(NativePixels.live()).as("every frame freed").isEqualTo(before);
        assertThat(NativePixels.misuses()).as("none freed twice or read after").isEqualTo(misuses);
    }

    private static double count(SimpleMeterRegistry meters, String name) {
        return meters.find(name).tag("camera", "cam-a").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static double count(SimpleMeterRegistry meters, String name, String reason) {
        return meters.find(name).tag("camera", "cam-a").tag("reason", reason).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }
}
