package io.safegrid.bus.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.model.bus.Overflow;
import io.safegrid.model.bus.Shared;
import io.safegrid.model.bus.Topic;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The bus's holds on messages that own native memory (frames): one per group queue, let go when the
 * handler returned, when the queue dropped the message, or when the bus closed with it still queued.
 */
class SharedMessagesTest {

    /** A message that counts its holders as a native frame does, and fails on a release without one. */
    static final class Held implements Shared {
        final AtomicInteger holders = new AtomicInteger(1);
        final AtomicInteger misuses = new AtomicInteger();

        @Override
        public void retain() {
            if (holders.getAndIncrement() <= 0) {
                misuses.incrementAndGet();
            }
        }

        @Override
        public void release() {
            if (holders.decrementAndGet() < 0) {
                misuses.incrementAndGet();
            }
        }
    }

    static final Topic<Held> FRAMES_LIKE = new Topic<>("held", Held.class, Overflow.DROP_OLDEST);

    @Test
    void eachGroupHoldsAMessageUntilItsHandlerReturnedAndAHandlerKeepsItOnlyByRetaining() throws Exception {
        List<Held> kept = new CopyOnWriteArrayList<>();
        try (InProcessBus bus = new InProcessBus(1, t -> 8)) {
            bus.subscribe(FRAMES_LIKE, "analysis", (k, m) -> {
            });
            bus.subscribe(FRAMES_LIKE, "live-view", (k, m) -> {
                m.retain();
                kept.add(m);
            });
            Held m = new Held();
            bus.offer(FRAMES_LIKE, "cam", m);
            assertThat(m.holders.get()).as("the publisher and two queues").isGreaterThanOrEqualTo(2);
            m.release();   // the publisher is done
            assertThat(bus.awaitDelivered(FRAMES_LIKE, Duration.ofSeconds(5))).isTrue();
            assertThat(m.holders.get()).as("only the live view's own hold").isEqualTo(1);
            kept.get(0).release();
            assertThat(m.holders.get()).isZero();
            assertThat(m.misuses.get()).isZero();
        }
    }

    @Test
    void aMessageDroppedUnderLoadIsLetGoAndTheRestOnceHandled() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        List<Held> all = new CopyOnWriteArrayList<>();
        InProcessBus bus = new InProcessBus(1, t -> 4);
        bus.subscribe(FRAMES_LIKE, "slow", (k, m) -> stuck.await());
        for (int i = 0; i < 50; i++) {
            Held m = new Held();
            all.add(m);
            bus.offer(FRAMES_LIKE, "cam", m);
            m.release();
        }
        assertThat(bus.stats().stream().filter(s -> s.topic().equals("held")).findFirst().orElseThrow().dropped())
                .as("the queue of 4 dropped the oldest").isGreaterThan(40);
        stuck.countDown();
        bus.close();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(all).allSatisfy(m -> assertThat(m.holders.get()).isZero()));
        assertThat(all).allSatisfy(m -> assertThat(m.misuses.get()).isZero());
    }

    @Test
    void withNobodySubscribedThePublishersReleaseFreesTheMessage() {
        try (InProcessBus bus = new InProcessBus()) {
            Held m = new Held();
            bus.offer(FRAMES_LIKE, "cam", m);
            m.release();
            assertThat(m.holders.get()).isZero();
        }
    }
}
