package io.safegrid.ingest.directory;

import io.safegrid.config.DeviceAccess;
import io.safegrid.config.Deployment;
import io.safegrid.model.device.Sensor;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may send what, built once per config so the hot path does map look-ups only. A reload
 * builds a new directory; handlers always read the current one, so new devices and secrets apply
 * without a restart.
 */
public final class DeviceDirectory {

    /** One HJ 212 data logger: its password and which sensor each factor code feeds. */
    public record Logger(String mn, String password, Map<String, Sensor> sensorsByFactor) {
    }

    private final Deployment deployment;
    private final Map<String, Sensor> sensors;
    private final Map<String, Logger> loggers;
    /** SHA-256 of every sensor's secret: a token can be checked before the body naming its device is read. */
    private final java.util.Set<String> secretDigests;

    private DeviceDirectory(Deployment deployment) {
        this.deployment = deployment;
        this.sensors = deployment.sensorsById();
        Map<String, Map<String, Sensor>> byMn = new HashMap<>();
        Map<String, String> passwords = new HashMap<>();
        for (Sensor s : deployment.sensors()) {
            DeviceAccess a = deployment.access().get(s.id());
            if (a == null || a.hj212() == null) {
                continue;
            }
            byMn.computeIfAbsent(a.hj212().mn(), k -> new HashMap<>()).put(a.hj212().factor(), s);
            passwords.putIfAbsent(a.hj212().mn(), a.hj212().password());
        }
        Map<String, Logger> l = new HashMap<>();
        byMn.forEach((mn, f) -> l.put(mn, new Logger(mn, passwords.get(mn), Map.copyOf(f))));
        this.loggers = Map.copyOf(l);
        java.util.Set<String> digests = new java.util.HashSet<>();
        deployment.access().forEach((id, a) -> {
            if (a.secret() != null && sensors.containsKey(id)) {
                digests.add(digest(a.secret()));
            }
        });
        this.secretDigests = java.util.Set.copyOf(digests);
    }

    /**
     * Whether {@code token} is some sensor's secret. Looked up by its SHA-256, so the time taken
     * tells nothing about how close a guess came.
     */
    public boolean knowsSecret(String token) {
        return token != null && secretDigests.contains(digest(token));
    }

    private static String digest(String secret) {
        try {
            return java.util.HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static DeviceDirectory of(Deployment deployment) { return new DeviceDirectory(deployment); }

    public Deployment deployment() { return deployment; }

    public Optional<Sensor> sensor(String deviceId) { return Optional.ofNullable(sensors.get(deviceId)); }

    public List<Sensor> sensors() { return deployment.sensors(); }

    public Optional<Logger> logger(String mn) { return Optional.ofNullable(loggers.get(mn)); }

    /** True when the device exists and {@code secret} is its secret (compared in constant time). */
    public boolean authenticates(String deviceId, String secret) {
        if (deviceId == null || secret == null || !sensors.containsKey(deviceId)) {
            return false;
        }
        DeviceAccess a = deployment.access().get(deviceId);
        return a != null && a.secret() != null && constantTimeEquals(a.secret(), secret);
    }

    /** How long the device may stay silent before it counts as offline; null when its class has no timeout. */
    public Duration offlineAfter(Sensor sensor) {
        var dc = sensor.deviceClass() == null ? null : deployment.deviceClasses().get(sensor.deviceClass());
        return dc == null ? null : dc.offlineAfter();
    }

    public static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
