package io.safegrid.bus.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How one node talks to Kafka.
 *
 * @param bootstrapServers   {@code host:port[,host:port]}
 * @param topicPrefix        prepended to each topic name, e.g. {@code safegrid.} gives {@code safegrid.readings}
 * @param partitions         partitions of each topic the bus creates (existing topics keep theirs)
 * @param clientId           names this node's producer and consumers in broker logs and metrics
 * @param maxInFlightRecords per topic: records handed to the producer and not yet acknowledged by the broker,
 *                           above which {@code offer} refuses (the high-water mark; writable again at half)
 * @param maxInFlightBytes   the same bound in bytes, kept under the producer's buffer so {@code send} never blocks
 * @param sessionTimeout     how long the group waits for a silent member before giving its partitions away
 * @param clientOverrides    extra Kafka client properties (security, tuning), applied last
 */
public record KafkaBusSettings(String bootstrapServers, String topicPrefix, int partitions, String clientId,
                               int maxInFlightRecords, long maxInFlightBytes, Duration sessionTimeout,
                               Map<String, Object> clientOverrides) {
    public KafkaBusSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        clientId = clientId == null ? "safegrid" : clientId;
        clientOverrides = clientOverrides == null ? Map.of() : Map.copyOf(clientOverrides);
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1");
        }
        if (maxInFlightRecords < 2 || maxInFlightBytes < 1024) {
            throw new IllegalArgumentException("in-flight bounds too small");
        }
    }

    /**
     * 100,000 records or 32 MiB in flight per topic (enough to keep a round trip's worth of readings
     * moving when the broker is slow to answer, within the producer's buffer); a 10 s session
     * timeout, so a dead node's cameras move within about 10–15 s.
     */
    public static KafkaBusSettings of(String bootstrapServers, String topicPrefix, int partitions, String clientId) {
        return new KafkaBusSettings(bootstrapServers, topicPrefix, partitions, clientId, 100_000, 32L << 20,
                Duration.ofSeconds(10), Map.of());
    }

    public KafkaBusSettings withInFlight(int records, long bytes) {
        return new KafkaBusSettings(bootstrapServers, topicPrefix, partitions, clientId, records, bytes, sessionTimeout,
                clientOverrides);
    }

    public KafkaBusSettings withSessionTimeout(Duration timeout) {
        return new KafkaBusSettings(bootstrapServers, topicPrefix, partitions, clientId, maxInFlightRecords,
                maxInFlightBytes, timeout, clientOverrides);
    }

    public KafkaBusSettings withClientId(String id) {
        return new KafkaBusSettings(bootstrapServers, topicPrefix, partitions, id, maxInFlightRecords, maxInFlightBytes,
                sessionTimeout, clientOverrides);
    }

    /** The Kafka topic behind a bus topic name. */
    public String kafkaTopic(String busTopic) {
        return topicPrefix + busTopic;
    }
}
