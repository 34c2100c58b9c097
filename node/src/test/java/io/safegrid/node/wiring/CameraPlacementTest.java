package io.safegrid.node.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.safegrid.bus.kafka.embedded.EmbeddedKafka;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.model.device.Camera;
import io.safegrid.node.TestCounty;
import io.safegrid.node.simulate.SceneClips;
import io.safegrid.node.simulate.SceneScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a camera is decoded is the same on both buses: beside its analysis, on the node's share of the
 * cameras that the bus declares. A node with only the analytics role decodes and analyses its cameras
 * on the in-process bus as on Kafka.
 */
class CameraPlacementTest {
    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static Path clip;

    @BeforeAll
    static void setUp() throws Exception {
        kafka = EmbeddedKafka.start(Files.createDirectories(dir.resolve("kafka")));
        clip = SceneClips.write(dir.resolve("quiet.ts"), SceneScript.quiet(), 4, 5);
    }

    @AfterAll
    static void tearDown() {
        kafka.close();
    }

    @Test
    void onTheInProcessBusTheAnalyticsNodeDecodesEveryCamera() throws Exception {
        try (Node node = analyticsNode("inproc", "")) {
            assertThat(node.stages().cameraShare().spread()).isFalse();
            everyCameraAnalysedOn(node);
        }
    }

    @Test
    void onKafkaTheAnalyticsNodeDecodesTheShareTheGroupGaveIt() throws Exception {
        String bus = "\nbus: {kind: kafka, bootstrap-servers: \"" + kafka.bootstrapServers()
                + "\", topic-prefix: placement., partitions: 2}\n";
        try (Node node = analyticsNode("kafka", bus)) {
            assertThat(node.stages().cameraShare().spread()).isTrue();
            // alone in the group, this node gets every share
            everyCameraAnalysedOn(node);
        }
    }

    private static Node analyticsNode(String id, String bus) throws Exception {
        String yaml = TestCounty.yaml(Files.createDirectories(dir.resolve(id)))
                .replace("source: {mode: push}", "source: {mode: pull, url: \"" + clip.toAbsolutePath() + "\"}") + bus;
        Deployment d = new DeploymentLoader(k -> null).read("county.yaml", yaml, null);
        return new Node(ConfigSource.of(d), Set.of("analytics"), Metrics.create()).start();
    }

    private static void everyCameraAnalysedOn(Node node) {
        List<String> cameras = node.config().current().cameras().stream().map(Camera::id).toList();
        assertThat(cameras).isNotEmpty();
        await().atMost(Duration.ofSeconds(60)).until(() -> cameras.stream().allMatch(c -> analysed(node, c) > 0));
    }

    private static double analysed(Node node, String camera) {
        Counter c = node.registry().find("safegrid.video.frames.analysed").tag("camera", camera).counter();
        return c == null ? 0 : c.count();
    }
}
