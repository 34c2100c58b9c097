package io.safegrid.bus.kafka;

import io.safegrid.bus.kafka.codec.BadMessageException;
import io.safegrid.bus.kafka.codec.MessageCodec;
import io.safegrid.model.bus.MessageHandler;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Urgency;
import io.safegrid.model.scheduling.ThreadPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group's subscription to one Kafka topic on this node: a consumer in that Kafka consumer
 * group and the thread that polls it. Records are handled one at a time in partition order (a bundle's
 * messages in their order within it, see {@link Bundles}), so a key's messages are handled in publish order; offsets are committed only after the handler
 * returned, at most every 100 ms while busy (at least once: a node that dies mid-batch has its
 * uncommitted records handled again by whoever takes its partitions).
 */
final class GroupConsumer<T> implements Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(GroupConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration COMMIT_EVERY = Duration.ofMillis(100);

    private final String group;
    private final String kafkaTopic;
    private final MessageCodec<T> codec;
    private final MessageHandler<? super T> handler;
    private final TopicCounters counters;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    private final Runnable onClose;
    private volatile boolean running = true;
    private long lastCommit = System.nanoTime();

    GroupConsumer(String group, Urgency urgency, ThreadPolicy threads, String kafkaTopic, Properties props, MessageCodec<T> codec,
                  MessageHandler<? super T> handler, TopicCounters counters, Runnable onClose) {
        this.group = group;
        this.kafkaTopic = kafkaTopic;
        this.codec = codec;
        this.handler = handler;
        this.counters = counters;
        this.onClose = onClose;
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(threads.at(urgency, this::loop), "bus-kafka-" + kafkaTopic + "-" + group);
        thread.setDaemon(true);
    }

    void start() {
        consumer.subscribe(List.of(kafkaTopic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // give away only what was handled: the next owner starts right after it
                commitSync();
                LOG.info("group {} on {}: partitions {} revoked", group, kafkaTopic, partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    LOG.info("group {} on {}: partitions {} assigned", group, kafkaTopic, partitions);
                }
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                uncommitted.keySet().removeAll(partitions);
                LOG.warn("group {} on {}: partitions {} lost (this node was out of the group too long);"
                        + " their last records will be handled again elsewhere", group, kafkaTopic, partitions);
            }
        });
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(POLL);
                } catch (WakeupException e) {
                    continue;   // close() woke us; running tells
                }
                for (TopicPartition tp : records.partitions()) {
                    long next = -1;
                    for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
                        if (!handle(r)) {
                            if (next >= 0) {
                                uncommitted.put(tp, new OffsetAndMetadata(next));
                            }
                            return;
                        }
                        next = r.offset() + 1;
                    }
                    uncommitted.put(tp, new OffsetAndMetadata(next));
                }
                // Every commit is an append to __consumer_offsets on the broker; at a few thousand records/s a
                // commit per poll is hundreds a second. Committing at most every COMMIT_EVERY (and at once when
                // idle, on revocation and on close) redelivers at most that much after a crash: still at least once.
                long now = System.nanoTime();
                if (records.isEmpty() || now - lastCommit >= COMMIT_EVERY.toNanos()) {
                    commitAsync();
                    lastCommit = now;
                }
            }
        } catch (KafkaException e) {
            if (running) {
                LOG.error("group {} on {}: consumer failed, stopping this subscription", group, kafkaTopic, e);
            }
        } finally {
            try {
                commitSync();
            } finally {
                consumer.close(Duration.ofSeconds(5));
                LOG.info("group {} on {}: stopped", group, kafkaTopic);
            }
        }
    }

    /** False when the handler was interrupted: the node is stopping. */
    private boolean handle(ConsumerRecord<String, byte[]> r) {
        if (r.value() != null && r.headers().lastHeader(Bundles.HEADER) != null) {
            return handleBundle(r);
        }
        return handle(r, r.key(), r.value(), 0, r.value() == null ? 0 : r.value().length);
    }

    /**
     * Each {@code key TAB message} line of a bundle in turn. Interrupted halfway, the whole bundle is handled
     * again by whoever resumes at its offset: at least once, as for single records.
     */
    private boolean handleBundle(ConsumerRecord<String, byte[]> r) {
        byte[] v = r.value();
        int line = 0;
        while (line < v.length) {
            int tab = line;
            while (tab < v.length && v[tab] != '\t' && v[tab] != '\n') {
                tab++;
            }
            int end = tab;
            while (end < v.length && v[end] != '\n') {
                end++;
            }
            if (tab >= end) {
                counters.badRecords.increment();
                LOG.warn("group {} on {}: skipped a bundle line without a key in {}-{}@{}", group, kafkaTopic, r.topic(),
                        r.partition(), r.offset());
            } else if (!handle(r, new String(v, line, tab - line, StandardCharsets.UTF_8), v, tab + 1, end - tab - 1)) {
                return false;
            }
            line = end + 1;
        }
        return true;
    }

    private boolean handle(ConsumerRecord<String, byte[]> r, String key, byte[] bytes, int offset, int length) {
        T message;
        try {
            message = bytes == null ? codec.decode(null) : codec.decode(bytes, offset, length);
        } catch (BadMessageException e) {
            counters.badRecords.increment();
            LOG.warn("group {} on {}: skipped record {}-{}@{} (key {}): {}", group, kafkaTopic, r.topic(), r.partition(),
                    r.offset(), key, e.getMessage());
            return true;
        }
        try {
            handler.handle(key, message);
            counters.delivered.increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            counters.handlerErrors.increment();
            LOG.warn("handler of group {} on {} interrupted; record {}@{} will be handled again", group, kafkaTopic,
                    r.partition(), r.offset());
            return false;
        } catch (Throwable t) {
            counters.handlerErrors.increment();
            LOG.error("handler of group {} on {} failed for key {}", group, kafkaTopic, key, t);
        }
        return true;
    }

    private void commitAsync() {
        if (uncommitted.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> batch = new HashMap<>(uncommitted);
        uncommitted.clear();
        consumer.commitAsync(batch, (offsets, e) -> {
            if (e != null) {
                // a later commit covers these offsets; at worst they are handled again after a rebalance
                LOG.warn("group {} on {}: offset commit failed: {}", group, kafkaTopic, e.toString());
            }
        });
    }

    private void commitSync() {
        if (uncommitted.isEmpty()) {
            return;
        }
        try {
            try {
                consumer.commitSync(new HashMap<>(uncommitted), Duration.ofSeconds(5));
            } catch (WakeupException e) {
                // close() woke a consumer that was not polling; the wake-up is spent now, so try again
                consumer.commitSync(new HashMap<>(uncommitted), Duration.ofSeconds(5));
            }
            uncommitted.clear();
        } catch (KafkaException e) {
            LOG.warn("group {} on {}: final offset commit failed, records since the last commit will be handled again: {}",
                    group, kafkaTopic, e.toString());
        }
    }

    @Override
    public String group() { return group; }

    /** Stops after the record in hand, commits what was handled, and leaves the group at once. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(Duration.ofSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                thread.interrupt();
            }
        }
        onClose.run();
    }
}
