package io.safegrid.bench.kafkaload;

import io.safegrid.node.load.LoadFleet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the readings topic as a consumer of the bus would, but without decoding readings into objects, so
 * that checking every reading costs this bench little CPU next to the node and the broker it measures: each
 * reading's device (from its key) and its sequence number (the {@code "value"} of its JSON, as
 * {@link PublishPump} sent it) are read straight from the record's bytes, in a bus bundle ({@code key TAB
 * JSON} lines) or a record of its own. Counts what arrived, and what arrived out of a device's order or twice
 * (a sequence number not above the device's last), and the latency from the PUBLISH to here.
 *
 * <p>One thread, one {@link KafkaConsumer} assigned every partition from the beginning (no group: nothing
 * to coordinate); {@code -Dsafegrid.bench.tally.<consumer property>=…} changes a consumer setting.
 */
public final class ReadingTally implements AutoCloseable {
    /** The bus's mark on a record that carries a bundle of lines (bus-kafka's {@code Bundles.HEADER}). */
    private static final String BUNDLE = "safegrid-bundle";
    private static final byte[] VALUE = "\"value\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final PublishPump pump;
    private final int prefixLength;
    private final long[] last;
    private final Recorder latency = new Recorder(3_600_000_000L, 3);
    private final Thread thread;
    private volatile long consumed;
    private volatile long outOfOrder;
    private volatile long unreadable;
    private volatile boolean closed;

    public ReadingTally(String bootstrap, String topic, LoadFleet fleet, PublishPump pump) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "reading-tally");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // fewer, fuller fetches: each fetch costs the broker and this thread a request whatever it carries
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        String prefix = "safegrid.bench.tally.";
        System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith(prefix))
                .forEach(n -> p.put(n.substring(prefix.length()), System.getProperty(n)));
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        this.pump = pump;
        this.prefixLength = fleet.prefix().length();
        this.last = new long[fleet.devices()];
        Arrays.fill(last, -1);
        thread = new Thread(this::consume, "reading-tally");
        thread.setDaemon(true);
        thread.start();
    }

    /** Readings read so far. */
    public long consumed() { return consumed; }

    /** Readings whose number was not above their device's last: out of order or a second time. */
    public long outOfOrder() { return outOfOrder; }

    /** Lines or records that were not a reading of the fleet with a number. */
    public long unreadable() { return unreadable; }

    /** Latency PUBLISH → here since the last call. */
    public Histogram latencySinceLast() { return latency.getIntervalHistogram(); }

    private void consume() {
        try {
            while (!closed) {
                long n = 0;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    byte[] v = r.value();
                    n += r.headers().lastHeader(BUNDLE) != null ? bundle(v) : (reading(r.key(), 0, r.key().length, v, 0, v.length) ? 1 : 0);
                }
                if (n > 0) {
                    consumed += n;
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** The readings of one bundle's {@code key TAB JSON NEWLINE} lines; how many. */
    private long bundle(byte[] b) {
        long n = 0;
        int i = 0;
        while (i < b.length) {
            int tab = indexOf(b, (byte) '\t', i, b.length);
            int end = indexOf(b, (byte) '\n', tab + 1, b.length);
            if (tab < 0 || end < 0) {
                unreadable++;
                return n;
            }
            if (reading(b, i, tab, b, tab + 1, end)) {
                n++;
            }
            i = end + 1;
        }
        return n;
    }

    /** One reading: key bytes {@code [ks, ke)}, JSON bytes {@code [js, je)}. */
    private boolean reading(byte[] key, int ks, int ke, byte[] json, int js, int je) {
        int device = 0;
        for (int i = ks + prefixLength; i < ke; i++) {
            device = device * 10 + (key[i] - '0');
        }
        device--;
        int at = find(json, js, je);
        if (device < 0 || device >= last.length || at < 0) {
            unreadable++;
            return false;
        }
        long seq = number(json, at, je);
        if (seq <= last[device]) {
            outOfOrder++;
        } else {
            last[device] = seq;
        }
        long micros = (System.nanoTime() - pump.sentAt(seq)) / 1000;
        latency.recordValue(Math.max(0, Math.min(micros, 3_600_000_000L)));
        return true;
    }

    /** Where the number after {@code "value":} starts, or -1. */
    private static int find(byte[] b, int from, int to) {
        outer:
        for (int i = from; i + VALUE.length <= to; i++) {
            for (int j = 0; j < VALUE.length; j++) {
                if (b[i + j] != VALUE[j]) {
                    continue outer;
                }
            }
            return i + VALUE.length;
        }
        return -1;
    }

    /**
     * The whole number written as Java writes a double ({@code 1234567.0}, {@code 1.2345678E7}): the digits as
     * one number, scaled by the exponent less the digits after the point.
     */
    static long number(byte[] b, int at, int to) {
        long m = 0;
        int fraction = -1;
        int exp = 0;
        int i = at;
        for (; i < to; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                m = m * 10 + (c - '0');
                if (fraction >= 0) {
                    fraction++;
                }
            } else if (c == '.') {
                fraction = 0;
            } else {
                break;
            }
        }
        if (i < to && (b[i] == 'E' || b[i] == 'e')) {
            for (i++; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
                exp = exp * 10 + (b[i] - '0');
            }
        }
        int shift = exp - Math.max(0, fraction);
        for (; shift > 0; shift--) {
            m *= 10;
        }
        for (; shift < 0; shift++) {
            m /= 10;
        }
        return m;
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Consumer settings for a log line. */
    public static Map<String, String> overrides() {
        Map<String, String> out = new java.util.TreeMap<>();
        System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("safegrid.bench.tally."))
                .forEach(n -> out.put(n, System.getProperty(n)));
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        consumer.wakeup();
        thread.join(5000);
    }
}
