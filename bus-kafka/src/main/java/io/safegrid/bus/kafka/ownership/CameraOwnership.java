package io.safegrid.bus.kafka.ownership;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.bus.kafka.CameraTopic;
import io.safegrid.bus.kafka.KafkaBusSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which cameras this analytics node runs. The partitions of {@code <prefix>cameras} are shares of
 * the cameras (a camera belongs to the partition its id hashes to, the same murmur2 hash Kafka's
 * producer uses for keys); the analytics nodes form one consumer group on that topic, and the
 * group coordinator hands each node its partitions. A node that stops cleanly leaves the group at
 * once; one that dies or hangs is dropped after the session timeout, and the survivors get its
 * partitions at the rebalance that follows. The cooperative-sticky assignor moves only the
 * partitions that have to move, so the survivors' own cameras keep running through it.
 *
 * <p>Nothing is written to the topic; the consumer only polls to stay in the group.
 * Listeners are called on the ownership thread after each change and must not block long.
 */
public final class CameraOwnership implements io.safegrid.model.bus.CameraShare {
    private static final Logger LOG = LoggerFactory.getLogger(CameraOwnership.class);
    /** The consumer group of the analytics nodes on the cameras topic. */
    public static final String GROUP = "camera-owners";

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Counter rebalances;
    private final Thread thread;
    private volatile int partitions;
    private volatile boolean running = true;
    private volatile boolean leaveOnClose = true;

    public CameraOwnership(KafkaBusSettings settings, MeterRegistry meters) {
        this.topic = settings.kafkaTopic(CameraTopic.NAME);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.topicPrefix() + GROUP);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId() + "-camera-owner");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        int session = (int) settings.sessionTimeout().toMillis();
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, session);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(300, session / 5));
        // the loop only polls, so a longer gap means this node is stuck: let its cameras go as fast as a dead node's
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, session);
        p.putAll(settings.clientOverrides());
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.rebalances = Counter.builder("safegrid.cameras.ownership.changes")
                .description("times this node's share of the cameras changed").register(meters);
        Gauge.builder("safegrid.cameras.owned.partitions", owned, Set::size)
                .description("camera partitions this node runs").register(meters);
        this.thread = new Thread(this::loop, "camera-ownership");
        this.thread.setDaemon(true);
    }

    /** Other analytics nodes run the other cameras. */
    @Override
    public boolean spread() { return true; }

    /** Called after each change of this node's share, with {@link #owns} already answering the new way. */
    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Joins the group; this node owns nothing until its first assignment arrives. */
    @Override
    public void start() {
        List<PartitionInfo> info = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (info == null || info.isEmpty()) {
            throw new KafkaException("topic " + topic + " does not exist; the Kafka bus creates it at start");
        }
        partitions = info.size();
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                change(revoked, false, "gave up");
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                change(assigned, true, "took");
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> lost) {
                change(lost, false, "lost (out of the group too long)");
            }
        });
        thread.start();
        LOG.info("camera ownership: joining group {} on {} ({} partitions)", GROUP, topic, partitions);
    }

    private void change(Collection<TopicPartition> tps, boolean add, String what) {
        if (tps.isEmpty()) {
            return;
        }
        for (TopicPartition tp : tps) {
            if (add) {
                owned.add(tp.partition());
            } else {
                owned.remove(tp.partition());
            }
        }
        rebalances.increment();
        LOG.info("camera ownership: {} partitions {}; now running {}", what,
                tps.stream().map(TopicPartition::partition).sorted().toList(), new TreeSet<>(owned));
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.error("camera ownership listener failed", e);
            }
        }
    }

    private void loop() {
        try {
            while (running) {
                try {
                    consumer.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    // close() woke us
                }
            }
        } catch (KafkaException e) {
            LOG.error("camera ownership: consumer failed; this node gives up its cameras", e);
            Set<Integer> all = Set.copyOf(owned);
            owned.clear();
            if (!all.isEmpty()) {
                listeners.forEach(Runnable::run);
            }
        } finally {
            CloseOptions how = CloseOptions.timeout(Duration.ofSeconds(5)).withGroupMembershipOperation(leaveOnClose
                    ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                    : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP);
            try {
                consumer.close(how);
            } catch (KafkaException e) {
                LOG.warn("camera ownership: close failed: {}", e.toString());
            }
        }
    }

    /** The partition a camera belongs to: Kafka's key hash over the topic's partitions. */
    public int partitionOf(String cameraId) {
        return Utils.toPositive(Utils.murmur2(cameraId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Override
    public boolean owns(String cameraId) {
        return partitions > 0 && owned.contains(partitionOf(cameraId));
    }

    public Set<Integer> ownedPartitions() {
        return Set.copyOf(owned);
    }

    /** Leaves the group at once, so the other nodes take this node's cameras at the next rebalance. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Stops taking part without telling the group, as a crashed node would: its partitions move only
     * after the session timeout. For failover tests and drills.
     */
    public void closeWithoutLeaving() {
        leaveOnClose = false;
        stop();
    }

    private void stop() {
        if (!running) {
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        owned.clear();
        LOG.info("camera ownership: stopped ({})", leaveOnClose ? "left the group" : "without leaving the group");
    }
}
