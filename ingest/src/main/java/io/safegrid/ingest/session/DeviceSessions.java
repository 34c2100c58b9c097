package io.safegrid.ingest.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.RuleDef;
import io.safegrid.ingest.directory.DeviceDirectory;
import io.safegrid.model.Level;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which devices are talking. Ingest calls {@link #seen} for every accepted reading (cheap, on the
 * network threads); {@link #tick} — run by a scheduler, or by a test with its own clock — decides
 * online/offline against the device class's {@code offlineAfter} and publishes DEVICE_OFFLINE
 * findings: ACTIVE when a device falls silent, CLEARED when it speaks again.
 *
 * <p>The one place a device's OFFLINE is judged: silence is seen here, so the finding carries the
 * matching OFFLINE rule's id and level, and alerting takes it as found.
 *
 * <p>A device that has not reported since this node started is timed from the start, so a sensor
 * that never comes up is reported too. A state change counts only once its finding is on the bus;
 * a refused offer is retried on the next tick.
 */
public final class DeviceSessions {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceSessions.class);
    static final String DEFAULT_RULE = "device-offline";

    private final Supplier<DeviceDirectory> directory;
    private final Bus bus;
    private final Clock clock;
    private final Instant startedAt;
    /** Epoch milliseconds of each device's last accepted reading, in a holder per device: no lock or allocation per reading. */
    private final Map<String, Seen> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, Boolean> offline = new ConcurrentHashMap<>();
    private final Counter wentOffline;
    private final Counter cameBack;

    public DeviceSessions(Supplier<DeviceDirectory> directory, Bus bus, MeterRegistry registry, Clock clock) {
        this.directory = directory;
        this.bus = bus;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.wentOffline = Counter.builder("safegrid.ingest.device.offline").description("devices that went offline").register(registry);
        this.cameBack = Counter.builder("safegrid.ingest.device.online").description("offline devices that came back").register(registry);
        Gauge.builder("safegrid.ingest.devices.offline", offline, m -> m.values().stream().filter(b -> b).count())
                .description("devices offline now").register(registry);
    }

    /** Records that a reading from the device was accepted now. */
    public void seen(String deviceId) {
        long now = clock.millis();
        Seen s = lastSeen.get(deviceId);
        if (s == null) {
            s = lastSeen.computeIfAbsent(deviceId, k -> new Seen(now));
        }
        s.millis = now;
    }

    /** One device's last accepted reading. */
    private static final class Seen {
        volatile long millis;

        Seen(long millis) {
            this.millis = millis;
        }
    }

    public boolean isOffline(String deviceId) { return offline.getOrDefault(deviceId, false); }

    public Instant lastSeen(String deviceId) {
        Seen s = lastSeen.get(deviceId);
        return s == null ? null : Instant.ofEpochMilli(s.millis);
    }

    private Instant lastSeenOrStart(String deviceId) {
        Instant seen = lastSeen(deviceId);
        return seen == null ? startedAt : seen;
    }

    /** Compares every configured sensor's silence with its class timeout and publishes the changes. */
    public void tick() {
        DeviceDirectory dir = directory.get();
        Instant now = clock.instant();
        for (Sensor s : dir.sensors()) {
            Duration after = dir.offlineAfter(s);
            if (after == null || after.isZero() || after.isNegative()) {
                continue;
            }
            Instant seen = lastSeenOrStart(s.id());
            Duration silent = Duration.between(seen, now);
            boolean wasOffline = isOffline(s.id());
            boolean isOffline = silent.compareTo(after) >= 0;
            if (isOffline == wasOffline) {
                continue;
            }
            if (publish(dir, s, isOffline, silent, after, now)) {
                offline.put(s.id(), isOffline);
                (isOffline ? wentOffline : cameBack).increment();
                if (isOffline) {
                    LOG.warn("device {} at {} offline: silent for {} (limit {})", s.id(), s.site(), silent, after);
                } else {
                    LOG.info("device {} at {} back online", s.id(), s.site());
                }
            }
        }
    }

    private boolean publish(DeviceDirectory dir, Sensor s, boolean goesOffline, Duration silent, Duration after, Instant now) {
        RuleDef rule = dir.deployment().rules().stream()
                .filter(r -> r.type() == RuleDef.Type.OFFLINE && r.appliesTo(s.metric(), s.deviceClass()))
                .findFirst().orElse(null);
        Level level = rule != null && rule.level() != null ? rule.level() : Level.BLUE;
        String message = goesOffline
                ? "设备离线 device offline: " + s.name() + " silent for " + silent.toSeconds() + " s"
                : "设备恢复 device back online: " + s.name();
        Finding f = new Finding(UUID.randomUUID().toString(), FindingKind.DEVICE_OFFLINE, level,
                goesOffline ? Condition.ACTIVE : Condition.CLEARED, s.id(), s.site(),
                rule == null ? DEFAULT_RULE : rule.id(), null, silent.toSeconds(), after.toSeconds(), now, message,
                null, Map.of("metric", s.metric(), "offlineAfter", after.toString(),
                        "lastSeen", String.valueOf(lastSeenOrStart(s.id()))));
        try {
            return bus.offer(Topic.FINDINGS, s.id(), f);
        } catch (IllegalStateException closed) {
            return false;
        }
    }
}
