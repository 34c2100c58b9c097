package io.safegrid.ingest.gb28181.device;

import io.safegrid.config.Gb28181Config;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What SafeGrid knows of one configured device right now.
 *
 * @param transport     {@code UDP} or {@code TCP}, as it registered; null before the first registration
 * @param host          where requests to it go (the address its REGISTER came from)
 * @param expiresAt     when its registration runs out; null when not registered
 * @param lastKeepalive its last Keepalive; null when none since it registered
 * @param online        as judged by the last liveness check
 * @param info          DeviceInfo and DeviceStatus fields (Manufacturer, Model, Firmware, Online, Status …)
 */
public record GbDevice(Gb28181Config.Device config, String transport, String host, int port, Instant registeredAt,
                       Instant expiresAt, Instant lastKeepalive, boolean online, List<CatalogChannel> channels,
                       Map<String, String> info) {
    public String id() { return config.id(); }
}
