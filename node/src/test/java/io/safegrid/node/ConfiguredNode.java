package io.safegrid.node;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.config.reload.ConfigWatcher;
import io.safegrid.node.wiring.Metrics;
import io.safegrid.node.wiring.Node;
import java.nio.file.Path;
import java.time.Duration;

/** A whole node in this JVM on a config file, watched for changes as the launcher does; closed with its watcher. */
public final class ConfiguredNode implements AutoCloseable {
    private final ConfigWatcher watcher;
    private final Node node;

    private ConfiguredNode(ConfigWatcher watcher, Node node) {
        this.watcher = watcher;
        this.node = node;
    }

    public static ConfiguredNode start(Path config) throws Exception {
        PrometheusMeterRegistry registry = Metrics.create();
        ConfigWatcher watcher = new ConfigWatcher(config, registry, new DeploymentLoader(System::getenv),
                Duration.ofMillis(50), Duration.ofMillis(500));
        Node node = new Node(watcher, null, registry).start();
        watcher.start();
        return new ConfiguredNode(watcher, node);
    }

    public Node node() { return node; }

    @Override
    public void close() {
        node.close();
        watcher.close();
    }
}
