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
 * @param maxSnapshotBytes the largest JPEG snapshot a camera may upload
 * @param consoleUrl       the address people open, for links in notifications; null to derive from httpPort
 * @param demo             this deployment is a demo: the demo's published passwords and secrets are allowed
 * @param metricsToken     the bearer token that shows /metrics and /health details to non-loopback clients;
 *                         null: only loopback clients see them
 * @param ingestLimits     bounds on what clients of ingest may hold ({@code node.ingest-limits})
 * @param threads          how the node schedules its threads ({@code node.threads})
 */
public record NodeSettings(String nodeId, Set<String> roles, String bindAddress, int httpPort, int mqttPort,
                           int hj212Port, int ingestHttpPort, int videoPushPort, Path dataDir, int maxPayloadBytes,
                           double maxReadingsPerSecondPerDevice, String consoleUrl, int maxSnapshotBytes,
                           boolean demo, String metricsToken, IngestLimits ingestLimits, ThreadSettings threads) {

    public static final Set<String> ALL_ROLES = Set.of("ingest", "analytics", "alerting", "console");
    public static final int DEFAULT_MAX_SNAPSHOT_BYTES = 4 * 1024 * 1024;

    public NodeSettings {
        roles = Set.copyOf(roles);
        ingestLimits = ingestLimits == null ? IngestLimits.defaults() : ingestLimits;
        threads = threads == null ? ThreadSettings.defaults() : threads;
    }

    /** The default thread settings. */
    public NodeSettings(String nodeId, Set<String> roles, String bindAddress, int httpPort, int mqttPort,
                        int hj212Port, int ingestHttpPort, int videoPushPort, Path dataDir, int maxPayloadBytes,
                        double maxReadingsPerSecondPerDevice, String consoleUrl, int maxSnapshotBytes,
                        boolean demo, String metricsToken, IngestLimits ingestLimits) {
        this(nodeId, roles, bindAddress, httpPort, mqttPort, hj212Port, ingestHttpPort, videoPushPort, dataDir,
                maxPayloadBytes, maxReadingsPerSecondPerDevice, consoleUrl, maxSnapshotBytes, demo, metricsToken,
                ingestLimits, null);
    }

    /** Not a demo, no metrics token, the default ingest limits. */
    public NodeSettings(String nodeId, Set<String> roles, String bindAddress, int httpPort, int mqttPort,
                        int hj212Port, int ingestHttpPort, int videoPushPort, Path dataDir, int maxPayloadBytes,
                        double maxReadingsPerSecondPerDevice, String consoleUrl, int maxSnapshotBytes) {
        this(nodeId, roles, bindAddress, httpPort, mqttPort, hj212Port, ingestHttpPort, videoPushPort, dataDir,
                maxPayloadBytes, maxReadingsPerSecondPerDevice, consoleUrl, maxSnapshotBytes, false, null, null);
    }

    /** Not a demo, no metrics token. */
    public NodeSettings(String nodeId, Set<String> roles, String bindAddress, int httpPort, int mqttPort,
                        int hj212Port, int ingestHttpPort, int videoPushPort, Path dataDir, int maxPayloadBytes,
                        double maxReadingsPerSecondPerDevice, String consoleUrl, int maxSnapshotBytes,
                        IngestLimits ingestLimits) {
        this(nodeId, roles, bindAddress, httpPort, mqttPort, hj212Port, ingestHttpPort, videoPushPort, dataDir,
                maxPayloadBytes, maxReadingsPerSecondPerDevice, consoleUrl, maxSnapshotBytes, false, null, ingestLimits);
    }

    /** The default ingest limits. */
    public NodeSettings(String nodeId, Set<String> roles, String bindAddress, int httpPort, int mqttPort,
                        int hj212Port, int ingestHttpPort, int videoPushPort, Path dataDir, int maxPayloadBytes,
                        double maxReadingsPerSecondPerDevice, String consoleUrl, int maxSnapshotBytes,
                        boolean demo, String metricsToken) {
        this(nodeId, roles, bindAddress, httpPort, mqttPort, hj212Port, ingestHttpPort, videoPushPort, dataDir,
                maxPayloadBytes, maxReadingsPerSecondPerDevice, consoleUrl, maxSnapshotBytes, demo, metricsToken, null);
    }

    /** A copy with other ingest limits. */
    public NodeSettings withIngestLimits(IngestLimits limits) {
        return new NodeSettings(nodeId, roles, bindAddress, httpPort, mqttPort, hj212Port, ingestHttpPort, videoPushPort,
                dataDir, maxPayloadBytes, maxReadingsPerSecondPerDevice, consoleUrl, maxSnapshotBytes, demo, metricsToken,
                limits, threads);
    }

    /** A copy with other thread settings. */
    public NodeSettings withThreads(ThreadSettings settings) {
        return new NodeSettings(nodeId, roles, bindAddress, httpPort, mqttPort, hj212Port, ingestHttpPort, videoPushPort,
                dataDir, maxPayloadBytes, maxReadingsPerSecondPerDevice, consoleUrl, maxSnapshotBytes, demo, metricsToken,
                ingestLimits, settings);
    }

    /** Settings with the default snapshot limit ({@value #DEFAULT_MAX_SNAPSHOT_BYTES} bytes). */
    public NodeSettings(String nodeId, Set<String> roles, String bindAddress, int httpPort, int mqttPort,
                        int hj212Port, int ingestHttpPort, int videoPushPort, Path dataDir, int maxPayloadBytes,
                        double maxReadingsPerSecondPerDevice, String consoleUrl) {
        this(nodeId, roles, bindAddress, httpPort, mqttPort, hj212Port, ingestHttpPort, videoPushPort, dataDir,
                maxPayloadBytes, maxReadingsPerSecondPerDevice, consoleUrl, DEFAULT_MAX_SNAPSHOT_BYTES);
    }

    public static NodeSettings defaults() {
        return new NodeSettings("node-1", ALL_ROLES, "0.0.0.0", 8080, 1883, 9212, 8081, 9300, Path.of("data"),
                256 * 1024, 50, null);
    }
}
