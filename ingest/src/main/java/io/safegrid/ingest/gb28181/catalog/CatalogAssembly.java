package io.safegrid.ingest.gb28181.catalog;

import io.safegrid.ingest.gb28181.device.CatalogChannel;
import io.safegrid.ingest.gb28181.manscdp.MansMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.w3c.dom.Element;

/**
 * Collects a Catalog answer that arrives over several MESSAGEs (same SN, {@code SumNum} items in all),
 * so the server knows when a device's catalog is complete. Items are kept as they come; an answer
 * that stops half-way is dropped from here after a minute (its items stay with the device).
 */
public final class CatalogAssembly {
    private static final Duration STALE = Duration.ofMinutes(1);

    private final Clock clock;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    public CatalogAssembly(Clock clock) {
        this.clock = clock;
    }

    private static final class Pending {
        final int sum;
        final Instant started;
        final Map<String, CatalogChannel> items = new LinkedHashMap<>();

        Pending(int sum, Instant started) {
            this.sum = sum;
            this.started = started;
        }
    }

    /** The result of one piece: its channels, and whether the whole catalog is now in. */
    public record Piece(List<CatalogChannel> channels, boolean complete, int received, int sumNum) {
    }

    public Piece add(String deviceId, MansMessage m) {
        List<CatalogChannel> channels = new ArrayList<>();
        for (Element item : m.items("DeviceList")) {
            String id = MansMessage.text(item, "DeviceID");
            if (id == null || id.isEmpty()) {
                continue;
            }
            String name = MansMessage.text(item, "Name");
            channels.add(new CatalogChannel(id, deviceId, name == null || name.isEmpty() ? id : name,
                    MansMessage.text(item, "Manufacturer"), MansMessage.text(item, "Model"),
                    MansMessage.text(item, "Status"), MansMessage.text(item, "ParentID"), null));
        }
        int sum = Math.max(0, m.integer("SumNum", channels.size()));
        Instant now = clock.instant();
        pending.values().removeIf(p -> p.started.isBefore(now.minus(STALE)));
        String key = deviceId + "|" + m.sn();
        Pending p = pending.computeIfAbsent(key, k -> new Pending(sum, now));
        synchronized (p) {
            for (CatalogChannel c : channels) {
                p.items.put(c.id(), c);
            }
            boolean complete = p.items.size() >= p.sum;
            if (complete) {
                pending.remove(key);
            }
            return new Piece(channels, complete, p.items.size(), p.sum);
        }
    }
}
