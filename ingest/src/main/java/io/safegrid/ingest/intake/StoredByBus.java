package io.safegrid.ingest.intake;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.reading.Reading;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges once the bus itself has stored the readings — Kafka's {@code acks=all} — instead of a
 * local journal. The bus answers on its own thread, for many messages at once when a batch of records
 * is stored; the acknowledgements go back to each channel's event loop in the order they were asked
 * for, all that are ready in one task per event loop rather than one task (and one wake-up) each. A
 * reading the broker could not store gets the protocol's refusal instead, so the device sends it again.
 */
public final class StoredByBus implements Acknowledger {
    private static final Logger LOG = LoggerFactory.getLogger(StoredByBus.class);
    private final Bus bus;
    private final Map<EventLoop, Answers> loops = new ConcurrentHashMap<>();

    public StoredByBus(Bus bus) {
        this.bus = bus;
    }

    @Override
    public void after(Channel channel, List<Reading> readings, Runnable ack, Consumer<Refusal> refused) {
        Answers answers = loops.computeIfAbsent(channel.eventLoop(), Answers::new);
        bus.whenStored(() -> answers.add(ack), () -> {
            LOG.error("The bus could not store readings from {}; refused", channel.remoteAddress());
            answers.add(() -> refused.accept(new Refusal(Refusal.NOT_STORED,
                    "the bus could not store the readings; send them again")));
        });
    }

    /**
     * One event loop's answers waiting to run there, in the order the bus gave them (the bus answers a
     * publishing thread's waiters in order, and a channel publishes only from its own loop).
     */
    private static final class Answers implements Runnable {
        private final EventLoop loop;
        private final Queue<Runnable> ready = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Answers(EventLoop loop) {
            this.loop = loop;
        }

        void add(Runnable answer) {
            ready.add(answer);
            if (scheduled.compareAndSet(false, true)) {
                loop.execute(this);
            }
        }

        @Override
        public void run() {
            scheduled.set(false);
            Runnable r;
            while ((r = ready.poll()) != null) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.warn("an acknowledgement failed", e);
                }
            }
        }
    }
}
