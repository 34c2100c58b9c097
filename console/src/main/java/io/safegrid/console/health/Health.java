package io.safegrid.console.health;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Readiness of the node: each started part registers a check; the node is ready when it has
 * finished starting and every check passes.
 */
public final class Health {
    private final Map<String, Supplier<Boolean>> checks = new ConcurrentHashMap<>();
    private final Map<String, Supplier<String>> notes = new ConcurrentHashMap<>();
    private final Instant started = Instant.now();
    private volatile boolean startupComplete;

    public void register(String name, Supplier<Boolean> check) { checks.put(name, check); }

    /** A fact an operator should see in /health that does not make the node unready (e.g. a degraded detector). */
    public void note(String name, Supplier<String> text) { notes.put(name, text); }

    /** The notes that have something to say now, by name. */
    public Map<String, String> notes() {
        Map<String, String> out = new LinkedHashMap<>();
        notes.keySet().stream().sorted().forEach(k -> {
            String v = notes.get(k).get();
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    public void markStarted() { startupComplete = true; }

    public boolean ready() {
        return startupComplete && checks.values().stream().allMatch(Health::safeGet);
    }

    /** UP when ready; STARTING until startup completes; DOWN when a check fails after that (e.g. a store refusing writes). */
    public String status() {
        return ready() ? "UP" : startupComplete ? "DOWN" : "STARTING";
    }

    public Map<String, Boolean> results() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        checks.keySet().stream().sorted().forEach(k -> out.put(k, safeGet(checks.get(k))));
        return out;
    }

    public Duration uptime() { return Duration.between(started, Instant.now()); }

    private static boolean safeGet(Supplier<Boolean> s) {
        try {
            return Boolean.TRUE.equals(s.get());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
