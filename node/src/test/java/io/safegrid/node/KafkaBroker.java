package io.safegrid.node;

import io.safegrid.bus.kafka.embedded.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker for a whole test class ({@code @RegisterExtension static}), in a temp directory
 * of its own: starting a broker costs seconds, so the class's nodes share it under their own topic prefixes.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {
    private Path dir;
    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("kafka-broker");
        kafka = EmbeddedKafka.start(dir);
    }

    /** The {@code bus:} section of a node config on this broker, topics {@code <topicPrefix><topic>}. */
    public String busSection(String topicPrefix, int partitions) {
        return "\nbus: {kind: kafka, bootstrap-servers: \"" + kafka.bootstrapServers() + "\", topic-prefix: " + topicPrefix
                + ", partitions: " + partitions + "}\n";
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        kafka.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
