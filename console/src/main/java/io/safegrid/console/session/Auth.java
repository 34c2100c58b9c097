package io.safegrid.console.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.auth.PasswordHash;
import io.safegrid.console.http.Api;
import io.safegrid.console.http.Handler;
import io.safegrid.console.http.HttpError;
import io.safegrid.console.http.Request;
import io.safegrid.console.http.Response;
import io.safegrid.console.http.Router;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login, logout and "who am I", and the guard every scoped API route goes through: no valid
 * session cookie, no data (401).
 */
public final class Auth {
    public static final String COOKIE = "SAFEGRID_SESSION";
    private static final Logger LOG = LoggerFactory.getLogger(Auth.class);
    /** Verified when the user is unknown, so a wrong name costs as long as a wrong password. */
    private static final int MAX_PASSWORD_CHARS = 1024;
    private static final String DUMMY_HASH = PasswordHash.hash("not-a-user".toCharArray());

    /** A route that needs a logged-in user. */
    @FunctionalInterface
    public interface Scoped {
        Response handle(Request request, Principal user) throws Exception;
    }

    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final Api api;
    private final MeterRegistry registry;

    public Auth(Sessions sessions, LoginThrottle throttle, Api api, MeterRegistry registry) {
        this.sessions = sessions;
        this.throttle = throttle;
        this.api = api;
        this.registry = registry;
    }

    public void routes(Router router) {
        router.post("/api/v1/login", this::login);
        router.post("/api/v1/logout", this::logout);
        router.get("/api/v1/me", guard((r, u) -> api.ok(me(u))));
        // the page's first question: answered 200 either way, so a fresh page logs no failed request
        router.get("/api/v1/session", r -> api.ok(user(r).<Object>map(u -> me(u))
                .orElseGet(() -> java.util.Map.of("loggedIn", false))));
    }

    public Handler guard(Scoped route) {
        return r -> route.handle(r, user(r).orElseThrow(() -> new HttpError(401, "not logged in or session expired")));
    }

    public Optional<Principal> user(Request r) {
        return sessions.use(r.cookie(COOKIE));
    }

    public Sessions sessions() { return sessions; }

    private Response login(Request r) throws Exception {
        JsonNode body = api.body(r);
        String name = Api.text(body, "user", Api.NAME_CHARS);
        String password = Api.text(body, "password", MAX_PASSWORD_CHARS);
        if (name == null || name.isBlank() || password == null) {
            throw new HttpError(400, "user and password are required");
        }
        String address = r.clientAddress();
        long wait = throttle.retryAfterSeconds(name, address);
        if (wait > 0) {
            count("throttled");
            LOG.warn("login of '{}' from {} refused: too many failures, retry in {} s", name, address, wait);
            return api.status(429, Map.of("error", "too many failed logins; try again in " + wait + " s",
                    "key", "loginThrottled", "status", 429, "retryAfterSeconds", wait)).with("Retry-After", String.valueOf(wait));
        }
        Optional<String> hash = sessions.user(name).map(u -> u.passwordHash());
        char[] pw = password.toCharArray();
        boolean ok = PasswordHash.verify(pw, hash.orElse(DUMMY_HASH)) && hash.isPresent();
        java.util.Arrays.fill(pw, '\0');
        if (!ok) {
            throttle.failed(name, address);
            count(hash.isPresent() ? "bad-password" : "unknown-user");
            LOG.warn("login of '{}' from {} failed ({})", name, address, hash.isPresent() ? "wrong password" : "unknown user");
            throw new HttpError(401, "wrong user name or password");
        }
        throttle.succeeded(name, address);
        String token = sessions.open(name);
        Principal p = sessions.principal(name).orElseThrow();
        count("ok");
        LOG.info("{} ({}, {}) logged in from {}", name, p.role().id(), p.scope(), address);
        DefaultCookie c = new DefaultCookie(COOKIE, token);
        c.setHttpOnly(true);
        c.setPath("/");
        c.setSameSite(CookieHeaderNames.SameSite.Strict);
        c.setMaxAge(sessions.maxAge().toSeconds());
        return api.ok(me(p)).with("Set-Cookie", ServerCookieEncoder.STRICT.encode(c));
    }

    private Response logout(Request r) throws Exception {
        String token = r.cookie(COOKIE);
        sessions.use(token).ifPresent(p -> LOG.info("{} logged out", p.name()));
        sessions.close(token);
        DefaultCookie c = new DefaultCookie(COOKIE, "");
        c.setHttpOnly(true);
        c.setPath("/");
        c.setSameSite(CookieHeaderNames.SameSite.Strict);
        c.setMaxAge(0);
        return api.ok(Map.of("loggedOut", true)).with("Set-Cookie", ServerCookieEncoder.STRICT.encode(c));
    }

    private static Map<String, Object> me(Principal p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", p.name());
        m.put("displayName", p.displayName());
        m.put("role", p.role().id());
        m.put("scope", p.scope().toString());
        m.put("maySilence", p.role().maySilence());
        return m;
    }

    private void count(String outcome) {
        Counter.builder("safegrid.console.logins").tag("outcome", outcome).register(registry).increment();
    }
}
