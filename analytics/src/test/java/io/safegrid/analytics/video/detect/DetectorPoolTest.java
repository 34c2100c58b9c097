package io.safegrid.analytics.video.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.analytics.video.Box;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** One slot shared by two cameras: the second one's pass is skipped and counted, not queued without end. */
class DetectorPoolTest {
    /** Holds its pass until released. */
    static final class Slow implements ObjectDetector {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String name() { return "slow"; }

        @Override
        public List<Sighting> detect(Mat bgr) {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(new Sighting(new Box(1, 2, 3, 4), "person", 0.9f));
        }

        @Override
        public void close() { }
    }

    @Test
    void aCameraFindingTheSlotBusyPastMaxWaitSkipsItsPassAndItIsCounted() throws Exception {
        Slow slow = new Slow();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (DetectorPool pool = new DetectorPool(slow, null, 1, 50, meters); Mat pic = new Mat(10, 10, CV_8UC3)) {
            Optional<List<Sighting>>[] first = new Optional[1];
            Thread camA = new Thread(() -> {
                try {
                    first[0] = pool.tryDetect(pic);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            camA.start();
            assertThat(slow.entered.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(pool.tryDetect(pic)).isEmpty();   // camera B: slot busy for longer than 50 ms
            assertThat(pool.skipped()).isEqualTo(1);
            assertThat(meters.get("safegrid.video.detector.skipped").tag("detector", "slow").counter().count()).isEqualTo(1);
            slow.release.countDown();
            camA.join(30_000);
            assertThat(first[0]).hasValueSatisfying(s -> assertThat(s).hasSize(1));
            assertThat(pool.tryDetect(pic)).isPresent();   // free again
            assertThat(meters.get("safegrid.video.detector.fallback").gauge().value()).isZero();
        }
    }

    @Test
    void theFallbackSaysWhy() {
        try (DetectorPool pool = new DetectorPool(new HogDetector(), "no model", 1, 0, new SimpleMeterRegistry())) {
            assertThat(pool.fallbackReason()).contains("no model");
        }
    }
}
