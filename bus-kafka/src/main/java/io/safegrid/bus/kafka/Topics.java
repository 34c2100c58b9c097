package io.safegrid.bus.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the bus's topics where they are missing; existing topics are left as they are. */
final class Topics {
    private static final Logger LOG = LoggerFactory.getLogger(Topics.class);
    /** A broker's default {@code message.max.bytes}, for a topic whose own limit cannot be read. */
    static final int DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

    private Topics() {
    }

    /**
     * Waits until every partition's leader really serves it. A leader in the metadata is not
     * enough: a KRaft broker publishes a new topic's metadata before its replica manager has opened
     * the partition's log, and a produce in between gets NOT_LEADER_OR_FOLLOWER. That is harmless
     * with one request in flight, but with five an idempotent producer's later batches can land
     * first (a broker with no state for the producer accepts any first sequence number) and the
     * retried first batch is then refused as OUT_OF_ORDER_SEQUENCE_NUMBER forever. A ListOffsets
     * answer comes from the leader's own log, so once every partition answers one, none is in that
     * window.
     */
    private static void awaitServed(Admin admin, List<String> names) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String why = "";
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                boolean led = true;
                for (TopicDescription d : admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
                    for (TopicPartitionInfo p : d.partitions()) {
                        led &= p.leader() != null && !p.leader().isEmpty();
                        latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
                    }
                }
                if (led) {
                    admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                    return;
                }
                why = "a partition has no leader yet";
            } catch (ExecutionException | TimeoutException e) {
                why = String.valueOf(e.getCause() == null ? e : e.getCause());   // not visible or not served yet
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("partitions of " + names + " not served after 30 s: " + why);
            }
            Thread.sleep(100);
        }
    }

    private static Map<String, Integer> maxMessageBytes(Admin admin, List<String> names) throws InterruptedException {
        Map<String, Integer> out = new HashMap<>();
        List<ConfigResource> topics = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        try {
            for (Map.Entry<ConfigResource, Config> e : admin.describeConfigs(topics).all().get(30, TimeUnit.SECONDS).entrySet()) {
                ConfigEntry limit = e.getValue().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                if (limit != null && limit.value() != null) {
                    out.put(e.getKey().name(), Integer.parseInt(limit.value()));
                }
            }
        } catch (ExecutionException | TimeoutException | NumberFormatException e) {
            // a user without DescribeConfigs: the broker's default holds unless somebody changed it
            LOG.warn("cannot read max.message.bytes of {} ({}); assuming the broker's default {} bytes", names,
                    e.getCause() == null ? e : e.getCause(), DEFAULT_MAX_MESSAGE_BYTES);
        }
        for (String n : names) {
            out.putIfAbsent(n, DEFAULT_MAX_MESSAGE_BYTES);
        }
        return out;
    }

    /**
     * Creates what is missing, waits until every partition is served and returns each topic's largest
     * record ({@code max.message.bytes}, the broker's {@code message.max.bytes} unless the topic sets its own).
     */
    static Map<String, Integer> ensure(KafkaBusSettings s, List<String> names) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, s.clientId() + "-admin");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        p.putAll(s.clientOverrides());
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream().filter(n -> !existing.contains(n))
                    // replication from the broker's default.replication.factor
                    .map(n -> new NewTopic(n, Optional.of(s.partitions()), Optional.empty()))
                    .toList();
            try {
                if (!missing.isEmpty()) {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                    LOG.info("created Kafka topics {} with {} partitions", missing.stream().map(NewTopic::name).toList(),
                            s.partitions());
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                    throw e;
                }
                // another node created them at the same moment
            }
            // also for topics that existed: another node may have created them a moment ago
            awaitServed(admin, names);
            return maxMessageBytes(admin, names);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating topics", e);
        } catch (Exception e) {
            throw new KafkaException("cannot reach Kafka at " + s.bootstrapServers() + " to create topics " + names
                    + ": " + (e.getCause() == null ? e : e.getCause()), e);
        }
    }
}
