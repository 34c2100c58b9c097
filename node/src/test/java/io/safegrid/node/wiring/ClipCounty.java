package io.safegrid.node.wiring;

import io.micrometer.core.instrument.Counter;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.node.KafkaBroker;
import io.safegrid.node.TestCounty;
import io.safegrid.node.simulate.SceneClips;
import io.safegrid.node.simulate.SceneScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The demo county with its cameras pulling one looped H.264 clip, and a Kafka broker, for a test class
 * ({@code @RegisterExtension static}): analytics nodes on either bus for the camera placement and failover tests.
 */
final class ClipCounty implements BeforeAllCallback, AfterAllCallback {
    private final KafkaBroker kafka = new KafkaBroker();
    private Path dir;
    private Path clip;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("clip-county");
        kafka.beforeAll(context);
        clip = SceneClips.write(dir.resolve("quiet.ts"), SceneScript.quiet(), 4, 5);
    }

    /** The {@code bus:} section for the broker. */
    String kafkaBus(String topicPrefix, int partitions) {
        return kafka.busSection(topicPrefix, partitions);
    }

    /** A started node with only the analytics role; {@code bus} is a {@code bus:} section or "" (in process). */
    Node analyticsNode(String id, String bus) throws Exception {
        String yaml = TestCounty.yaml(Files.createDirectories(dir.resolve(id)))
                .replace("id: puxian-1", "id: " + id)
                .replace("source: {mode: push}", "source: {mode: pull, url: \"" + clip.toAbsolutePath() + "\"}") + bus;
        Deployment d = new DeploymentLoader(k -> null).read("county.yaml", yaml, null);
        return new Node(ConfigSource.of(d), Set.of("analytics"), Metrics.create()).start();
    }

    static double analysed(Node node, String camera) {
        Counter c = node.registry().find("safegrid.video.frames.analysed").tag("camera", camera).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        kafka.afterAll(context);
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
