package io.safegrid.bus.inprocess;

import io.safegrid.model.bus.MessageHandler;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Urgency;
import io.safegrid.model.scheduling.ThreadPolicy;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * One subscribing group of a topic: a bounded queue and a consumer thread per partition, so one
 * key's messages are handled in order, one at a time, and a slow group holds back only its
 * publishers. Its threads run at the group's {@link Urgency}, as the node's {@link ThreadPolicy} says.
 */
final class ConsumerGroup<T> implements Subscription {
    private static final System.Logger LOG = System.getLogger(ConsumerGroup.class.getName());

    private final TopicPartitions<T> topic;
    private final String name;
    private final Urgency urgency;
    private final MessageHandler<? super T> handler;
    private final PartitionQueue<Envelope<T>>[] queues;
    private final Thread[] threads;
    private volatile boolean running = true;

    @SuppressWarnings("unchecked")
    ConsumerGroup(TopicPartitions<T> topic, String name, Urgency urgency, MessageHandler<? super T> handler) {
        this.topic = topic;
        this.name = name;
        this.urgency = urgency;
        this.handler = handler;
        this.queues = new PartitionQueue[topic.partitions];
        this.threads = new Thread[topic.partitions];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new PartitionQueue<>(topic.cap);
        }
    }

    /** Woken at every offer, whatever the publisher batches: the alarm path. */
    boolean wokenAtOnce() {
        return urgency.onAlarmPath();
    }

    PartitionQueue<Envelope<T>> queue(int partition) {
        return queues[partition];
    }

    long queued() {
        long n = 0;
        for (PartitionQueue<Envelope<T>> q : queues) {
            n += q.size();
        }
        return n;
    }

    void start(ThreadPolicy policy) {
        for (int i = 0; i < threads.length; i++) {
            int p = i;
            Thread t = new Thread(policy.at(urgency, () -> consume(p)), "bus-" + topic.topic.name() + "-" + name + "-" + p);
            t.setDaemon(true);
            threads[i] = t;
            t.start();
        }
    }

    private void consume(int p) {
        PartitionQueue<Envelope<T>> q = queues[p];
        TopicCounters counters = topic.counters;
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
            if (e.isMarker()) {
                e.reached().run();
                continue;
            }
            topic.wakeIfWritable(p);
            try {
                handler.handle(e.key(), e.message());
                counters.delivered.increment();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                counters.handlerErrors.increment();
                LOG.log(Level.WARNING, "handler of group " + name + " on " + topic.topic + " interrupted");
                return;
            } catch (Throwable t) {
                counters.handlerErrors.increment();
                LOG.log(Level.ERROR, "handler of group " + name + " on " + topic.topic + " failed for key " + e.key(), t);
            } finally {
                TopicPartitions.letGo(e);
            }
        }
    }

    /** A marker behind everything queued on each partition; {@code reached} runs as the consumer gets to each. */
    void mark(Runnable reached) {
        for (PartitionQueue<Envelope<T>> q : queues) {
            q.pushOver(Envelope.marker(reached));
        }
    }

    void stopAfterDrain() {
        running = false;
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

    /** What a consumer stopped at close left queued is let go, so no native frame outlives the group. */
    void letGoLeftovers() {
        for (PartitionQueue<Envelope<T>> q : queues) {
            for (Envelope<T> e = q.poll(); e != null; e = q.poll()) {
                TopicPartitions.letGo(e);
            }
        }
    }

    @Override
    public String group() {
        return name;
    }

    @Override
    public void close() {
        topic.groups.remove(this);
        stopAfterDrain();
        join(TimeUnit.SECONDS.toMillis(10));
        letGoLeftovers();
        for (int p = 0; p < queues.length; p++) {
            topic.writability.wake(p);
        }
    }
}
