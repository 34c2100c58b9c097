package io.safegrid.node.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.model.device.Camera;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where a camera is decoded is the same on both buses: beside its analysis, on the node's share of the
 * cameras that the bus declares. A node with only the analytics role decodes and analyses its cameras
 * on the in-process bus as on Kafka.
 */
class CameraPlacementTest {
    @RegisterExtension
    static final ClipCounty county = new ClipCounty();

    @Test
    void onTheInProcessBusTheAnalyticsNodeDecodesEveryCamera() throws Exception {
        try (Node node = county.analyticsNode("inproc", "")) {
            assertThat(node.stages().cameraShare().spread()).isFalse();
            everyCameraAnalysedOn(node);
        }
    }

    @Test
    void onKafkaTheAnalyticsNodeDecodesTheShareTheGroupGaveIt() throws Exception {
        try (Node node = county.analyticsNode("kafka", county.kafkaBus("placement.", 2))) {
            assertThat(node.stages().cameraShare().spread()).isTrue();
            // alone in the group, this node gets every share
            everyCameraAnalysedOn(node);
        }
    }

    private static void everyCameraAnalysedOn(Node node) {
        List<String> cameras = node.config().current().cameras().stream().map(Camera::id).toList();
        assertThat(cameras).isNotEmpty();
        await().atMost(Duration.ofSeconds(60)).until(() -> cameras.stream().allMatch(c -> ClipCounty.analysed(node, c) > 0));
    }
}
