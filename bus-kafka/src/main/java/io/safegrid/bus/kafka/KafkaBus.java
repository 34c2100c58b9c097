package io.safegrid.bus.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.bus.kafka.codec.JsonCodecs;
import io.safegrid.bus.kafka.codec.MessageCodec;
import io.safegrid.model.bus.Bus;
import io.safegrid.bus.inprocess.InProcessBus;
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
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus on Kafka, for nodes that share the work. Readings, findings and alarms are JSON on
 * {@code <prefix><topic>}, keyed by device / camera / alarm id, so Kafka's partitioner keeps a
 * key on one partition and its order. Findings and alarms are one record each, sent at once by a producer
 * that does not linger ({@link #promptProducerProps}); readings, the volume,
 * travel in bundles of a few milliseconds' worth per partition ({@link Bundles}), each line with its key; each bus group is a Kafka consumer group
 * ({@code <prefix><topic>.<group>}), so nodes running the same stage share the partitions and each
 * group still sees every message.
 *
 * <p>{@link Topic#FRAMES} (and any other DROP_OLDEST topic) never leaves the process: a decoded
 * 640x360 frame is ~350 KB of raw pixels (I420), 10 fps per camera would be 3.5 MB/s per camera through the broker,
 * and a stale frame is worth nothing after a rebalance. Frames go to an in-process bus instead,
 * and camera ownership (see {@code ownership.CameraOwnership}) makes sure the node that decodes a
 * camera is the node that analyses it.
 *
 * <p>Backpressure: per topic, at most {@link KafkaBusSettings#maxInFlightRecords()} records (and
 * {@link KafkaBusSettings#maxInFlightBytes()} bytes) may wait for the broker's acknowledgement;
 * above that {@link #offer} refuses and {@link #whenWritable} calls back once half have been
 * acknowledged. The producer is idempotent with {@code acks=all} and retries until
 * {@code delivery.timeout.ms} (one hour): a broker outage holds publishers back rather than losing
 * what they were told was accepted.
 */
public final class KafkaBus implements Bus {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBus.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long a bundle of readings waits for more before it is handed to the producer (which lingers
     * {@code linger.ms} more for other partitions' bundles), and how large it may grow before it goes at once.
     */
    static final Duration BUNDLE_LINGER = Duration.ofMillis(2);
    static final int BUNDLE_BYTES = 64 * 1024;

    private final ThreadPolicy threads;
    private final KafkaBusSettings settings;
    private final MeterRegistry meters;
    private final InProcessBus local;
    /** Carries the readings' bundles: it lingers to fill large batches. */
    private final KafkaProducer<String, byte[]> producer;
    /** Carries the one-record topics (findings, alarms, stream reports): it sends at once ({@link #promptProducerProps}). */
    private final KafkaProducer<String, byte[]> prompt;
    private final ExecutorService callbacks;
    /** Sends bundles that have waited their linger (see {@link Bundles}). */
    private final ScheduledExecutorService flusher;
    private final Map<String, Lane<?>> lanes = new ConcurrentHashMap<>();
    private final List<GroupConsumer<?>> consumers = new CopyOnWriteArrayList<>();
    /** Each Kafka topic's largest record, as its broker said at start. */
    private final Map<String, Integer> maxMessageBytes;
    private volatile boolean closed;

    /**
     * Connects, creates the topics that are missing ({@link KafkaBusSettings#partitions()} each) and
     * fetches their metadata, so the first publish does not wait for it.
     *
     * @throws org.apache.kafka.common.KafkaException when the brokers cannot be reached in time
     */
    public KafkaBus(KafkaBusSettings settings, MeterRegistry meters) {
        this(settings, meters, ThreadPolicy.NONE);
    }

    /** @param threads how consumer threads are scheduled for their group's urgency, here and on the frames bus */
    public KafkaBus(KafkaBusSettings settings, MeterRegistry meters, ThreadPolicy threads) {
        this(settings, meters, new InProcessBus(threads), threads);
    }

    /** @param local carries the topics that stay in this process (frames) */
    public KafkaBus(KafkaBusSettings settings, MeterRegistry meters, InProcessBus local) {
        this(settings, meters, local, ThreadPolicy.NONE);
    }

    private KafkaBus(KafkaBusSettings settings, MeterRegistry meters, InProcessBus local, ThreadPolicy threads) {
        this.threads = threads;
        this.settings = settings;
        this.meters = meters;
        this.local = local;
        List<String> names = new ArrayList<>();
        for (Topic<?> t : Topic.all()) {
            if (!isLocal(t)) {
                names.add(settings.kafkaTopic(t.name()));
            }
        }
        names.add(settings.kafkaTopic(CameraTopic.NAME));
        this.maxMessageBytes = Topics.ensure(settings, names);
        this.callbacks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bus-kafka-writable");
            t.setDaemon(true);
            return t;
        });
        this.producer = new KafkaProducer<>(producerProps(settings), new StringSerializer(), new ByteArraySerializer());
        // made on an urgent thread, so that its network thread, which sends a finding on its way to the
        // alarm ledger, takes the alarm path's scheduling instead of queueing for a core behind bulk work
        this.prompt = threads.makeOn(Urgency.URGENT,
                () -> new KafkaProducer<>(promptProducerProps(settings), new StringSerializer(), new ByteArraySerializer()));
        for (Topic<?> t : Topic.all()) {
            if (!isLocal(t)) {
                lane(t).producer.partitionsFor(settings.kafkaTopic(t.name()));
            }
        }
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bus-kafka-bundles");
            t.setDaemon(true);
            return t;
        });
        long linger = BUNDLE_LINGER.toNanos();
        flusher.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            for (Lane<?> l : lanes.values()) {
                if (l.bundles != null) {
                    l.bundles.flushDue(now);
                }
            }
        }, linger, linger / 2, TimeUnit.NANOSECONDS);
        Gauge.builder("safegrid.bus.kafka.inflight.bytes", this, b -> b.lanes.values().stream()
                        .mapToLong(l -> l.window.bytes()).sum())
                .description("bytes sent to Kafka and not yet acknowledged").register(meters);
        LOG.info("Kafka bus on {}: topics {} ({} partitions where created), frames stay in process",
                settings.bootstrapServers(), names, settings.partitions());
    }

    static Properties producerProps(KafkaBusSettings s) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, s.clientId() + "-producer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Five requests in flight per broker, the most an idempotent producer allows with order kept: the
        // broker checks each batch's sequence number, so a retried batch cannot land behind a later one.
        // That holds only once the partition leaders are loaded (producing earlier gives
        // OUT_OF_ORDER_SEQUENCE_NUMBER), which Topics.ensure and the constructor's partitionsFor make sure of.
        // With one in flight every batch would wait a whole round trip (linger + append + acks=all).
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // up to 512 KiB per partition (under the broker's 1 MiB message.max.bytes), 8 MiB per request
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(64L << 20, 2 * s.maxInFlightBytes() * Topic.all().size()));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofHours(1).toMillis());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        p.putAll(s.clientOverrides());
        return p;
    }

    /**
     * The producer of the topics on the alarm path, one record each: no linger (a finding or an alarm
     * goes out as soon as it is handed over, instead of waiting {@code linger.ms} for company that at a
     * few records a second never comes), small batches, no compression (a record of a few hundred bytes
     * gains nothing from it). Acknowledgement and idempotence as the readings' producer: {@code acks=all}.
     */
    static Properties promptProducerProps(KafkaBusSettings s) {
        Properties p = producerProps(s);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, s.clientId() + "-prompt-producer");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        return p;
    }

    Properties consumerProps(String groupId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId() + "-" + groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a group that has never committed starts at the beginning: nothing published before it first joined is lost
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, settings.sessionTimeout().toMillis() / 4));
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        p.putAll(settings.clientOverrides());
        return p;
    }

    /** This node's share of the cameras: the camera-owners group on {@code <prefix>cameras} divides them among the analytics nodes. */
    @Override
    public io.safegrid.model.bus.CameraShare cameraShare() {
        return new io.safegrid.bus.kafka.ownership.CameraOwnership(settings, meters);
    }

    /** The frames topic, and any other topic that may drop, stays in this process. */
    public static boolean isLocal(Topic<?> topic) {
        return topic.overflow() == Overflow.DROP_OLDEST;
    }

    @Override
    public <T> boolean offerAll(Topic<T> topic, String key, List<T> messages) {
        if (closed) {
            throw new IllegalStateException("bus is closed");
        }
        if (isLocal(topic)) {
            return local.offerAll(topic, key, messages);
        }
        if (messages.isEmpty()) {
            return true;
        }
        Lane<T> lane = lane(topic);
        List<byte[]> values = new ArrayList<>(messages.size());
        long size = 0;
        for (T m : messages) {
            byte[] v = lane.fit.fit(key, m, lane.codec.encode(m));
            values.add(v);
            size += v.length;
        }
        if (!lane.window.tryAcquire(values.size(), size)) {
            lane.counters.refused.increment();
            return false;
        }
        StoredTracker tracker = STORED.get();
        if (lane.bundles != null && Bundles.bundles(key)) {
            lane.bundles.add(key, values, tracker);
            lane.counters.published.add(values.size());
            return true;
        }
        for (int i = 0; i < values.size(); i++) {
            byte[] v = values.get(i);
            long n = tracker.next();
            try {
                lane.producer.send(new ProducerRecord<>(lane.kafkaTopic, key, v), (meta, e) -> {
                    lane.window.release(v.length);
                    tracker.answer(n, e == null);
                    if (e != null) {
                        lane.counters.sendFailures.increment();
                        LOG.error("Kafka did not take a record of {} with key {}: {}", lane.kafkaTopic, key, e.toString());
                    }
                });
            } catch (RuntimeException e) {
                // the producer is closing or broken: what was not handed over is not in flight
                tracker.refused(n);
                for (int j = i; j < values.size(); j++) {
                    lane.window.release(values.get(j).length);
                }
                throw new IllegalStateException("Kafka producer refused a record of " + lane.kafkaTopic + ": " + e, e);
            }
        }
        lane.counters.published.add(values.size());
        return true;
    }

    /**
     * Per publishing thread: the broker's answers (acks=all) to what it sent, so that a waiter runs only
     * once the broker has stored everything the thread offered before (ingest acknowledges devices so).
     */
    private static final ThreadLocal<StoredTracker> STORED = ThreadLocal.withInitial(StoredTracker::new);

    /**
     * Runs {@code onStored} once the broker has stored (acks=all) every record this thread offered
     * before the call, in the order of the calls; {@code onFailed} instead when one of them could not be
     * stored. The callbacks run on the producer's thread and must not block. Frames (in process) are not
     * tracked.
     */
    @Override
    public void whenStored(Runnable onStored, Runnable onFailed) {
        STORED.get().whenStored(onStored, onFailed);
    }

    @Override
    public void whenWritable(Topic<?> topic, String key, Runnable callback) {
        if (isLocal(topic)) {
            local.whenWritable(topic, key, callback);
            return;
        }
        lane(topic).window.whenWritable(callback);
    }

    @Override
    public <T> Subscription subscribe(Topic<T> topic, String group, Urgency urgency, MessageHandler<? super T> handler) {
        if (closed) {
            throw new IllegalStateException("bus is closed");
        }
        if (isLocal(topic)) {
            return local.subscribe(topic, group, urgency, handler);
        }
        Lane<T> lane = lane(topic);
        String groupId = settings.kafkaTopic(topic.name()) + "." + group;
        GroupConsumer<?>[] self = new GroupConsumer<?>[1];
        GroupConsumer<T> c = new GroupConsumer<>(group, urgency, threads, lane.kafkaTopic, consumerProps(groupId), lane.codec, handler,
                lane.counters, () -> consumers.remove(self[0]));
        self[0] = c;
        consumers.add(c);
        c.start();
        LOG.info("group {} subscribed to {} as Kafka consumer group {}", group, lane.kafkaTopic, groupId);
        return c;
    }

    @Override
    public List<TopicStats> stats() {
        List<TopicStats> out = new ArrayList<>();
        List<TopicStats> inProcess = local.stats();
        for (Topic<?> t : Topic.all()) {
            if (isLocal(t)) {
                inProcess.stream().filter(s -> s.topic().equals(t.name())).forEach(out::add);
            } else {
                Lane<?> l = lane(t);
                out.add(l.counters.stats(l.window));
            }
        }
        for (Lane<?> l : lanes.values()) {
            if (!Topic.all().contains(l.topic)) {
                out.add(l.counters.stats(l.window));
            }
        }
        return out;
    }

    public KafkaBusSettings settings() { return settings; }

    /** Sends what is in flight (up to 10 s), stops the consumers after their record in hand, then the frames bus. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        flusher.shutdown();
        try {
            flusher.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Lane<?> l : lanes.values()) {
            if (l.bundles != null) {
                l.bundles.flushAll();
            }
        }
        producer.close(CLOSE_TIMEOUT);
        prompt.close(CLOSE_TIMEOUT);
        for (GroupConsumer<?> c : List.copyOf(consumers)) {
            c.close();
        }
        local.close();
        callbacks.shutdown();
        LOG.info("Kafka bus closed");
    }

    @SuppressWarnings("unchecked")
    private <T> Lane<T> lane(Topic<T> topic) {
        return (Lane<T>) lanes.computeIfAbsent(topic.name(), n -> new Lane<>(topic));
    }

    /** Everything the bus keeps per Kafka-backed topic. */
    private final class Lane<T> {
        final Topic<T> topic;
        final String kafkaTopic;
        final MessageCodec<T> codec;
        final RecordFit<T> fit;
        final SendWindow window;
        final TopicCounters counters;
        /** Readings travel in bundles (the volume topic); the rest one record each, so an alarm never waits for one. */
        final Bundles bundles;
        final KafkaProducer<String, byte[]> producer;

        Lane(Topic<T> topic) {
            this.topic = topic;
            this.kafkaTopic = settings.kafkaTopic(topic.name());
            this.codec = JsonCodecs.forTopic(topic);
            this.fit = new RecordFit<>(topic.name(), kafkaTopic, topic.type(),
                    maxMessageBytes.getOrDefault(kafkaTopic, Topics.DEFAULT_MAX_MESSAGE_BYTES), codec, meters);
            this.window = new SendWindow(kafkaTopic, settings.maxInFlightRecords(), settings.maxInFlightBytes(), callbacks);
            this.counters = new TopicCounters(topic.name(), meters);
            this.bundles = topic == Topic.READINGS ? new Bundles(kafkaTopic, KafkaBus.this.producer.partitionsFor(kafkaTopic).size(),
                    KafkaBus.this.producer, window, counters, BUNDLE_BYTES, BUNDLE_LINGER.toNanos()) : null;
            this.producer = bundles != null ? KafkaBus.this.producer : prompt;
        }
    }
}
