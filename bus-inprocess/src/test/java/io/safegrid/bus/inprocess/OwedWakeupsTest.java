package io.safegrid.bus.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.model.bus.Topic;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OwedWakeupsTest {

    /** A consumer that parks for up to 30 s at a time and counts what it takes. */
    private static Thread consumer(PartitionQueue<String> q, AtomicInteger taken) {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    if (q.take(TimeUnit.SECONDS.toNanos(30), false) != null) {
                        taken.incrementAndGet();
                    }
                }
            } catch (InterruptedException e) {
                // the test is over
            }
        }, "owed-wakeups-consumer");
        t.setDaemon(true);
        t.start();
        await().atMost(Duration.ofSeconds(10)).until(q::consumerParked);
        return t;
    }

    /** {@code n} messages pushed as a publisher does, each owing the consumer a wake-up. */
    private static void pushOwing(PartitionQueue<String> q, OwedWakeups owed, int n) {
        for (int i = 0; i < n; i++) {
            assertThat(q.reserve(1)).isTrue();
            q.push("m" + i);
            owed.owe(q);
        }
    }

    @Test
    void aParkedConsumerIsWokenOnceAfterThePublishersTurnNotAtEachOffer() throws Exception {
        PartitionQueue<String> q = new PartitionQueue<>(1000);
        AtomicInteger taken = new AtomicInteger();
        Thread c = consumer(q, taken);
        List<Runnable> turnEnd = new ArrayList<>();
        pushOwing(q, new OwedWakeups(turnEnd::add), 10);
        assertThat(turnEnd).as("one wake-up task for the turn's ten offers").hasSize(1);
        Thread.sleep(200);
        assertThat(taken).as("nobody woke the consumer during the turn").hasValue(0);

        turnEnd.get(0).run();
        await().atMost(Duration.ofSeconds(10)).until(() -> taken.get() == 10);
        c.interrupt();
    }

    @Test
    void aLongTurnWakesTheConsumerAfterAtMostMaxHeldOffers() throws Exception {
        PartitionQueue<String> q = new PartitionQueue<>(1000);
        AtomicInteger taken = new AtomicInteger();
        Thread c = consumer(q, taken);
        List<Runnable> turnEnd = new ArrayList<>();
        pushOwing(q, new OwedWakeups(turnEnd::add), OwedWakeups.MAX_HELD);
        await().atMost(Duration.ofSeconds(10)).until(() -> taken.get() == OwedWakeups.MAX_HELD);
        assertThat(turnEnd).hasSize(1);   // still runs at the turn's end, harmlessly
        c.interrupt();
    }

    @Test
    void aPublisherThatBatchesItsWakeupsLosesNothingAndKeepsEachKeysOrder() throws Exception {
        InProcessBus bus = new InProcessBus(4, t -> 100_000);
        try {
            Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
            bus.subscribe(Topic.READINGS, "normal", (key, r) ->
                    seen.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add((int) r.value()));
            ExecutorService loop = Executors.newSingleThreadExecutor();   // an event loop: tasks after the current one
            loop.execute(() -> bus.wakeAfterTurn(loop));
            int keys = 50;
            int turns = 200;
            for (int turn = 0; turn < turns; turn++) {
                int n = turn;
                loop.execute(() -> {
                    for (int k = 0; k < keys; k++) {   // one small message from each of many connections in one turn
                        String key = "dev-" + k;
                        assertThat(bus.offer(Topic.READINGS, key, Reading.sample(key, GridPath.parse("a/b"), "m", n,
                                Instant.EPOCH.plusSeconds(n)))).isTrue();
                    }
                });
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.values().stream().mapToInt(List::size).sum() == keys * turns);
            for (List<Integer> values : seen.values()) {
                assertThat(values).isSorted().hasSize(turns);
            }
            loop.shutdown();
        } finally {
            bus.close();
        }
    }
}
