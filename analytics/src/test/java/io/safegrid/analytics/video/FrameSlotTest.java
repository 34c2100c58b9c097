package io.safegrid.analytics.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FrameSlotTest {

    @Test
    void aCameraBehindIsAnalysedOnItsNewestFrameAndLosesOnlyItsOwnStaleOnes() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch busy = new CountDownLatch(1);
            List<Integer> slow = new CopyOnWriteArrayList<>();
            List<Integer> quiet = new CopyOnWriteArrayList<>();
            FrameSlot<Integer> busyCamera = new FrameSlot<>(pool, f -> {
                slow.add(f);
                try {
                    busy.await();   // analysis of this camera is stuck
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            FrameSlot<Integer> quietCamera = new FrameSlot<>(pool, quiet::add);
            busyCamera.offer(0);
            await().atMost(Duration.ofSeconds(30)).until(() -> slow.size() == 1);
            int replaced = 0;
            for (int i = 1; i <= 100; i++) {
                if (busyCamera.offer(i) != null) {
                    replaced++;
                }
            }
            for (int i = 0; i < 5; i++) {
                assertThat(quietCamera.offer(i)).isNull();
                int want = i + 1;
                await().atMost(Duration.ofSeconds(30)).until(() -> quiet.size() == want);
            }
            assertThat(quiet).containsExactly(0, 1, 2, 3, 4);   // the busy camera took none of its frames
            assertThat(replaced).isEqualTo(99);
            busy.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> slow.size() == 2);
            assertThat(slow).containsExactly(0, 100);   // the newest, not the oldest waiting
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCamerasFramesAreAnalysedOneAtATimeInOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<Integer> seen = new CopyOnWriteArrayList<>();
            FrameSlot<Integer> slot = new FrameSlot<>(pool, f -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                seen.add(f);
                running.decrementAndGet();
            });
            for (int i = 0; i < 20_000; i++) {
                slot.offer(i);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains(19_999));
            assertThat(most.get()).isEqualTo(1);
            for (int i = 1; i < seen.size(); i++) {
                assertThat(seen.get(i)).isGreaterThan(seen.get(i - 1));
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
