package io.safegrid.bus.inprocess;

import io.safegrid.model.bus.Overflow;
import io.safegrid.model.bus.Shared;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.bus.TopicStats;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One topic: its keys hashed onto partitions, the groups subscribed to it, and the all-or-nothing
 * offer over every group's queue of a partition.
 */
final class TopicPartitions<T> {
    final Topic<T> topic;
    final int partitions;
    final int cap;
    final int lowWater;
    final CopyOnWriteArrayList<ConsumerGroup<T>> groups = new CopyOnWriteArrayList<>();
    final Writability writability;
    final TopicCounters counters = new TopicCounters();

    TopicPartitions(Topic<T> topic, int partitions, int cap) {
        this.topic = topic;
        this.partitions = partitions;
        this.cap = Math.max(1, cap);
        this.lowWater = this.cap / 2;
        this.writability = new Writability(topic.name(), partitions);
    }

    int partitionOf(String key) {
        return key == null ? 0 : Math.floorMod(key.hashCode(), partitions);
    }

    /**
     * No lock: each group's queue reserves room for the whole list first (a CAS on its size), and a
     * group without room undoes the reservations already made, so the offer is still all or nothing.
     * A lock per partition here held both ingest event loops up whenever the thread holding it was
     * descheduled.
     */
    boolean offer(String key, List<T> messages, OwedWakeups owed) {
        if (messages.isEmpty()) {
            return true;
        }
        int p = partitionOf(key);
        int n = messages.size();
        if (topic.overflow() == Overflow.BLOCK && n > cap) {
            throw new IllegalArgumentException(n + " messages cannot fit a queue of " + cap);
        }
        @SuppressWarnings("unchecked")
        ConsumerGroup<T>[] gs = groups.toArray(new ConsumerGroup[0]); // one snapshot for both passes
        if (gs.length == 0) {
            counters.unrouted.add(n);
            return true;
        }
        if (topic.overflow() == Overflow.BLOCK) {
            for (int i = 0; i < gs.length; i++) {
                if (!gs[i].queue(p).reserve(n)) {
                    for (int j = 0; j < i; j++) {
                        gs[j].queue(p).unreserve(n);
                    }
                    counters.refused.increment();
                    return false;
                }
            }
            for (ConsumerGroup<T> g : gs) {
                PartitionQueue<Envelope<T>> q = g.queue(p);
                for (T m : messages) {
                    hold(m);
                    q.push(new Envelope<>(key, m));
                }
                wake(g, q, owed);
            }
        } else {
            for (ConsumerGroup<T> g : gs) {
                PartitionQueue<Envelope<T>> q = g.queue(p);
                for (T m : messages) {
                    while (!q.reserve(1)) {
                        Envelope<T> old = q.poll();
                        if (old != null) {
                            counters.dropped.increment();
                            letGo(old);
                        }
                    }
                    hold(m);
                    q.push(new Envelope<>(key, m));
                }
                wake(g, q, owed);
            }
        }
        counters.published.add(n);
        return true;
    }

    /** Wakes the group's consumer now, or after the publisher's turn when it batches its wake-ups. */
    private static void wake(ConsumerGroup<?> g, PartitionQueue<?> q, OwedWakeups owed) {
        if (owed == null || g.wokenAtOnce()) {
            q.signal();
        } else {
            owed.owe(q);
        }
    }

    /** A queue holds a {@link Shared} message (a native frame) until its handler returned or it is dropped. */
    static void hold(Object m) {
        if (m instanceof Shared s) {
            s.retain();
        }
    }

    /** The queue's hold on a message ends (handled, dropped, or left behind at close). */
    static void letGo(Envelope<?> e) {
        if (!e.isMarker() && e.message() instanceof Shared s) {
            s.release();
        }
    }

    /** Every group's queue of partition {@code p} is at or below the low-water mark. */
    boolean writable(int p) {
        for (ConsumerGroup<T> g : groups) {
            if (g.queue(p).size() > lowWater) {
                return false;
            }
        }
        return true;
    }

    /** Runs the partition's waiting publishers' callbacks if it has room. */
    void wakeIfWritable(int p) {
        if (writability.anyWaiting(p) && writable(p)) {
            writability.wake(p);
        }
    }

    TopicStats stats() {
        long queued = 0;
        for (ConsumerGroup<T> g : groups) {
            queued += g.queued();
        }
        TopicCounters c = counters;
        return new TopicStats(topic.name(), c.published.sum(), c.delivered.sum(), c.handlerErrors.sum(), c.dropped.sum(),
                c.refused.sum(), c.unrouted.sum(), queued, (long) cap * partitions * groups.size());
    }
}
