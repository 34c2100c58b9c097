package io.safegrid.ingest.gb28181.register;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@code limit} failed registrations from one address for one
 * id within {@code window}, that pair is refused without checking for the rest of the window.
 * Keyed by address and id so that one bad device does not lock out the others behind the same NAT.
 */
public final class AuthThrottle {
    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public AuthThrottle(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    public boolean blocked(String address, String id) {
        Deque<Instant> q = failures.get(key(address, id));
        if (q == null) {
            return false;
        }
        synchronized (q) {
            prune(q);
            return q.size() >= limit;
        }
    }

    public void failed(String address, String id) {
        Deque<Instant> q = failures.computeIfAbsent(key(address, id), k -> new ArrayDeque<>());
        synchronized (q) {
            prune(q);
            q.addLast(clock.instant());
        }
        if (failures.size() > 10_000) {
            failures.values().removeIf(d -> {
                synchronized (d) {
                    prune(d);
                    return d.isEmpty();
                }
            });
        }
    }

    public void succeeded(String address, String id) {
        failures.remove(key(address, id));
    }

    private void prune(Deque<Instant> q) {
        Instant oldest = clock.instant().minus(window);
        while (!q.isEmpty() && q.peekFirst().isBefore(oldest)) {
            q.removeFirst();
        }
    }

    private static String key(String address, String id) {
        return address + "|" + id;
    }
}
