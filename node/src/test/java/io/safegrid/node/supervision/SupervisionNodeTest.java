package io.safegrid.node.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.config.reload.ConfigWatcher;
import io.safegrid.node.TestCounty;
import io.safegrid.node.wiring.Node;
import io.safegrid.testing.ConsoleHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node as shipped starts supervision beside the hazard register and serves its API on the console. */
class SupervisionNodeTest {
    @TempDir
    Path dir;
    ConfigWatcher watcher;
    Node node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void theNodeWiresSupervisionIntoTheConsole() throws Exception {
        var registry = io.safegrid.node.wiring.Metrics.create();
        watcher = new ConfigWatcher(TestCounty.write(dir), registry, new io.safegrid.config.DeploymentLoader(System::getenv),
                Duration.ofMillis(50), Duration.ofMillis(500));
        node = new Node(watcher, null, registry).start();
        assertThat(node.stages().supervision()).isNotNull();
        assertThat(Files.exists(dir.resolve("data").resolve("supervision.mv.db"))).isTrue();
        ConsoleHttp http = new ConsoleHttp(node::httpPort, SupervisionConsole.PASSWORDS);
        var templates = new ObjectMapper().readTree(http.get("zheng-ming", "/api/v1/inspections/templates").body()).get("items");
        assertThat(templates).extracting(t -> t.get("id").asText())
                .containsExactly("coal", "chemicals", "construction", "fireworks", "general");
        assertThat(http.get("zhang-hui", "/api/v1/inspections/plans").statusCode()).isEqualTo(403);
        assertThat(http.get("zheng-ming", "/api/v1/redline/rules").statusCode()).isEqualTo(200);
    }
}
