package io.safegrid.config;

import java.nio.file.Path;
import java.util.Set;

/**
 * The node's own settings: where it listens and keeps its data. Port 0 means "pick a free one"
 * (tests); -1 turns a listener off.
 *
 * @param roles            which stages run here: ingest, analytics, alerting, console (all by default)
 * @param httpPort         the console: UI, API, /health and /metrics
 * @param ingestHttpPort   ingest's own HTTP/JSON reading endpoint and JPEG snapshot upload (an ingest-only
 *                         node has no console)
 * @param maxPayloadBytes  the largest MQTT/HTTP payload accepted
 * @param consoleUrl       the address people open, for links in notifications; null to derive from httpPort
 */
public record NodeSettings(String nodeId, Set<String> roles, String bindAddress, int httpPort, int mqttPort,
                           int hj212Port, int ingestHttpPort, int videoPushPort, Path dataDir, int maxPayloadBytes,
                           double maxReadingsPerSecondPerDevice, String consoleUrl) {

    public static final Set<String> ALL_ROLES = Set.of("ingest", "analytics", "alerting", "console");

    public NodeSettings {
        roles = Set.copyOf(roles);
    }

    public static NodeSettings defaults() {
        return new NodeSettings("node-1", ALL_ROLES, "0.0.0.0", 8080, 1883, 9212, 8081, 9300, Path.of("data"),
                256 * 1024, 50, null);
    }
}
