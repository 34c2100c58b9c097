package io.safegrid.config;

import java.time.Duration;

/**
 * Which bus the node's stages meet on. By default the in-process bus: one node does everything.
 * With Kafka, several nodes share the work (see docs/architecture.md, "Roles and scaling out").
 *
 * @param kind             {@code in-process} or {@code kafka}
 * @param bootstrapServers {@code host:port[,host:port]}; required for {@code kafka}
 * @param topicPrefix      prepended to the topic names: {@code safegrid.} gives {@code safegrid.readings}
 * @param partitions       partitions of each topic the node creates when missing (also the number of camera shares)
 * @param sessionTimeout   how long Kafka waits for a silent node before giving its partitions (and cameras) away
 */
public record BusConfig(String kind, String bootstrapServers, String topicPrefix, int partitions,
                        Duration sessionTimeout) {
    public static final String IN_PROCESS = "in-process";
    public static final String KAFKA = "kafka";

    public static BusConfig defaults() {
        return new BusConfig(IN_PROCESS, null, "safegrid.", 12, Duration.ofSeconds(10));
    }

    public boolean isKafka() { return KAFKA.equals(kind); }
}
