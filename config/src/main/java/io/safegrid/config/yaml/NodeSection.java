package io.safegrid.config.yaml;

import io.safegrid.config.NodeSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** {@code node:}, this process's own settings; everything left out keeps {@link NodeSettings#defaults()}. */
final class NodeSection {
    private static final List<String> PORTS = List.of("http-port", "mqtt-port", "hj212-port", "ingest-http-port",
            "video-push-port");
    /** The metrics token guards camera ids, login counters and the like from anyone on the network. */
    private static final int MIN_TOKEN_LENGTH = 16;

    private NodeSection() {
    }

    static NodeSettings read(Doc doc, Node yaml) {
        NodeSettings d = NodeSettings.defaults();
        MapReader m = doc.map(yaml, "node", "id", "roles", "bind-address", "http-port", "mqtt-port", "hj212-port",
                "ingest-http-port", "video-push-port", "data-dir", "max-payload-bytes",
                "max-readings-per-second-per-device", "console-url", "max-snapshot-bytes", "demo", "metrics-token",
                "ingest-limits", "threads");
        String id = m.string("id", d.nodeId());
        Set<String> roles = d.roles();
        if (m.has("roles")) {
            roles = new LinkedHashSet<>();
            List<Node> items = m.list("roles");
            for (int i = 0; i < items.size(); i++) {
                String p = m.path("roles") + "[" + i + "]";
                String r = doc.text(items.get(i), p);
                if (r != null && !NodeSettings.ALL_ROLES.contains(r)) {
                    doc.error(items.get(i), p, "unknown role '" + r + "' (known: ingest, analytics, alerting, console)");
                } else if (r != null) {
                    roles.add(r);
                }
            }
            if (roles.isEmpty() && !items.isEmpty()) {
                roles = d.roles();
            } else if (items.isEmpty()) {
                doc.error(m.at("roles"), m.path("roles"), "a node must run at least one role");
            }
        }
        String bind = m.string("bind-address", d.bindAddress());
        int[] defaults = {d.httpPort(), d.mqttPort(), d.hj212Port(), d.ingestHttpPort(), d.videoPushPort()};
        int[] ports = new int[PORTS.size()];
        Map<Integer, String> taken = new HashMap<>();
        for (int i = 0; i < ports.length; i++) {
            String key = PORTS.get(i);
            ports[i] = m.integer(key, defaults[i], -1, 65535);
            // 0 picks a free port and -1 turns the listener off; only real ports can clash
            if (ports[i] > 0) {
                String other = taken.putIfAbsent(ports[i], key);
                if (other != null) {
                    doc.error(m.at(key), m.path(key), "port " + ports[i] + " is already node." + other
                            + (m.has(key) ? "" : " (" + key + " defaults to " + ports[i] + ")"));
                }
            }
        }
        Path dir = m.file("data-dir");
        Path dataDir = dir == null ? d.dataDir() : dir;
        int maxPayload = m.integer("max-payload-bytes", d.maxPayloadBytes(), 1024, 64 * 1024 * 1024);
        int maxSnapshot = m.integer("max-snapshot-bytes", d.maxSnapshotBytes(), 1024, 64 * 1024 * 1024);
        Double rate = m.number("max-readings-per-second-per-device");
        if (rate != null && rate <= 0) {
            doc.error(m.at("max-readings-per-second-per-device"), m.path("max-readings-per-second-per-device"),
                    "must be above 0");
            rate = null;
        }
        String consoleUrl = m.string("console-url", d.consoleUrl());
        if (consoleUrl != null && !consoleUrl.startsWith("http://") && !consoleUrl.startsWith("https://")) {
            doc.error(m.at("console-url"), m.path("console-url"), "must start with http:// or https://");
        }
        boolean demo = Boolean.TRUE.equals(m.bool("demo", false));
        String metricsToken = m.string("metrics-token");
        if (metricsToken != null && metricsToken.isBlank()) {
            metricsToken = null;   // ${SAFEGRID_METRICS_TOKEN:-} with the variable unset: no token
        }
        if (metricsToken != null && metricsToken.length() < MIN_TOKEN_LENGTH) {
            doc.error(m.at("metrics-token"), m.path("metrics-token"), "too short: use at least "
                    + MIN_TOKEN_LENGTH + " characters");
            metricsToken = null;
        }
        return new NodeSettings(id, roles, bind, ports[0], ports[1], ports[2], ports[3], ports[4], dataDir, maxPayload,
                rate == null ? d.maxReadingsPerSecondPerDevice() : rate, consoleUrl, maxSnapshot, demo, metricsToken,
                IngestLimitsSection.read(doc, m), ThreadsSection.read(doc, m));
    }
}
