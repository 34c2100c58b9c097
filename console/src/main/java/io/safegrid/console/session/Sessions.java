package io.safegrid.console.session;

import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.UserDef;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login sessions in memory: a random token per login, ended by logout, by {@code idle} without a
 * request, or {@code maxAge} after login. The user is looked up in the live config on every use,
 * so a reload that removes a user, their password or changes their scope takes effect at once.
 */
public final class Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    private static final int MAX_SESSIONS = 10_000;

    private record Session(String user, Instant created, Instant lastUsed) {
    }

    private final ConfigSource config;
    private final Clock clock;
    private final Duration idle;
    private final Duration maxAge;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> byToken = new ConcurrentHashMap<>();

    public Sessions(ConfigSource config, MeterRegistry registry, Clock clock, Duration idle, Duration maxAge) {
        this.config = config;
        this.clock = clock;
        this.idle = idle;
        this.maxAge = maxAge;
        registry.gaugeMapSize("safegrid.console.sessions", java.util.List.of(), byToken);
    }

    /** A new session for a user whose password was checked; returns its token. */
    public String open(String user) {
        if (byToken.size() >= MAX_SESSIONS) {
            purge();
        }
        byte[] b = new byte[32];
        random.nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        Instant now = clock.instant();
        byToken.put(token, new Session(user, now, now));
        return token;
    }

    /** The session's user, touching it; empty when unknown, expired, idle too long, or the user is gone. */
    public Optional<Principal> use(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Session s = byToken.get(token);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!now.isBefore(s.created.plus(maxAge)) || !now.isBefore(s.lastUsed.plus(idle))) {
            byToken.remove(token);
            LOG.info("session of {} ended: {}", s.user, now.isBefore(s.created.plus(maxAge)) ? "idle" : "expired");
            return Optional.empty();
        }
        Optional<Principal> p = principal(s.user);
        if (p.isEmpty()) {
            byToken.remove(token);
            LOG.info("session of {} ended: user removed or disabled in config", s.user);
            return p;
        }
        // computeIfPresent: a logout racing with this request must not be undone by the touch
        byToken.computeIfPresent(token, (k, old) -> new Session(old.user, old.created, now));
        return p;
    }

    /** Checks without touching (for pushes, which are not user activity). */
    public boolean valid(String token) {
        Session s = token == null ? null : byToken.get(token);
        if (s == null) {
            return false;
        }
        Instant now = clock.instant();
        return now.isBefore(s.created.plus(maxAge)) && now.isBefore(s.lastUsed.plus(idle)) && principal(s.user).isPresent();
    }

    public void close(String token) {
        if (token != null) {
            byToken.remove(token);
        }
    }

    /** The user as the live config has them now, if they may log in. */
    public Optional<Principal> principal(String user) {
        return user(user).map(Sessions::toPrincipal);
    }

    Optional<UserDef> user(String name) {
        return config.current().users().stream()
                .filter(u -> u.name().equals(name) && u.passwordHash() != null && u.scope() != null)
                .findFirst();
    }

    private static Principal toPrincipal(UserDef u) {
        return new Principal(u.name(), u.displayName() == null ? u.name() : u.displayName(), Role.parse(u.role()), u.scope());
    }

    public Duration maxAge() { return maxAge; }

    private void purge() {
        Instant now = clock.instant();
        byToken.values().removeIf(s -> !now.isBefore(s.created.plus(maxAge)) || !now.isBefore(s.lastUsed.plus(idle)));
    }
}
