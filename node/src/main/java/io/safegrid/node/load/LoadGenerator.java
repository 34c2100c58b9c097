package io.safegrid.node.load;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a target with readings from a {@link LoadFleet} at a fixed total rate, over MQTT, HJ 212
 * or HTTP, and measures what got through. Each reading's value is its sequence number, so a bus
 * subscriber in the same process can hand readings back through {@link #observe(double)} and the
 * latency becomes send → on the bus; otherwise it is send → acknowledgement (MQTT PUBACK at QoS 1,
 * HTTP response, HJ 212 9014). HJ 212 sends one reading per frame (batch is ignored there).
 */
public final class LoadGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);
    private static final int RING = 1 << 20;
    /** Messages sent but not yet acknowledged (or seen on the bus) before the sender waits. */
    static final int MAX_IN_FLIGHT = 1000;
    /** Pacing granularity: messages due within this much of now go out together. */
    static final long TICK_NANOS = 1_000_000;

    public enum Kind { MQTT, HJ212, HTTP }

    /**
     * @param rate  total readings per second over all devices
     * @param batch readings per message (MQTT, HTTP)
     * @param qos   MQTT QoS, 0 or 1
     */
    public record Options(Kind kind, String host, int port, LoadFleet fleet, double rate, Duration duration, int batch,
                          int qos) {
        public Options {
            if (rate <= 0 || batch < 1 || fleet.devices() < 1) {
                throw new IllegalArgumentException("rate, batch and devices must be positive");
            }
        }
    }

    /** One protocol's connections. */
    interface Transport extends AutoCloseable {
        void connect() throws Exception;

        boolean writable(int device);

        void send(int device, long firstSeq, int count, long sendNanos);

        /** Pushes out whatever {@link #send} left buffered; called before the sender waits or stops. */
        default void flush() {
        }

        @Override
        void close();
    }

    private final Options options;
    private final boolean onBus;
    private final AtomicLongArray sentAt = new AtomicLongArray(RING);
    private final Recorder recorder = new Recorder(3_600_000_000L, 3);
    private final LongAdder completed = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private long sent;

    private LoadGenerator(Options options, boolean onBus) {
        this.options = options;
        this.onBus = onBus;
    }

    /** Latency to the target's acknowledgement. */
    public static LoadGenerator acked(Options options) { return new LoadGenerator(options, false); }

    /** Latency to the bus: the caller subscribes and calls {@link #observe(double)} for each reading. */
    public static LoadGenerator observedOnBus(Options options) { return new LoadGenerator(options, true); }

    /** A reading of this run reached the bus; {@code value} is its sequence number. */
    public void observe(double value) {
        if (onBus) {
            long seq = (long) value;
            record(sentAt.get((int) (seq & (RING - 1))), 1);
        }
    }

    /** Called by transports when the target acknowledged {@code count} readings sent at {@code sendNanos}. */
    void acked(long sendNanos, int count) {
        if (!onBus) {
            record(sendNanos, count);
        }
    }

    /** The sending time of a reading by sequence number (for transports whose acks carry it). */
    long sentAt(long seq) { return sentAt.get((int) (seq & (RING - 1))); }

    void failed(int count) { errors.add(count); }

    private void record(long sendNanos, int count) {
        long micros = Math.max(0, (System.nanoTime() - sendNanos) / 1000);
        recorder.recordValueWithCount(Math.min(micros, 3_600_000_000L), count);
        completed.add(count);
    }

    public LoadResult run() throws Exception {
        Options o = options;
        try (Transport t = switch (o.kind()) {
            case MQTT -> new MqttTransport(o, this);
            case HJ212 -> new Hj212Transport(o, this);
            case HTTP -> new HttpTransport(o, this);
        }) {
            t.connect();
            int batch = o.kind() == Kind.HJ212 ? 1 : o.batch();
            boolean noAcks = !onBus && o.kind() == Kind.MQTT && o.qos() == 0;
            long interval = (long) (batch * 1e9 / o.rate());
            long start = System.nanoTime();
            long end = start + o.duration().toNanos();
            int devices = o.fleet().devices();
            long seq = 0;
            for (long k = 0; ; k++) {
                long target = start + k * interval;
                if (target >= end || System.nanoTime() >= end) {
                    break;
                }
                long now = System.nanoTime();
                // up to a tick ahead of schedule is sent at once: a sleep per message (15,000 a second)
                // cost this generator, and the node sharing its cores, more than the messages did
                if (target - now > TICK_NANOS) {
                    t.flush();   // ahead of schedule: nothing sent waits in a buffer while we sleep
                    while ((now = System.nanoTime()) < target) {
                        LockSupport.parkNanos(Math.min(target - now, 2 * TICK_NANOS));
                    }
                }
                int d = (int) (k % devices);
                // closed loop when the target falls behind: latency then measures the target, not our queue
                if (!t.writable(d) || (!noAcks && seq - completed.sum() - errors.sum() > (long) MAX_IN_FLIGHT * batch)) {
                    t.flush();
                    while (!t.writable(d) || (!noAcks && seq - completed.sum() - errors.sum() > (long) MAX_IN_FLIGHT * batch)) {
                        LockSupport.parkNanos(50_000);
                    }
                }
                for (int j = 0; j < batch; j++) {
                    sentAt.set((int) ((seq + j) & (RING - 1)), now);
                }
                t.send(d, seq, batch, now);
                if (noAcks) {
                    completed.add(batch);
                }
                seq += batch;
            }
            t.flush();
            sent = seq;
            long drainUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (completed.sum() + errors.sum() < sent && System.nanoTime() < drainUntil) {
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Histogram h = recorder.getIntervalHistogram();
            LoadResult r = new LoadResult(o.kind().name().toLowerCase(), onBus ? "bus" : (noAcks ? "(QoS 0: no ack)" : "ack"),
                    sent, completed.sum(), errors.sum(), seconds, h);
            LOG.info("{}", r.summary());
            return r;
        }
    }

    /** A reading payload of {@code count} readings numbered from {@code firstSeq}. */
    static String json(long firstSeq, int count) {
        if (count == 1) {
            return "{\"value\":" + firstSeq + "}";
        }
        StringBuilder b = new StringBuilder(count * 14 + 2).append('[');
        for (int j = 0; j < count; j++) {
            b.append(j > 0 ? "," : "").append("{\"value\":").append(firstSeq + j).append('}');
        }
        return b.append(']').toString();
    }
}
