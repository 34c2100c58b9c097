package io.safegrid.bus.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.safegrid.model.bus.Topic;
import io.safegrid.model.bus.TopicStats;
import io.safegrid.model.bus.Urgency;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.scheduling.ThreadPolicy;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.video.VideoFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InProcessBusTest {
    private static final GridPath SITE = GridPath.parse("puxian/keliqiao/v3/coalmine-7");
    private InProcessBus bus;

    @AfterEach
    void close() {
        if (bus != null) {
            bus.close();
        }
    }

    private static Reading reading(String device, int n) {
        return Reading.sample(device, SITE, "methane", n, Instant.EPOCH.plusSeconds(n));
    }

    @Test
    void keepsOrderPerDeviceAcrossConcurrentPublishers() throws Exception {
        bus = new InProcessBus(4, t -> 64);
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        bus.subscribe(Topic.READINGS, "analytics", (key, r) ->
                seen.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add((int) r.value()));
        int devices = 20;
        int perDevice = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int d = 0; d < devices; d++) {
            String id = "dev-" + d;
            pool.submit(() -> {
                for (int i = 0; i < perDevice; i++) {
                    bus.publish(Topic.READINGS, id, reading(id, i));
                }
                return null;
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.values().stream().mapToInt(List::size).sum() == devices * perDevice);
        for (List<Integer> values : seen.values()) {
            assertThat(values).isSorted().hasSize(perDevice);
        }
        // a message counts as delivered once its handler returned, just after it added to what the test saw
        assertThat(bus.awaitDelivered(Topic.READINGS, Duration.ofSeconds(10))).isTrue();
        TopicStats stats = stats(Topic.READINGS);
        assertThat(stats.published()).isEqualTo((long) devices * perDevice);
        assertThat(stats.delivered()).isEqualTo((long) devices * perDevice);
        assertThat(stats.dropped()).isZero();
    }

    @Test
    void eachGroupsConsumersEnterItsUrgencyThroughTheNodesThreadPolicy() throws Exception {
        // a policy as the node's: urgent threads at the highest Java priority, the others at normal
        ThreadPolicy policy = u -> Thread.currentThread().setPriority(u == Urgency.URGENT ? Thread.MAX_PRIORITY : Thread.NORM_PRIORITY);
        bus = new InProcessBus(2, t -> 64, policy);
        Map<String, Integer> priorities = new ConcurrentHashMap<>();
        bus.subscribe(Topic.READINGS, "rules", Urgency.URGENT, (k, r) -> priorities.put("rules", Thread.currentThread().getPriority()));
        bus.subscribe(Topic.READINGS, "record", (k, r) -> priorities.put("record", Thread.currentThread().getPriority()));
        Thread.currentThread().setPriority(Thread.MIN_PRIORITY); // a consumer must not take the subscriber's
        try {
            bus.subscribe(Topic.READINGS, "console", (k, r) -> priorities.put("console", Thread.currentThread().getPriority()));
        } finally {
            Thread.currentThread().setPriority(Thread.NORM_PRIORITY);
        }
        bus.publish(Topic.READINGS, "dev-1", reading("dev-1", 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> priorities.size() == 3);
        assertThat(priorities).containsEntry("rules", Thread.MAX_PRIORITY)
                .containsEntry("record", Thread.NORM_PRIORITY).containsEntry("console", Thread.NORM_PRIORITY);
    }

    @Test
    void aBulkGroupThatNobodyWakesStillGetsEverythingInOrderAndDrainsAFullQueue() throws Exception {
        bus = new InProcessBus(1, t -> 16);
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe(Topic.READINGS, "record", Urgency.BULK, (k, r) -> seen.add((int) r.value()));
        // nobody wakes it: it finds the message when it looks again after its patience
        bus.publish(Topic.READINGS, "dev-1", reading("dev-1", 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
        // more than its queue holds: publishers are held back, never refused for good, nothing lost
        for (int i = 1; i <= 200; i++) {
            bus.publish(Topic.READINGS, "dev-1", reading("dev-1", i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 201);
        assertThat(seen).isSorted();
        assertThat(stats(Topic.READINGS).dropped()).isZero();
    }

    @Test
    void fullQueueRefusesOffersAndCallsBackWhenDrained() throws Exception {
        bus = new InProcessBus(1, t -> 4);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> got = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe(Topic.READINGS, "slow", (key, r) -> {
            release.await();
            got.add((int) r.value());
        });
        // one message is taken by the blocked consumer, four fill the queue
        int accepted = 0;
        for (int i = 0; i < 10 && bus.offer(Topic.READINGS, "d", reading("d", i)); i++) {
            accepted++;
            if (i == 0) {
                await().until(() -> stats(Topic.READINGS).queued() == 0);
            }
        }
        assertThat(accepted).isEqualTo(5);
        assertThat(stats(Topic.READINGS).refused()).isEqualTo(1);

        AtomicBoolean writable = new AtomicBoolean();
        bus.whenWritable(Topic.READINGS, "d", () -> writable.set(true));
        assertThat(writable).isFalse();
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).untilTrue(writable);
        await().until(() -> got.size() == 5);
        assertThat(got).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void blockingPublishWaitsForTheConsumerAndLosesNothing() throws Exception {
        bus = new InProcessBus(2, t -> 8);
        AtomicInteger handled = new AtomicInteger();
        bus.subscribe(Topic.READINGS, "slow", (key, r) -> {
            Thread.sleep(1);
            handled.incrementAndGet();
        });
        for (int i = 0; i < 300; i++) {
            bus.publish(Topic.READINGS, "d" + (i % 3), reading("d", i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() == 300);
        assertThat(stats(Topic.READINGS).refused()).isPositive();
        assertThat(stats(Topic.READINGS).dropped()).isZero();
    }

    @Test
    void offerAllIsAllOrNothing() {
        bus = new InProcessBus(1, t -> 4);
        CountDownLatch never = new CountDownLatch(1);
        bus.subscribe(Topic.READINGS, "stuck", (key, r) -> never.await());
        assertThat(bus.offer(Topic.READINGS, "d", reading("d", 0))).isTrue();
        await().until(() -> stats(Topic.READINGS).queued() == 0);
        assertThat(bus.offerAll(Topic.READINGS, "d", List.of(reading("d", 1), reading("d", 2), reading("d", 3)))).isTrue();
        assertThat(bus.offerAll(Topic.READINGS, "d", List.of(reading("d", 4), reading("d", 5)))).isFalse();
        assertThat(stats(Topic.READINGS).queued()).isEqualTo(3);
        never.countDown();
    }

    @Test
    void concurrentBatchesReachEveryGroupWholeOrNotAtAllAndNeverOverfillAQueue() throws Exception {
        int cap = 16;
        bus = new InProcessBus(1, t -> cap);
        Map<String, List<Integer>> fast = new ConcurrentHashMap<>();
        Map<String, List<Integer>> slow = new ConcurrentHashMap<>();
        AtomicInteger maxQueued = new AtomicInteger();
        bus.subscribe(Topic.READINGS, "fast", (key, r) ->
                fast.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add((int) r.value()));
        bus.subscribe(Topic.READINGS, "slow", (key, r) -> {
            maxQueued.accumulateAndGet((int) stats(Topic.READINGS).queued(), Math::max);
            if (r.value() % 7 == 0) {
                Thread.sleep(1);
            }
            slow.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add((int) r.value());
        });
        Map<String, List<Integer>> accepted = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            String id = "dev-" + t;
            pool.submit(() -> {
                List<Integer> mine = new ArrayList<>();
                int next = 0;
                for (int batch = 0; batch < 300; batch++) {
                    int size = 1 + batch % 5;
                    List<Reading> rs = new ArrayList<>();
                    for (int i = 0; i < size; i++) {
                        rs.add(reading(id, next + i));
                    }
                    // offered again until taken: a refused offer that left part of itself behind shows as a duplicate
                    while (!bus.offerAll(Topic.READINGS, id, rs)) {
                        Thread.onSpinWait();
                    }
                    for (int i = 0; i < size; i++) {
                        mine.add(next + i);
                    }
                    next += size;
                }
                accepted.put(id, mine);
                return null;
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        int total = accepted.values().stream().mapToInt(List::size).sum();
        await().atMost(Duration.ofSeconds(20)).until(() -> slow.values().stream().mapToInt(List::size).sum() == total
                && fast.values().stream().mapToInt(List::size).sum() == total);
        assertThat(fast).isEqualTo(accepted);
        assertThat(slow).as("each accepted batch reached both groups, in order, and no refused one did").isEqualTo(accepted);
        assertThat(stats(Topic.READINGS).refused()).as("the slow group filled up at times").isPositive();
        assertThat(maxQueued.get()).as("two queues of %d", cap).isLessThanOrEqualTo(2 * cap);
    }

    @Test
    void framesAreDroppedOldestFirstAndCounted() throws Exception {
        bus = new InProcessBus(1, t -> 2);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> got = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe(Topic.FRAMES, "video", (key, f) -> {
            release.await();
            got.add(f.sequence());
        });
        for (int i = 0; i < 10; i++) {
            assertThat(bus.offer(Topic.FRAMES, "cam", frame(i))).isTrue();
            if (i == 0) {
                await().until(() -> stats(Topic.FRAMES).queued() == 0);
            }
        }
        release.countDown();
        await().until(() -> got.size() == 3);
        assertThat(got).containsExactly(0L, 8L, 9L);
        assertThat(stats(Topic.FRAMES).dropped()).isEqualTo(7);
    }

    @Test
    void everyGroupGetsEveryMessage() {
        bus = new InProcessBus();
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        bus.subscribe(Topic.READINGS, "analytics", (k, r) -> a.incrementAndGet());
        bus.subscribe(Topic.READINGS, "record", (k, r) -> b.incrementAndGet());
        for (int i = 0; i < 100; i++) {
            assertThat(bus.offer(Topic.READINGS, "d" + i, reading("d" + i, i))).isTrue();
        }
        await().until(() -> a.get() == 100 && b.get() == 100);
    }

    @Test
    void aFailingHandlerIsCountedAndTheNextMessageFollows() {
        bus = new InProcessBus(1, t -> 16);
        List<Integer> got = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe(Topic.READINGS, "flaky", (k, r) -> {
            if (r.value() == 1) {
                throw new IllegalStateException("boom");
            }
            got.add((int) r.value());
        });
        for (int i = 0; i < 3; i++) {
            bus.offer(Topic.READINGS, "d", reading("d", i));
        }
        await().until(() -> got.size() == 2);
        assertThat(got).containsExactly(0, 2);
        assertThat(stats(Topic.READINGS).handlerErrors()).isEqualTo(1);
    }

    @Test
    void closeDeliversWhatIsQueuedThenRefusesPublishers() {
        bus = new InProcessBus(1, t -> 100);
        AtomicInteger got = new AtomicInteger();
        bus.subscribe(Topic.READINGS, "g", (k, r) -> {
            Thread.sleep(2);
            got.incrementAndGet();
        });
        for (int i = 0; i < 50; i++) {
            bus.offer(Topic.READINGS, "d", reading("d", i));
        }
        bus.close();
        assertThat(got.get()).isEqualTo(50);
        assertThatThrownBy(() -> bus.offer(Topic.READINGS, "d", reading("d", 99)))
                .isInstanceOf(IllegalStateException.class);
    }

    private static VideoFrame frame(long seq) {
        return new VideoFrame("cam", SITE, Instant.now(), seq, seq / 25.0, 2, 2, new byte[12]);
    }

    private TopicStats stats(Topic<?> topic) {
        return bus.stats().stream().filter(s -> s.topic().equals(topic.name())).findFirst().orElseThrow();
    }

    @Test
    void awaitDeliveredReturnsOnlyOnceEveryGroupHandledWhatWasPublishedBefore() throws Exception {
        bus = new InProcessBus(4, t -> 4096);
        AtomicInteger slow = new AtomicInteger();
        AtomicInteger fast = new AtomicInteger();
        CountDownLatch gate = new CountDownLatch(1);
        bus.subscribe(Topic.READINGS, "slow", (k, r) -> {
            gate.await();
            slow.incrementAndGet();
        });
        bus.subscribe(Topic.READINGS, "fast", (k, r) -> fast.incrementAndGet());
        for (int i = 0; i < 1000; i++) {
            bus.publish(Topic.READINGS, "dev-" + (i % 13), reading("dev-" + (i % 13), i));
        }
        assertThat(bus.awaitDelivered(Topic.READINGS, Duration.ofMillis(200))).as("one group is held up").isFalse();
        gate.countDown();
        assertThat(bus.awaitDelivered(Topic.READINGS, Duration.ofSeconds(10))).isTrue();
        assertThat(slow.get()).isEqualTo(1000);
        assertThat(fast.get()).isEqualTo(1000);
        assertThat(bus.awaitDelivered(Topic.FINDINGS, Duration.ofSeconds(1))).as("a topic nobody reads").isTrue();
    }
}
