package io.safegrid.model.bus;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToIntFunction;

/**
 * The bus inside one JVM. Each topic is split into partitions by key hash, like a Kafka topic;
 * each subscribing group gets its own bounded queue and consumer thread per partition, so one
 * key's messages are handled in order and one slow group holds back only its publishers.
 *
 * <p>An {@link Urgency#IMMEDIATE} group has neither: the publisher runs its handler as part of an
 * offer that was taken, under a lock per partition.
 *
 * <p>Backpressure: an offer that does not fit every group's queue is refused whole, and the
 * publisher is called back through {@link #whenWritable} once the queues have drained to half.
 * A blocking {@link #publish} is built on the same two calls.
 */
public final class InProcessBus implements Bus {
    private static final System.Logger LOG = System.getLogger(InProcessBus.class.getName());

    private final int partitions;
    private final ToIntFunction<Topic<?>> capacity;
    private final Map<String, TopicState<?>> topics = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param partitions queues per topic and group; keys hash onto them
     * @param capacity   queue length per partition for each topic
     */
    public InProcessBus(int partitions, ToIntFunction<Topic<?>> capacity) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1");
        }
        this.partitions = partitions;
        this.capacity = capacity;
    }

    /** Defaults sized for one node: 4 partitions; 8 frames (about 2.8 MB at 640x360 in I420) or 4096 messages per queue. */
    public InProcessBus() {
        this(4, t -> t.overflow() == Overflow.DROP_OLDEST ? 8 : 4096);
    }

    @Override
    public <T> boolean offerAll(Topic<T> topic, String key, List<T> messages) {
        if (closed) {
            throw new IllegalStateException("bus is closed");
        }
        TopicState<T> state = state(topic);
        return state.offer(key, messages);
    }

    @Override
    public void whenWritable(Topic<?> topic, String key, Runnable callback) {
        TopicState<?> state = state(topic);
        int p = state.partitionOf(key);
        state.waiters[p].add(callback);
        if (state.writable(p)) {
            state.wakeWaiters(p);
        }
    }

    @Override
    public <T> Subscription subscribe(Topic<T> topic, String group, Urgency urgency, MessageHandler<? super T> handler) {
        if (closed) {
            throw new IllegalStateException("bus is closed");
        }
        TopicState<T> state = state(topic);
        if (state.groups.stream().anyMatch(x -> x.name.equals(group))
                || state.immediate.stream().anyMatch(x -> x.name.equals(group))) {
            throw new IllegalStateException("group '" + group + "' already subscribes to " + topic);
        }
        if (urgency == Urgency.IMMEDIATE) {
            Immediate<T> g = new Immediate<>(state, group, handler);
            state.immediate.add(g);
            return g;
        }
        Group<T> g = new Group<>(state, group, urgency, handler);
        state.groups.add(g);
        g.start();
        return g;
    }

    /**
     * A marker goes behind everything queued in each group's partition queue; once every consumer has
     * reached its marker, everything published before the call has been handled. Immediate groups
     * handled theirs inside the publisher's offer.
     */
    @Override
    public boolean awaitDelivered(Topic<?> topic, Duration timeout) throws InterruptedException {
        TopicState<?> state = state(topic);
        List<? extends Group<?>> groups = List.copyOf(state.groups);
        CountDownLatch reached = new CountDownLatch(groups.size() * partitions);
        for (Group<?> g : groups) {
            g.mark(reached::countDown);
        }
        return reached.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public List<TopicStats> stats() {
        List<TopicStats> out = new ArrayList<>();
        for (Topic<?> t : Topic.all()) {
            out.add(state(t).stats());
        }
        for (TopicState<?> s : topics.values()) {
            if (!Topic.all().contains(s.topic)) {
                out.add(s.stats());
            }
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        List<Group<?>> all = new ArrayList<>();
        for (TopicState<?> s : topics.values()) {
            all.addAll(s.groups);
        }
        for (Group<?> g : all) {
            g.stopAfterDrain();
        }
        for (Group<?> g : all) {
            g.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @SuppressWarnings("unchecked")
    private <T> TopicState<T> state(Topic<T> topic) {
        return (TopicState<T>) topics.computeIfAbsent(topic.name(), n -> new TopicState<>(topic));
    }

    /** A message, or a marker whose {@code reached} runs when the consumer gets to it (see {@link #awaitDelivered}). */
    private record Envelope<T>(String key, T message, Runnable reached) {
        Envelope(String key, T message) {
            this(key, message, null);
        }
    }

    /**
     * One group's queue on one partition: any number of publishers, one consumer thread. Bounded by
     * {@link #reserve}, which publishers call before they push, so a full queue refuses instead of
     * growing. The consumer parks only after announcing itself and looking once more, and a
     * publisher unparks it only when it announced itself: under load nobody parks and a message
     * costs no system call.
     */
    private static final class PartitionQueue<E> {
        private final java.util.concurrent.ConcurrentLinkedQueue<E> items = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final java.util.concurrent.atomic.AtomicInteger size = new java.util.concurrent.atomic.AtomicInteger();
        private final int cap;
        private volatile Thread parked;

        PartitionQueue(int cap) {
            this.cap = cap;
        }

        boolean reserve(int n) {
            while (true) {
                int s = size.get();
                if (s + n > cap) {
                    return false;
                }
                if (size.compareAndSet(s, s + n)) {
                    return true;
                }
            }
        }

        void unreserve(int n) {
            size.addAndGet(-n);
        }

        /** Only after {@link #reserve}. */
        void push(E e) {
            items.offer(e);
        }

        /** Past the bound: a marker is one element and must not be refused. */
        void pushOver(E e) {
            size.incrementAndGet();
            items.offer(e);
            signal();
        }

        void signal() {
            Thread t = parked;
            if (t != null) {
                java.util.concurrent.locks.LockSupport.unpark(t);
            }
        }

        E poll() {
            E e = items.poll();
            if (e != null) {
                size.decrementAndGet();
            }
            return e;
        }

        /**
         * The next message, or null after {@code timeoutNanos} without one. A {@code patient} consumer
         * does not announce itself, so no publisher wakes it: it looks again after its patience.
         */
        E take(long timeoutNanos, boolean patient) throws InterruptedException {
            E e = poll();
            if (e != null) {
                return e;
            }
            if (patient) {
                java.util.concurrent.locks.LockSupport.parkNanos(this, Math.min(timeoutNanos, Urgency.BULK_PATIENCE_NANOS));
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                return poll();
            }
            parked = Thread.currentThread();
            try {
                e = poll(); // a push between the first look and the announcement would not signal
                if (e == null) {
                    java.util.concurrent.locks.LockSupport.parkNanos(this, timeoutNanos);
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    e = poll();
                }
                return e;
            } finally {
                parked = null;
            }
        }

        int size() {
            return size.get();
        }

        boolean isEmpty() {
            return items.isEmpty();
        }
    }

    private final class TopicState<T> {
        final Topic<T> topic;
        final int cap;
        final int lowWater;
        final CopyOnWriteArrayList<Group<T>> groups = new CopyOnWriteArrayList<>();
        final CopyOnWriteArrayList<Immediate<T>> immediate = new CopyOnWriteArrayList<>();
        final ConcurrentLinkedQueue<Runnable>[] waiters;
        final LongAdder published = new LongAdder();
        final LongAdder delivered = new LongAdder();
        final LongAdder handlerErrors = new LongAdder();
        final LongAdder dropped = new LongAdder();
        final LongAdder refused = new LongAdder();
        final LongAdder unrouted = new LongAdder();

        @SuppressWarnings("unchecked")
        TopicState(Topic<T> topic) {
            this.topic = topic;
            this.cap = Math.max(1, capacity.applyAsInt(topic));
            this.lowWater = cap / 2;
            this.waiters = new ConcurrentLinkedQueue[partitions];
            for (int i = 0; i < partitions; i++) {
                waiters[i] = new ConcurrentLinkedQueue<>();
            }
        }

        int partitionOf(String key) {
            return key == null ? 0 : Math.floorMod(key.hashCode(), partitions);
        }

        /**
         * No lock: each group's queue reserves room for the whole list first (a CAS on its size), and
         * a group without room undoes the reservations already made, so the offer is still all or
         * nothing. A lock per partition here held both ingest event loops up whenever the thread
         * holding it was descheduled, which on two busy cores was 12 % of their time.
         */
        boolean offer(String key, List<T> messages) {
            if (messages.isEmpty()) {
                return true;
            }
            int p = partitionOf(key);
            int n = messages.size();
            if (topic.overflow() == Overflow.BLOCK && n > cap) {
                throw new IllegalArgumentException(n + " messages cannot fit a queue of " + cap);
            }
            @SuppressWarnings("unchecked")
            Group<T>[] gs = groups.toArray(new Group[0]); // one snapshot for both passes
            if (gs.length == 0 && immediate.isEmpty()) {
                unrouted.add(n);
                return true;
            }
            if (topic.overflow() == Overflow.BLOCK) {
                for (int i = 0; i < gs.length; i++) {
                    if (!gs[i].queues[p].reserve(n)) {
                        for (int j = 0; j < i; j++) {
                            gs[j].queues[p].unreserve(n);
                        }
                        refused.increment();
                        return false;
                    }
                }
                for (Group<T> g : gs) {
                    PartitionQueue<Envelope<T>> q = g.queues[p];
                    for (T m : messages) {
                        q.push(new Envelope<>(key, m));
                    }
                    q.signal();
                }
            } else {
                for (Group<T> g : gs) {
                    PartitionQueue<Envelope<T>> q = g.queues[p];
                    for (T m : messages) {
                        while (!q.reserve(1)) {
                            if (q.poll() != null) {
                                dropped.increment();
                            }
                        }
                        q.push(new Envelope<>(key, m));
                    }
                    q.signal();
                }
            }
            published.add(n);
            // only once the offer is taken: a refused one comes again, and must not be judged twice
            for (Immediate<T> g : immediate) {
                g.deliver(p, key, messages);
            }
            return true;
        }

        boolean writable(int p) {
            for (Group<T> g : groups) {
                if (g.queues[p].size() > lowWater) {
                    return false;
                }
            }
            return true;
        }

        void wakeWaiters(int p) {
            Runnable r;
            while ((r = waiters[p].poll()) != null) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "bus writability callback failed on " + topic, e);
                }
            }
        }

        TopicStats stats() {
            long queued = 0;
            for (Group<T> g : groups) {
                for (PartitionQueue<Envelope<T>> q : g.queues) {
                    queued += q.size();
                }
            }
            return new TopicStats(topic.name(), published.sum(), delivered.sum(), handlerErrors.sum(), dropped.sum(),
                    refused.sum(), unrouted.sum(), queued, (long) cap * partitions * groups.size());
        }
    }

    private final class Group<T> implements Subscription {
        final TopicState<T> state;
        final String name;
        final Urgency urgency;
        final MessageHandler<? super T> handler;
        final PartitionQueue<Envelope<T>>[] queues;
        final Thread[] threads;
        volatile boolean running = true;

        @SuppressWarnings("unchecked")
        Group(TopicState<T> state, String name, Urgency urgency, MessageHandler<? super T> handler) {
            this.state = state;
            this.name = name;
            this.urgency = urgency;
            this.handler = handler;
            this.queues = new PartitionQueue[partitions];
            this.threads = new Thread[partitions];
            for (int i = 0; i < partitions; i++) {
                queues[i] = new PartitionQueue<>(state.cap);
            }
        }

        void start() {
            for (int i = 0; i < partitions; i++) {
                int p = i;
                threads[i] = urgency.newThread(() -> consume(p), "bus-" + state.topic.name() + "-" + name + "-" + p);
                threads[i].start();
            }
        }

        private void consume(int p) {
            PartitionQueue<Envelope<T>> q = queues[p];
            while (running || !q.isEmpty()) {
                Envelope<T> e;
                try {
                    e = q.take(TimeUnit.MILLISECONDS.toNanos(100), urgency == Urgency.BULK);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (e == null) {
                    continue;
                }
                if (e.reached() != null) {
                    e.reached().run();
                    continue;
                }
                if (!state.waiters[p].isEmpty() && state.writable(p)) {
                    state.wakeWaiters(p);
                }
                try {
                    handler.handle(e.key(), e.message());
                    state.delivered.increment();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    state.handlerErrors.increment();
                    LOG.log(Level.WARNING, "handler of group " + name + " on " + state.topic + " interrupted");
                    return;
                } catch (Throwable t) {
                    state.handlerErrors.increment();
                    LOG.log(Level.ERROR, "handler of group " + name + " on " + state.topic + " failed for key "
                            + e.key(), t);
                }
            }
        }

        void stopAfterDrain() {
            running = false;
        }

        void mark(Runnable reached) {
            for (PartitionQueue<Envelope<T>> q : queues) {
                q.pushOver(new Envelope<>(null, null, reached));
            }
        }

        void join(long millis) {
            long deadline = System.currentTimeMillis() + millis;
            for (Thread t : threads) {
                try {
                    t.join(Math.max(1, deadline - System.currentTimeMillis()));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (t.isAlive()) {
                    t.interrupt();
                }
            }
        }

        @Override
        public String group() { return name; }

        @Override
        public void close() {
            state.groups.remove(this);
            stopAfterDrain();
            join(TimeUnit.SECONDS.toMillis(10));
            for (int p = 0; p < partitions; p++) {
                state.wakeWaiters(p);
            }
        }
    }

    /**
     * An {@link Urgency#IMMEDIATE} group: no queue and no thread; the publisher runs the handler after
     * its offer is taken, under the partition's lock, so one call runs at a time per partition (and
     * so per key) as with a consumer thread.
     */
    private final class Immediate<T> implements Subscription {
        final TopicState<T> state;
        final String name;
        final MessageHandler<? super T> handler;
        final Object[] locks = new Object[partitions];

        Immediate(TopicState<T> state, String name, MessageHandler<? super T> handler) {
            this.state = state;
            this.name = name;
            this.handler = handler;
            for (int i = 0; i < partitions; i++) {
                locks[i] = new Object();
            }
        }

        void deliver(int p, String key, List<T> messages) {
            synchronized (locks[p]) {
                for (T m : messages) {
                    try {
                        handler.handle(key, m);
                        state.delivered.increment();
                    } catch (InterruptedException ie) {
                        // the publisher is being stopped: it learns so at its next wait
                        Thread.currentThread().interrupt();
                        state.handlerErrors.increment();
                        LOG.log(Level.WARNING, "handler of group " + name + " on " + state.topic + " interrupted");
                    } catch (Throwable t) {
                        state.handlerErrors.increment();
                        LOG.log(Level.ERROR, "handler of group " + name + " on " + state.topic + " failed for key " + key, t);
                    }
                }
            }
        }

        @Override
        public String group() { return name; }

        @Override
        public void close() {
            state.immediate.remove(this);
        }
    }
}
