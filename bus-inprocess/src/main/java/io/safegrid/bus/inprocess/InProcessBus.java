package io.safegrid.bus.inprocess;

import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.MessageHandler;
import io.safegrid.model.bus.Overflow;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.bus.TopicStats;
import io.safegrid.model.bus.Urgency;
import io.safegrid.model.scheduling.ThreadPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * The bus inside one JVM. Each topic is split into partitions by key hash, like a Kafka topic
 * ({@link TopicPartitions}); each subscribing group gets its own bounded queue and consumer thread
 * per partition ({@link ConsumerGroup}, {@link PartitionQueue}).
 *
 * <p>Backpressure: an offer that does not fit every group's queue is refused whole, and the
 * publisher is called back through {@link #whenWritable} once the queues have drained to half
 * ({@link Writability}). A blocking {@link #publish} is built on the same two calls.
 */
public final class InProcessBus implements Bus {
    private final int partitions;
    private final ToIntFunction<Topic<?>> capacity;
    private final ThreadPolicy threads;
    private final Map<String, TopicPartitions<?>> topics = new ConcurrentHashMap<>();
    /** The publishing threads that batch their consumers' wake-ups ({@link #wakeAfterTurn}). */
    private final ThreadLocal<OwedWakeups> owedByThread = new ThreadLocal<>();
    private volatile boolean closed;

    /**
     * @param partitions queues per topic and group; keys hash onto them
     * @param capacity   queue length per partition for each topic
     * @param threads    how the consumers' threads are scheduled for their group's urgency
     */
    public InProcessBus(int partitions, ToIntFunction<Topic<?>> capacity, ThreadPolicy threads) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1");
        }
        this.partitions = partitions;
        this.capacity = capacity;
        this.threads = threads;
    }

    /** Consumer threads left as the JVM makes them. */
    public InProcessBus(int partitions, ToIntFunction<Topic<?>> capacity) {
        this(partitions, capacity, ThreadPolicy.NONE);
    }

    /** Defaults sized for one node: 4 partitions; 8 frames (about 2.8 MB at 640x360 in I420) or 4096 messages per queue. */
    public InProcessBus(ThreadPolicy threads) {
        this(4, InProcessBus::defaultCapacity, threads);
    }

    /** {@link #InProcessBus(ThreadPolicy)} with consumer threads left as the JVM makes them. */
    public InProcessBus() {
        this(ThreadPolicy.NONE);
    }

    private static int defaultCapacity(Topic<?> t) {
        return t.overflow() == Overflow.DROP_OLDEST ? 8 : 4096;
    }

    @Override
    public <T> boolean offerAll(Topic<T> topic, String key, List<T> messages) {
        if (closed) {
            throw new IllegalStateException("bus is closed");
        }
        return partitions(topic).offer(key, messages, owedByThread.get());
    }

    @Override
    public void wakeAfterTurn(Executor afterTurn) {
        owedByThread.set(new OwedWakeups(afterTurn));
    }

    @Override
    public void whenWritable(Topic<?> topic, String key, Runnable callback) {
        TopicPartitions<?> t = partitions(topic);
        int p = t.partitionOf(key);
        t.writability.add(p, callback);
        if (t.writable(p)) {
            t.writability.wake(p);
        }
    }

    @Override
    public <T> Subscription subscribe(Topic<T> topic, String group, Urgency urgency, MessageHandler<? super T> handler) {
        if (closed) {
            throw new IllegalStateException("bus is closed");
        }
        TopicPartitions<T> t = partitions(topic);
        if (t.groups.stream().anyMatch(x -> x.group().equals(group))) {
            throw new IllegalStateException("group '" + group + "' already subscribes to " + topic);
        }
        ConsumerGroup<T> g = new ConsumerGroup<>(t, group, urgency, handler);
        t.groups.add(g);
        g.start(threads);
        return g;
    }

    /**
     * A marker goes behind everything queued in each group's partition queue; once every consumer has
     * reached its marker, everything published before the call has been handled.
     */
    @Override
    public boolean awaitDelivered(Topic<?> topic, Duration timeout) throws InterruptedException {
        List<? extends ConsumerGroup<?>> groups = List.copyOf(partitions(topic).groups);
        CountDownLatch reached = new CountDownLatch(groups.size() * partitions);
        for (ConsumerGroup<?> g : groups) {
            g.mark(reached::countDown);
        }
        return reached.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public List<TopicStats> stats() {
        List<TopicStats> out = new ArrayList<>();
        for (Topic<?> t : Topic.all()) {
            out.add(partitions(t).stats());
        }
        for (TopicPartitions<?> s : topics.values()) {
            if (!Topic.all().contains(s.topic)) {
                out.add(s.stats());
            }
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        List<ConsumerGroup<?>> all = new ArrayList<>();
        for (TopicPartitions<?> s : topics.values()) {
            all.addAll(s.groups);
        }
        for (ConsumerGroup<?> g : all) {
            g.stopAfterDrain();
        }
        for (ConsumerGroup<?> g : all) {
            g.join(TimeUnit.SECONDS.toMillis(10));
            g.letGoLeftovers();
        }
    }

    @SuppressWarnings("unchecked")
    private <T> TopicPartitions<T> partitions(Topic<T> topic) {
        return (TopicPartitions<T>) topics.computeIfAbsent(topic.name(),
                n -> new TopicPartitions<>(topic, partitions, capacity.applyAsInt(topic)));
    }
}
