package io.safegrid.ingest.gb28181.device;

import io.safegrid.config.Gb28181Config;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The live state of the configured GB/T 28181 devices: registration, keepalives, catalog and info.
 * Written from the SIP stack's threads, read by the liveness check and the operator listing.
 * A device is online while its registration is valid and it was heard within
 * {@code keepalive interval × keepalive-missed} (counted from its registration until its first keepalive).
 */
public final class DeviceRegistry {
    private final Supplier<Gb28181Config> config;
    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public DeviceRegistry(Supplier<Gb28181Config> config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    private static final class State {
        volatile String transport;
        volatile String host;
        volatile int port;
        volatile Instant registeredAt;
        volatile Instant expiresAt;
        volatile Instant lastKeepalive;
        volatile Boolean judged;   // null until first judged
        final Map<String, CatalogChannel> channels = new ConcurrentHashMap<>();
        final Map<String, String> info = new ConcurrentHashMap<>();
    }

    private State state(String id) {
        return states.computeIfAbsent(id, k -> new State());
    }

    /** @return true when the device was not registered before (a catalog query is due) */
    public boolean register(String id, String transport, String host, int port, Duration expires) {
        State s = state(id);
        boolean fresh = s.expiresAt == null || !s.expiresAt.isAfter(clock.instant());
        Instant now = clock.instant();
        s.transport = transport;
        s.host = host;
        s.port = port;
        if (fresh) {
            s.registeredAt = now;
            s.lastKeepalive = null;
        }
        s.expiresAt = now.plus(expires);
        return fresh;
    }

    public void unregister(String id) {
        State s = state(id);
        s.expiresAt = null;
        s.lastKeepalive = null;
    }

    public boolean isRegistered(String id) {
        State s = states.get(id);
        return s != null && s.expiresAt != null && s.expiresAt.isAfter(clock.instant());
    }

    public void keepalive(String id) {
        state(id).lastKeepalive = clock.instant();
    }

    /** Merges channels from one Catalog MESSAGE; their grid placement comes from the config. */
    public void channels(String deviceId, List<CatalogChannel> items) {
        State s = state(deviceId);
        for (CatalogChannel c : items) {
            s.channels.put(c.id(), c);
        }
    }

    public void info(String deviceId, Map<String, String> fields) {
        state(deviceId).info.putAll(fields);
    }

    /** Where requests to a registered device go: transport, host, port; empty when not registered. */
    public Optional<GbDevice> device(String id) {
        Gb28181Config c = config.get();
        return c.device(id).map(d -> snapshot(d, states.get(id)));
    }

    /** Every configured device, in config order. */
    public List<GbDevice> devices() {
        List<GbDevice> out = new ArrayList<>();
        for (Gb28181Config.Device d : config.get().devices()) {
            out.add(snapshot(d, states.get(d.id())));
        }
        return out;
    }

    /** The channels that came in catalogs but that the config places nowhere. */
    public List<CatalogChannel> unboundChannels() {
        return devices().stream().flatMap(d -> d.channels().stream()).filter(c -> !c.bound()).toList();
    }

    /**
     * Judges every device against its keepalive and registration; returns those whose state changed,
     * with why. The caller marks a change as done with {@link #settle} once its finding is published.
     */
    public List<Change> judge(Instant startedAt) {
        Gb28181Config c = config.get();
        Instant now = clock.instant();
        List<Change> out = new ArrayList<>();
        for (Gb28181Config.Device d : c.devices()) {
            State s = state(d.id());
            Duration limit = c.keepaliveOf(d).multipliedBy(c.keepaliveMissed());
            Instant heard = s.lastKeepalive != null ? s.lastKeepalive : s.registeredAt != null ? s.registeredAt : startedAt;
            String why;
            if (s.expiresAt == null) {
                why = s.registeredAt == null ? "never registered" : "unregistered";
            } else if (!s.expiresAt.isAfter(now)) {
                why = "registration expired";
            } else if (Duration.between(heard, now).compareTo(limit) >= 0) {
                why = "no keepalive for " + Duration.between(heard, now).toSeconds() + " s";
            } else {
                why = null;
            }
            boolean online = why == null;
            if (s.judged == null && online) {
                s.judged = true;   // a first registration is not a recovery
            } else if (s.judged == null && s.registeredAt == null && Duration.between(startedAt, now).compareTo(limit) < 0) {
                continue;          // give a device that has not registered yet its keepalive limit from start
            } else if (s.judged == null || s.judged != online) {
                out.add(new Change(snapshot(d, s), online, why, Duration.between(heard, now), limit));
            }
        }
        return out;
    }

    /** Records a judged change once its finding is on the bus. */
    public void settle(Change change) {
        State s = state(change.device().id());
        s.judged = change.online();
    }

    /** One device going offline or coming back. */
    public record Change(GbDevice device, boolean online, String why, Duration silent, Duration limit) {
    }

    private GbDevice snapshot(Gb28181Config.Device d, State s) {
        if (s == null) {
            return new GbDevice(d, null, null, 0, null, null, null, false, List.of(), Map.of());
        }
        Map<String, Gb28181Config.Channel> bound = new LinkedHashMap<>();
        for (Gb28181Config.Channel ch : d.channels()) {
            bound.put(ch.id(), ch);
        }
        List<CatalogChannel> channels = s.channels.values().stream()
                .map(c -> {
                    Gb28181Config.Channel b = bound.get(c.id());
                    return new CatalogChannel(c.id(), c.deviceId(), c.name(), c.manufacturer(), c.model(), c.status(),
                            c.parentId(), b == null ? null : b.grid());
                })
                .sorted(Comparator.comparing(CatalogChannel::id)).toList();
        return new GbDevice(d, s.transport, s.host, s.port, s.registeredAt, s.expiresAt, s.lastKeepalive,
                Boolean.TRUE.equals(s.judged), channels, Map.copyOf(s.info));
    }
}
