package io.safegrid.console.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per user name and per client address in a sliding window. Over the limit, logins
 * are refused before the password is even hashed, so guessing is slow and cannot burn the CPU.
 */
public final class LoginThrottle {
    private final Clock clock;
    private final Duration window;
    private final int perUser;
    private final int perAddress;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock, Duration window, int perUser, int perAddress) {
        this.clock = clock;
        this.window = window;
        this.perUser = perUser;
        this.perAddress = perAddress;
    }

    /** Seconds until another try is allowed for this user or address, or 0 when allowed now. */
    public long retryAfterSeconds(String user, String address) {
        return Math.max(wait("u:" + user, perUser), wait("a:" + address, perAddress));
    }

    public void failed(String user, String address) {
        record("u:" + user);
        record("a:" + address);
    }

    public void succeeded(String user) {
        failures.remove("u:" + user);
    }

    private long wait(String key, int limit) {
        Deque<Instant> d = failures.get(key);
        if (d == null) {
            return 0;
        }
        synchronized (d) {
            Instant now = clock.instant();
            while (!d.isEmpty() && !d.peekFirst().isAfter(now.minus(window))) {
                d.removeFirst();
            }
            if (d.size() < limit) {
                return 0;
            }
            // allowed again when the oldest failure that keeps us at the limit leaves the window
            Instant oldest = d.toArray(new Instant[0])[d.size() - limit];
            return Math.max(1, Duration.between(now, oldest.plus(window)).toSeconds());
        }
    }

    private void record(String key) {
        Deque<Instant> d = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (d) {
            d.addLast(clock.instant());
            while (d.size() > 1000) {
                d.removeFirst();
            }
        }
    }
}
