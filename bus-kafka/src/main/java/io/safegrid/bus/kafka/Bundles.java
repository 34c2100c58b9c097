package io.safegrid.bus.kafka;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One topic's messages gathered per partition into bundles, one Kafka record each, instead of one record
 * per message. A single-reading MQTT message is about 250 bytes of JSON; as a record of its own it costs
 * a producer append, a completion callback, the broker's per-record validation and a consumer record,
 * which together cost more CPU than the reading's way through ingest. A bundle is a record carrying
 * {@code key TAB message NEWLINE} lines (readable in {@code kafka-console-consumer}), marked with the
 * {@value #HEADER} header; the consumer hands each line to its handler with its own key.
 *
 * <p>Order: a key's partition is the one Kafka's default partitioner would pick for it (murmur2 of the key),
 * a bundle is filled and sent under its partition's lock, and the idempotent producer keeps a partition's
 * records in order, so a key's messages arrive in publish order, as with one record each. A bundle is sent
 * when it holds {@code maxBytes}, or {@code lingerNanos} after its first message ({@link #flushDue}, called by
 * the bus's flusher), or on close. Each message keeps its own number with its publishing thread's
 * {@link StoredTracker}: the broker's answer for the bundle answers every message in it, so
 * {@code whenStored} (a QoS 1 PUBACK) still waits for {@code acks=all} of that very message.
 */
final class Bundles {
    static final String HEADER = "safegrid-bundle";
    private static final Header[] MARK = {new RecordHeader(HEADER, new byte[] {1})};
    private static final Logger LOG = LoggerFactory.getLogger(Bundles.class);

    private final String kafkaTopic;
    private final KafkaProducer<String, byte[]> producer;
    private final SendWindow window;
    private final TopicCounters counters;
    private final Partition[] partitions;
    private final int maxBytes;
    private final long lingerNanos;

    Bundles(String kafkaTopic, int partitions, KafkaProducer<String, byte[]> producer, SendWindow window,
            TopicCounters counters, int maxBytes, long lingerNanos) {
        this.kafkaTopic = kafkaTopic;
        this.producer = producer;
        this.window = window;
        this.counters = counters;
        this.maxBytes = maxBytes;
        this.lingerNanos = lingerNanos;
        this.partitions = new Partition[partitions];
        for (int i = 0; i < partitions; i++) {
            this.partitions[i] = new Partition(i);
        }
    }

    /** Whether {@code key} can lead a bundle line: bundles carry keys that hold no separator. */
    static boolean bundles(String key) {
        return key != null && key.indexOf('\t') < 0 && key.indexOf('\n') < 0;
    }

    /** Adds one key's encoded messages, in order, numbered with {@code tracker}; room in the window is already taken. */
    void add(String key, List<byte[]> values, StoredTracker tracker) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        Partition p = partitions[Utils.toPositive(Utils.murmur2(k)) % partitions.length];
        synchronized (p) {
            for (byte[] v : values) {
                p.append(k, v, tracker, tracker.next());
            }
            if (p.out.size() >= maxBytes) {
                send(p);
            }
        }
    }

    /** Sends every bundle whose first message has waited {@code lingerNanos}. */
    void flushDue(long now) {
        for (Partition p : partitions) {
            synchronized (p) {
                if (p.count > 0 && now - p.since >= lingerNanos) {
                    send(p);
                }
            }
        }
    }

    /** Sends every bundle that holds anything. */
    void flushAll() {
        for (Partition p : partitions) {
            synchronized (p) {
                if (p.count > 0) {
                    send(p);
                }
            }
        }
    }

    /** Called holding {@code p}'s lock, so a partition's bundles reach the producer in the order they were filled. */
    private void send(Partition p) {
        byte[] value = p.out.toByteArray();
        StoredTracker[] trackers = Arrays.copyOf(p.trackers, p.count);
        long[] numbers = Arrays.copyOf(p.numbers, p.count);
        int count = p.count;
        long bytes = p.bytes;
        p.reset();
        try {
            producer.send(new ProducerRecord<>(kafkaTopic, p.id, null, null, value, Arrays.asList(MARK)), (meta, e) -> {
                window.release(count, bytes);
                for (int i = 0; i < count; i++) {
                    trackers[i].answer(numbers[i], e == null);
                }
                if (e != null) {
                    counters.sendFailures.increment(count);
                    LOG.error("Kafka did not take a bundle of {} messages of {} (partition {}): {}", count, kafkaTopic, p.id,
                            e.toString());
                }
            });
        } catch (RuntimeException e) {
            // the producer is closing or broken: these messages are answered as not stored
            window.release(count, bytes);
            for (int i = 0; i < count; i++) {
                trackers[i].refused(numbers[i]);
            }
            counters.sendFailures.increment(count);
            LOG.error("Kafka producer refused a bundle of {} messages of {}: {}", count, kafkaTopic, e.toString());
        }
    }

    /** One partition's bundle being filled. */
    private static final class Partition {
        final int id;
        final ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        StoredTracker[] trackers = new StoredTracker[64];
        long[] numbers = new long[64];
        int count;
        long bytes;
        long since;

        Partition(int id) {
            this.id = id;
        }

        void append(byte[] key, byte[] value, StoredTracker tracker, long n) {
            if (count == 0) {
                since = System.nanoTime();
            }
            if (count == trackers.length) {
                trackers = Arrays.copyOf(trackers, count * 2);
                numbers = Arrays.copyOf(numbers, count * 2);
            }
            trackers[count] = tracker;
            numbers[count] = n;
            count++;
            bytes += value.length;
            out.write(key, 0, key.length);
            out.write('\t');
            out.write(value, 0, value.length);
            out.write('\n');
        }

        void reset() {
            out.reset();
            Arrays.fill(trackers, 0, count, null);
            count = 0;
            bytes = 0;
        }
    }
}
