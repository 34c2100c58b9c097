package io.safegrid.console.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.UserDef;
import io.safegrid.config.log.LimitedLog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login sessions: a random token per login, ended by logout, by {@code idle} without a request, or
 * {@code maxAge} after login. The user is looked up in the live config on every use, so a reload that
 * removes a user, or changes their password, role or scope, takes effect at once; the same holds for a
 * session found in the {@link SessionStore} after a restart.
 *
 * <p>Sessions are kept in memory and written through to the store under a SHA-256 of the token (the
 * token is 256 random bits, so a fast hash cannot be reversed). Use moves the stored last-use time at
 * most once a {@link #SAVE_USE_EVERY}: after a restart a session may count as idle up to that much
 * early. A store that fails costs only the restart (or the takeover, for a store the pair shares):
 * sessions go on in memory, the failure is counted and logged. That save also finds a session that
 * another node sharing the store has ended (a logout there) and ends it here, so a logout reaches the
 * other node of a pair at the first use a {@link #SAVE_USE_EVERY} after the last save.
 */
public final class Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    private static final LimitedLog STORE_LOG = new LimitedLog(LOG, 6);
    private static final int MAX_SESSIONS = 10_000;
    static final Duration SAVE_USE_EVERY = Duration.ofMinutes(1);

    /** {@code kept}: the store holds it, so its absence there later means another node ended it. */
    private record Session(String user, String credential, Instant created, Instant lastUsed, Instant saved, boolean kept) {
        Session used(Instant now, boolean save, boolean keptNow) {
            return new Session(user, credential, created, now, save ? now : saved, keptNow);
        }
    }

    private final ConfigSource config;
    private final Clock clock;
    private final Duration idle;
    private final Duration maxAge;
    private final SessionStore store;
    private final Counter storeFailures;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> byHash = new ConcurrentHashMap<>();

    public Sessions(ConfigSource config, MeterRegistry registry, Clock clock, Duration idle, Duration maxAge) {
        this(config, registry, clock, idle, maxAge, SessionStore.none());
    }

    public Sessions(ConfigSource config, MeterRegistry registry, Clock clock, Duration idle, Duration maxAge, SessionStore store) {
        this.config = config;
        this.clock = clock;
        this.idle = idle;
        this.maxAge = maxAge;
        this.store = store;
        this.storeFailures = Counter.builder("safegrid.console.session.store.failures")
                .description("session store reads and writes that failed; sessions went on in memory").register(registry);
        registry.gaugeMapSize("safegrid.console.sessions", java.util.List.of(), byHash);
        Instant now = clock.instant();
        stored(() -> {
            int n = store.removeEnded(now.minus(maxAge), now.minus(idle));
            if (n > 0) {
                LOG.info("{} session(s) ended while the node was down removed from the session store", n);
            }
        });
    }

    /** A new session for a user whose password was checked; returns its token. */
    public String open(String user) {
        if (byHash.size() >= MAX_SESSIONS) {
            purge();
        }
        byte[] b = new byte[32];
        random.nextBytes(b);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        Instant now = clock.instant();
        String credential = user(user).map(u -> fingerprint(u.passwordHash())).orElse("");
        String hash = hash(token);
        boolean kept = keep(hash, new SessionStore.Stored(user, credential, now, now));
        byHash.put(hash, new Session(user, credential, now, now, now, kept));
        return token;
    }

    /** The session's user, touching it; empty when unknown, expired, idle too long, or the user is gone. */
    public Optional<Principal> use(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String hash = hash(token);
        Session s = find(hash);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!now.isBefore(s.created.plus(maxAge)) || !now.isBefore(s.lastUsed.plus(idle))) {
            end(hash);
            LOG.info("session of {} ended: {}", s.user, now.isBefore(s.created.plus(maxAge)) ? "idle" : "expired");
            return Optional.empty();
        }
        Optional<Principal> p = principal(s);
        if (p.isEmpty()) {
            end(hash);
            LOG.info("session of {} ended: user removed, disabled or given a new password in config", s.user);
            return p;
        }
        boolean save = !now.isBefore(s.saved.plus(SAVE_USE_EVERY));
        boolean kept = s.kept;
        if (save) {
            Boolean there = stored(() -> store.touch(hash, now), null);
            if (Boolean.FALSE.equals(there) && s.kept) {
                byHash.remove(hash);
                LOG.info("session of {} ended: logged out on another node sharing the session store", s.user);
                return Optional.empty();
            }
            if (there != null) {
                // one a failing store missed at login is written now that it answers
                kept = there || keep(hash, new SessionStore.Stored(s.user, s.credential, s.created, now));
            }
        }
        // computeIfPresent: a logout racing with this request must not be undone by the touch
        boolean keptNow = kept;
        byHash.computeIfPresent(hash, (k, old) -> old.used(now, save, keptNow));
        return p;
    }

    /** Checks without touching (for pushes, which are not user activity). */
    public boolean valid(String token) {
        Session s = token == null ? null : find(hash(token));
        if (s == null) {
            return false;
        }
        Instant now = clock.instant();
        return now.isBefore(s.created.plus(maxAge)) && now.isBefore(s.lastUsed.plus(idle)) && principal(s).isPresent();
    }

    public void close(String token) {
        if (token != null) {
            end(hash(token));
        }
    }

    /** The user as the live config has them now, if they may log in. */
    public Optional<Principal> principal(String user) {
        return user(user).map(Sessions::toPrincipal);
    }

    /** The session's user as the config has them now, if they may log in with the password they logged in with. */
    private Optional<Principal> principal(Session s) {
        return user(s.user).filter(u -> fingerprint(u.passwordHash()).equals(s.credential)).map(Sessions::toPrincipal);
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

    /** In memory, or else in the store (a session from before a restart), then kept in memory. */
    private Session find(String hash) {
        Session s = byHash.get(hash);
        if (s != null) {
            return s;
        }
        Optional<SessionStore.Stored> kept = stored(() -> store.get(hash), Optional.<SessionStore.Stored>empty());
        if (kept.isEmpty()) {
            return null;
        }
        SessionStore.Stored k = kept.get();
        Session loaded = new Session(k.user(), k.credential(), k.created(), k.lastUsed(), k.lastUsed(), true);
        Session raced = byHash.putIfAbsent(hash, loaded);
        return raced != null ? raced : loaded;
    }

    /** Writes the session to the store; false when the store failed. */
    private boolean keep(String hash, SessionStore.Stored session) {
        return stored(() -> {
            store.put(hash, session);
            return true;
        }, false);
    }

    private void end(String hash) {
        byHash.remove(hash);
        stored(() -> store.remove(hash));
    }

    private void purge() {
        Instant now = clock.instant();
        byHash.values().removeIf(s -> !now.isBefore(s.created.plus(maxAge)) || !now.isBefore(s.lastUsed.plus(idle)));
        stored(() -> store.removeEnded(now.minus(maxAge), now.minus(idle)));
    }

    private void stored(Runnable write) {
        stored(() -> {
            write.run();
            return null;
        }, null);
    }

    private <T> T stored(java.util.function.Supplier<T> call, T otherwise) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            storeFailures.increment();
            STORE_LOG.warn("console session store failed, sessions go on in memory only: {}", e.toString());
            return otherwise;
        }
    }

    static String hash(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /** Which password hash a session was opened under: a new password in config ends the old sessions. */
    private static String fingerprint(String passwordHash) {
        return passwordHash == null ? "" : HexFormat.of().formatHex(sha256(passwordHash)).substring(0, 32);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
