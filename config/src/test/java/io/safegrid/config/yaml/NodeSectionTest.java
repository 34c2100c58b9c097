package io.safegrid.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** node.metrics-token and node.demo as an operator writes them. */
class NodeSectionTest {
    static Deployment load(String node, Map<String, String> env) {
        return new DeploymentLoader(env::get).read("county.yaml", DemoSecretsTest.HEAD + "node: " + node + "\n", null);
    }

    @Test
    void theMetricsTokenComesFromTheEnvironmentAndAnEmptyOneMeansNone() {
        assertThat(load("{metrics-token: \"${T}\"}", Map.of("T", "prometheus-7c1f9a2e5b")).node().metricsToken())
                .isEqualTo("prometheus-7c1f9a2e5b");
        assertThat(load("{metrics-token: \"${T:-}\"}", Map.of()).node().metricsToken()).isNull();
        assertThat(load("{}", Map.of()).node().metricsToken()).isNull();
        assertThat(load("{}", Map.of()).node().demo()).isFalse();
    }

    @Test
    void aShortTokenIsAnErrorAtItsLine() {
        assertThat(DemoSecretsTest.errors(DemoSecretsTest.HEAD + "node: {metrics-token: abc123}\n", Map.of()))
                .containsExactly("county.yaml:14: node.metrics-token: too short: use at least 16 characters");
        assertThat(DemoSecretsTest.errors(DemoSecretsTest.HEAD + "node: {demo: maybe}\n", Map.of()))
                .containsExactly("county.yaml:14: node.demo: expected true or false, got 'maybe'");
    }
}
