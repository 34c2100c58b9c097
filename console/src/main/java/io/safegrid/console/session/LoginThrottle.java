package io.safegrid.console.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins in a sliding window, counted three ways so that guessing is slow but a stranger
 * cannot lock a duty officer out:
 * <ul>
 *   <li>per user name <em>and</em> client address: after {@code perUserAndAddress} failures that
 *       pair waits; the same user from another address is not affected;</li>
 *   <li>per client address, whatever the names: one address guessing many names waits;</li>
 *   <li>per user name over all addresses (guessing spread over many addresses): over
 *       {@code perUser} failures the user may log in only from an address they logged in from
 *       successfully before, so the officer at their own desk still gets in.</li>
 * </ul>
 * Over a limit, logins are refused before the password is hashed, so guessing cannot burn the CPU
 * either. Memory is bounded: at most {@value #MAX_KEYS} keys are kept (expired ones go first).
 */
public final class LoginThrottle {
    static final int MAX_KEYS = 100_000;
    private static final int KNOWN_ADDRESSES_PER_USER = 20;
    private static final Duration KNOWN_FOR = Duration.ofDays(30);

    private final Clock clock;
    private final Duration window;
    private final int perUserAndAddress;
    private final int perAddress;
    private final int perUser;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();
    /** Per user: the addresses they logged in from successfully, and when last. */
    private final Map<String, Map<String, Instant>> known = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock, Duration window, int perUserAndAddress, int perAddress, int perUser) {
        this.clock = clock;
        this.window = window;
        this.perUserAndAddress = perUserAndAddress;
        this.perAddress = perAddress;
        this.perUser = perUser;
    }

    /** Seconds until this user may try again from this address, or 0 when allowed now. */
    public long retryAfterSeconds(String user, String address) {
        long wait = Math.max(wait(pair(user, address), perUserAndAddress), wait("a:" + address, perAddress));
        if (!knownAddress(user, address)) {
            wait = Math.max(wait, wait("u:" + user, perUser));
        }
        return wait;
    }

    public void failed(String user, String address) {
        if (failures.size() >= MAX_KEYS) {
            prune();
        }
        record(pair(user, address));
        record("a:" + address);
        record("u:" + user);
    }

    /** Clears the pair's failures and remembers the address as one this user really logs in from. */
    public void succeeded(String user, String address) {
        failures.remove(pair(user, address));
        Map<String, Instant> addresses = known.computeIfAbsent(user, u -> new ConcurrentHashMap<>());
        addresses.put(address, clock.instant());
        if (addresses.size() > KNOWN_ADDRESSES_PER_USER) {
            addresses.entrySet().stream().min(Map.Entry.comparingByValue())
                    .ifPresent(oldest -> addresses.remove(oldest.getKey(), oldest.getValue()));
        }
    }

    /** How many failure keys are held (for tests and the bound). */
    int keys() { return failures.size(); }

    private boolean knownAddress(String user, String address) {
        Map<String, Instant> addresses = known.get(user);
        Instant last = addresses == null ? null : addresses.get(address);
        return last != null && last.isAfter(clock.instant().minus(KNOWN_FOR));
    }

    private static String pair(String user, String address) {
        return "p:" + address + "|" + user;
    }

    private long wait(String key, int limit) {
        Deque<Instant> d = failures.get(key);
        if (d == null) {
            return 0;
        }
        synchronized (d) {
            Instant now = clock.instant();
            expire(d, now);
            if (d.size() < limit) {
                return 0;
            }
            // allowed again when the oldest failure that keeps us at the limit leaves the window
            Instant oldest = d.toArray(new Instant[0])[d.size() - limit];
            return Math.max(1, Duration.between(now, oldest.plus(window)).toSeconds());
        }
    }

    private void expire(Deque<Instant> d, Instant now) {
        while (!d.isEmpty() && !d.peekFirst().isAfter(now.minus(window))) {
            d.removeFirst();
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

    /** Drops keys whose failures have all left the window; if that is not enough, pairs before addresses and users. */
    private synchronized void prune() {
        Instant now = clock.instant();
        failures.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                expire(e.getValue(), now);
                return e.getValue().isEmpty();
            }
        });
        for (Iterator<String> it = failures.keySet().iterator(); it.hasNext() && failures.size() >= MAX_KEYS * 9 / 10; ) {
            if (it.next().startsWith("p:")) {
                it.remove();
            }
        }
        for (Iterator<String> it = failures.keySet().iterator(); it.hasNext() && failures.size() >= MAX_KEYS * 9 / 10; ) {
            it.next();
            it.remove();
        }
    }
}
