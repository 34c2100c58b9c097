package io.safegrid.ingest.guard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.model.Level;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes device secrets too slow to guess. Failed logins are remembered per device id and per source
 * address (an IPv6 address by its /64) for a minute; once either has {@code perMinute} failures in
 * the last minute, further logins for it are refused without looking at the secret, so nobody gets
 * more than {@code perMinute} guesses a minute at one device or from one address. The address a
 * device last logged in from is exempt from the device's own count, so that a stranger guessing at
 * a device id cannot lock the real device out.
 *
 * <p>A device (or camera) whose failures fill its minute raises a {@link FindingKind#CREDENTIAL_ATTACK}
 * finding at its site, seen by its enterprise and every level above; failures for unknown ids that
 * fill an address's minute raise one at the county. Each clears after {@link #QUIET} without failures.
 * Thread-safe.
 */
public final class AuthThrottle {
    private static final Logger LOG = LoggerFactory.getLogger(AuthThrottle.class);
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** A burst's finding clears after this long without a failure. */
    static final Duration QUIET = Duration.ofMinutes(10);
    static final String RULE = "credential-attack";
    /** The source id of the county-level finding for guesses at unknown ids. */
    static final String UNKNOWN_SOURCE = "ingest-logins";
    private static final int MAX_ADDRESSES = 65_536;

    private final Clock clock;
    private final Duration window;
    private final IntSupplier perWindow;
    private final Function<String, GridPath> siteOf;
    private final Supplier<GridPath> county;
    private final Bus bus;
    private final Counter failures;
    private final Counter throttled;
    private final Counter bursts;
    private final Map<String, ArrayDeque<Instant>> byDevice = new HashMap<>();
    private final Map<InetAddress, ArrayDeque<Instant>> byAddress = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, ArrayDeque<Instant>> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };
    private final Map<String, InetAddress> lastGoodAddress = new HashMap<>();
    /** Sources (device ids, {@link #UNKNOWN_SOURCE}) with an active finding, and their site and last failure. */
    private final Map<String, Burst> active = new HashMap<>();

    private record Burst(GridPath site, Instant last, int failures) {
    }

    /**
     * @param siteOf the site of a configured device or camera id; null for ids nobody configured
     * @param county where findings about unknown ids go (the grid's root)
     */
    public AuthThrottle(Clock clock, IntSupplier perMinute, Function<String, GridPath> siteOf, Supplier<GridPath> county,
                        Bus bus, MeterRegistry registry) {
        this(clock, WINDOW, perMinute, siteOf, county, bus, registry);
    }

    /**
     * With another window than a minute (GB/T 28181's {@code auth-window}): {@code perWindow} failures
     * within {@code window} block the id or address for the rest of it.
     */
    public AuthThrottle(Clock clock, Duration window, IntSupplier perWindow, Function<String, GridPath> siteOf,
                        Supplier<GridPath> county, Bus bus, MeterRegistry registry) {
        this.clock = clock;
        this.window = window;
        this.perWindow = perWindow;
        this.siteOf = siteOf;
        this.county = county;
        this.bus = bus;
        this.failures = Counter.builder("safegrid.ingest.auth.failures").description("failed device logins, all protocols")
                .register(registry);
        this.throttled = Counter.builder("safegrid.ingest.auth.throttled")
                .description("device logins refused unchecked: too many failures for the id or address").register(registry);
        this.bursts = Counter.builder("safegrid.ingest.auth.bursts")
                .description("possible credential attacks raised as findings").register(registry);
    }

    /**
     * Whether a login for {@code id} from {@code peer} may be checked now. False (counted) while the
     * id or the address has used up its failures for the minute.
     */
    public synchronized boolean allows(String id, SocketAddress peer) {
        Instant now = clock.instant();
        int max = perWindow.getAsInt();
        InetAddress a = key(peer);
        boolean ok = recent(byAddress.get(a), now) < max;
        if (ok && id != null && !a.equals(lastGoodAddress.get(id))) {
            ok = recent(byDevice.get(id), now) < max;
        }
        if (!ok) {
            throttled.increment();
        }
        return ok;
    }

    /** A wrong secret (or an unknown id) for {@code id} from {@code peer}. */
    public void failed(String id, SocketAddress peer) {
        Finding raise = null;
        synchronized (this) {
            failures.increment();
            Instant now = clock.instant();
            int max = perWindow.getAsInt();
            InetAddress a = key(peer);
            int fromAddress = add(byAddress.computeIfAbsent(a, k -> new ArrayDeque<>()), now, max);
            GridPath site = id == null ? null : siteOf.apply(id);
            if (site != null) {
                int forDevice = add(byDevice.computeIfAbsent(id, k -> new ArrayDeque<>()), now, max);
                raise = burst(id, site, forDevice, max, now, a);
            } else {
                raise = burst(UNKNOWN_SOURCE, county.get(), fromAddress, max, now, a);
            }
        }
        publish(raise);
    }

    /** A successful login: the address becomes the device's own (exempt from its id's count). */
    public synchronized void succeeded(String id, SocketAddress peer) {
        if (id != null && siteOf.apply(id) != null) {
            lastGoodAddress.put(id, key(peer));
        }
    }

    /** Clears findings whose source has been quiet for {@link #QUIET}; call now and then (every second). */
    public void tick() {
        Instant now = clock.instant();
        java.util.List<Finding> cleared = new java.util.ArrayList<>();
        synchronized (this) {
            for (Iterator<Map.Entry<String, Burst>> it = active.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (Duration.between(e.getValue().last(), now).compareTo(QUIET) >= 0) {
                    cleared.add(finding(e.getKey(), e.getValue().site(), Condition.CLEARED, e.getValue().failures(), now,
                            "登录失败已停止 login failures stopped", null));
                    it.remove();
                }
            }
            byDevice.values().removeIf(q -> recent(q, now) == 0);
            byAddress.values().removeIf(q -> recent(q, now) == 0);
        }
        cleared.forEach(this::publish);
    }

    private Finding burst(String source, GridPath site, int recentFailures, int max, Instant now, InetAddress from) {
        if (site == null) {
            return null;
        }
        Burst b = active.get(source);
        if (b != null) {
            active.put(source, new Burst(site, now, b.failures() + 1));
            return null;
        }
        if (recentFailures < max) {
            return null;
        }
        active.put(source, new Burst(site, now, recentFailures));
        bursts.increment();
        LOG.warn("possible credential attack on {}: {} failed logins within {} (last from {})", source, recentFailures, span(),
                from.getHostAddress());
        String what = source.equals(UNKNOWN_SOURCE) ? "unknown devices" : source;
        return finding(source, site, Condition.ACTIVE, recentFailures, now,
                "疑似密码攻击 possible credential attack: " + recentFailures + " failed logins within " + span() + " for " + what,
                from.getHostAddress());
    }

    private String span() {
        return window.equals(WINDOW) ? "a minute" : window.toSeconds() + " s";
    }

    private Finding finding(String source, GridPath site, Condition c, int count, Instant now, String message, String from) {
        Map<String, String> details = from == null ? Map.of() : Map.of("lastAddress", from);
        return new Finding(UUID.randomUUID().toString(), FindingKind.CREDENTIAL_ATTACK, Level.YELLOW, c, source, site, RULE,
                null, count, perWindow.getAsInt(), now, message, null, details);
    }

    private void publish(Finding f) {
        if (f == null) {
            return;
        }
        try {
            if (!bus.offer(Topic.FINDINGS, f.sourceId(), f)) {
                LOG.warn("findings topic full: credential attack finding for {} not published", f.sourceId());
            }
        } catch (IllegalStateException closed) {
            LOG.debug("bus closed; credential attack finding for {} not published", f.sourceId());
        }
    }

    /** Adds a failure; returns how many fall in the last minute (at most {@code max} are kept). */
    private int add(ArrayDeque<Instant> q, Instant now, int max) {
        recent(q, now);
        q.addLast(now);
        while (q.size() > max) {
            q.removeFirst();
        }
        return q.size();
    }

    private int recent(ArrayDeque<Instant> q, Instant now) {
        if (q == null) {
            return 0;
        }
        Instant from = now.minus(window);
        while (!q.isEmpty() && !q.peekFirst().isAfter(from)) {
            q.removeFirst();
        }
        return q.size();
    }

    /** The address a limit applies to: the host, or an IPv6 host's /64 (one subscriber's network). */
    static InetAddress key(SocketAddress peer) {
        InetAddress a = peer instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress()
                : InetAddress.getLoopbackAddress();
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            java.util.Arrays.fill(b, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(b);
            } catch (UnknownHostException e) {
                return a;
            }
        }
        return a;
    }
}
