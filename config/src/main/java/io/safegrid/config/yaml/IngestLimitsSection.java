package io.safegrid.config.yaml;

import io.safegrid.config.IngestLimits;
import java.time.Duration;

/** {@code node.ingest-limits:}; everything left out keeps {@link IngestLimits#defaults()}. */
final class IngestLimitsSection {
    private static final int MB = 1024 * 1024;

    private IngestLimitsSection() {
    }

    static IngestLimits read(Doc doc, MapReader node) {
        IngestLimits d = IngestLimits.defaults();
        if (!node.has("ingest-limits")) {
            return d;
        }
        MapReader m = node.map("ingest-limits", "max-connections-per-listener", "max-unauthenticated-per-listener",
                "max-unauthenticated-per-address", "reserved-file-handles", "hj212-login-timeout", "mqtt-connect-timeout",
                "http-request-timeout", "write-buffer-high-bytes", "max-queued-write-bytes", "max-inflight-body-bytes",
                "auth-failures-per-minute", "hj212-bad-passwords-per-connection", "max-video-pixels");
        int perListener = m.integer("max-connections-per-listener", d.maxConnectionsPerListener(), 1, 1_000_000);
        int unauth = m.integer("max-unauthenticated-per-listener", d.maxUnauthenticatedPerListener(), 1, 1_000_000);
        int perAddress = m.integer("max-unauthenticated-per-address", d.maxUnauthenticatedPerAddress(), 1, 1_000_000);
        int reserved = m.integer("reserved-file-handles", d.reservedFileHandles(), 0, 1_000_000);
        Duration hj212 = within(doc, m, "hj212-login-timeout", d.hj212LoginTimeout(), Duration.ofSeconds(1), Duration.ofMinutes(5));
        Duration mqtt = within(doc, m, "mqtt-connect-timeout", d.mqttConnectTimeout(), Duration.ofSeconds(1), Duration.ofMinutes(5));
        Duration http = within(doc, m, "http-request-timeout", d.httpRequestTimeout(), Duration.ofSeconds(1), Duration.ofMinutes(10));
        int high = m.integer("write-buffer-high-bytes", d.writeBufferHighBytes(), 4096, 64 * MB);
        int queued = m.integer("max-queued-write-bytes", d.maxQueuedWriteBytes(), 8192, 1024 * MB);
        if (queued <= high) {
            doc.error(m.at("max-queued-write-bytes"), m.path("max-queued-write-bytes"),
                    "must be above write-buffer-high-bytes (" + high + ")");
            queued = Math.max(d.maxQueuedWriteBytes(), 2 * high);
        }
        int inflight = m.integer("max-inflight-body-bytes", (int) Math.min(Integer.MAX_VALUE, d.maxInflightBodyBytes()),
                64 * 1024, Integer.MAX_VALUE);
        int failures = m.integer("auth-failures-per-minute", d.authFailuresPerMinute(), 1, 10_000);
        int badPw = m.integer("hj212-bad-passwords-per-connection", d.hj212BadPasswordsPerConnection(), 1, 1000);
        int pixels = m.integer("max-video-pixels", (int) d.maxVideoPixels(), 64 * 64, 16384 * 16384 / 2);
        return new IngestLimits(perListener, unauth, perAddress, reserved, hj212, mqtt, http, high, queued, inflight, failures,
                badPw, pixels);
    }

    private static Duration within(Doc doc, MapReader m, String key, Duration def, Duration min, Duration max) {
        Duration v = m.duration(key, def);
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            doc.error(m.at(key), m.path(key), "must be between " + Durations.format(min) + " and " + Durations.format(max));
            return def;
        }
        return v;
    }
}
