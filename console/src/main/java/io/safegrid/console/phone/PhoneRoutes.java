package io.safegrid.console.phone;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.UserDef;
import io.safegrid.console.feed.FindingFeed;
import io.safegrid.model.finding.Finding;
import java.util.List;
import io.safegrid.config.link.AlarmLinks;
import io.safegrid.console.http.Api;
import io.safegrid.console.http.HttpError;
import io.safegrid.console.http.Request;
import io.safegrid.console.http.Response;
import io.safegrid.console.http.Router;
import io.safegrid.console.http.StoreFailure;
import io.safegrid.console.session.Auth;
import io.safegrid.console.session.Principal;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmDesk;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The duty officer's phone page behind a notification's link ({@code /m/<alarm>?t=<token>}): the
 * alarm, its timeline, and acknowledge / comment / hand over. Who may act:
 * <ul>
 *   <li>someone logged in whose scope holds the alarm (as on the desktop), as themselves;</li>
 *   <li>the person the link was signed for ({@link AlarmLinks}: this alarm, this person, not expired,
 *       still configured and still holding the alarm in their scope), on the first device that opened
 *       it: the link is bound to that browser by a random device cookie, so the same SMS forwarded and
 *       opened elsewhere is refused (403 {@code linkClaimed}) and asks for a login.</li>
 * </ul>
 * Roster contacts without a password act through their links only.
 */
public final class PhoneRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(PhoneRoutes.class);
    public static final String DEVICE_COOKIE = "SAFEGRID_DEVICE";
    private static final int MAX_CLAIMS = 100_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Auth auth;
    private final Api api;
    private final ConfigSource config;
    private final Supplier<AlarmDesk> desk;
    private final Supplier<AlarmLinks> links;
    private final Clock clock;
    private final MeterRegistry registry;
    private final FindingFeed findings;
    /** link signature → the device that opened it first; oldest dropped first beyond {@value #MAX_CLAIMS}. */
    private final Map<String, String> claims = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) { return size() > MAX_CLAIMS; }
    };

    public PhoneRoutes(Auth auth, Api api, ConfigSource config, Supplier<AlarmDesk> desk, Supplier<AlarmLinks> links,
                       Clock clock, MeterRegistry registry, FindingFeed findings) {
        this.auth = auth;
        this.api = api;
        this.config = config;
        this.desk = desk;
        this.links = links;
        this.clock = clock;
        this.registry = registry;
        this.findings = findings;
    }

    public void routes(Router router) {
        router.get("/api/v1/link/{id}", r -> withDevice(r, (who, device) -> api.ok(view(who, device))));
        router.get("/api/v1/link/{id}/snapshot.jpg", r -> withDevice(r, (who, device) -> snapshot(who)
                .map(f -> Response.bytes("image/jpeg", f.snapshot()))
                .orElseThrow(() -> new HttpError(404, "no snapshot for this alarm"))));
        router.post("/api/v1/link/{id}/ack", r -> act(r, "acknowledge",
                (d, who, id, b) -> d.acknowledge(id, who.actor, Api.text(b, "note", Api.NOTE_CHARS))));
        router.post("/api/v1/link/{id}/comment", r -> act(r, "comment",
                (d, who, id, b) -> d.comment(id, who.actor, required(b, "text"))));
        router.post("/api/v1/link/{id}/handover", r -> act(r, "hand over",
                (d, who, id, b) -> d.assign(id, who.actor, assignee(Api.text(b, "assignee", Api.NAME_CHARS), who.alarm))));
    }

    /** Who is asking about which alarm, and whether they may act on it. */
    private record Who(String actor, String displayName, Alarm alarm, boolean viaLink, boolean mayAct) { }

    @FunctionalInterface
    private interface Then {
        Response apply(Who who, String device) throws Exception;
    }

    /** Resolves the caller and answers with the device cookie set when this request made one. */
    private Response withDevice(Request r, Then then) throws Exception {
        String device = r.cookie(DEVICE_COOKIE);
        boolean fresh = device == null || !device.matches("[0-9a-f]{32}");
        if (fresh) {
            byte[] b = new byte[16];
            RANDOM.nextBytes(b);
            device = HexFormat.of().formatHex(b);
        }
        Response out = then.apply(who(r, device), device);
        if (fresh) {
            DefaultCookie c = new DefaultCookie(DEVICE_COOKIE, device);
            c.setHttpOnly(true);
            c.setPath("/");
            c.setSameSite(CookieHeaderNames.SameSite.Strict);
            c.setMaxAge(AlarmLinks.VALID_FOR.toSeconds() * 30);
            out = out.with("Set-Cookie", ServerCookieEncoder.STRICT.encode(c));
        }
        return out;
    }

    private Who who(Request r, String device) {
        String id = r.param("id");
        AlarmDesk d = desk.get();
        if (d == null) {
            throw new HttpError(503, "no alarm service on this node");
        }
        Optional<Principal> session = auth.user(r);
        Alarm a = d.get(id).orElse(null);
        if (session.isPresent() && a != null && session.get().sees(a.site())) {
            return new Who(session.get().name(), session.get().displayName(), a, false, true);
        }
        Optional<AlarmLinks.Grant> grant = links.get().verify(id, r.param("t"), clock.instant());
        if (grant.isEmpty()) {
            count("refused-token");
            throw new HttpError(session.isPresent() ? 404 : 401, "linkInvalid",
                    "this link is not valid (expired, altered or for another alarm); log in instead");
        }
        UserDef user = config.current().users().stream().filter(u -> u.name().equals(grant.get().user())).findFirst()
                .orElse(null);
        if (a == null || user == null || user.scope() == null || a.site() == null || !a.site().isWithin(user.scope())) {
            count("refused-scope");
            throw new HttpError(404, "no such alarm: " + id);
        }
        String owner;
        synchronized (claims) {
            owner = claims.putIfAbsent(grant.get().signature(), device);
        }
        if (owner != null && !owner.equals(device)) {
            count("refused-claimed");
            LOG.warn("link of {} for alarm {} opened on a second device from {}: refused", user.name(), id, r.clientAddress());
            throw new HttpError(403, "linkClaimed", "this link was opened on another device; log in to act on the alarm");
        }
        if (owner == null) {
            count("claimed");
            LOG.info("link of {} for alarm {} opened from {}", user.name(), id, r.clientAddress());
        }
        return new Who(user.name(), user.displayName() == null ? user.name() : user.displayName(), a, true, true);
    }

    private Map<String, Object> view(Who who, String device) {
        AlarmDesk d = desk.get();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("alarm", who.alarm);
        Deployment dep = config.current();
        // grid names from the county down to the alarm's node
        List<String> place = new java.util.ArrayList<>();
        if (who.alarm.site() != null) {
            dep.grid().chain(who.alarm.site()).forEach(n -> place.add(0, n.name() == null ? n.id() : n.name()));
        }
        out.put("place", place);
        out.put("unit", dep.sensor(who.alarm.sourceId()).map(s -> s.unit()).orElse(null));
        out.put("snapshot", snapshot(who).isPresent());
        out.put("timeline", d.timeline(who.alarm.id()));
        out.put("user", who.actor);
        out.put("displayName", who.displayName);
        out.put("viaLink", who.viaLink);
        out.put("mayAct", who.mayAct);
        out.put("assignees", config.current().users().stream()
                .filter(u -> u.passwordHash() != null && u.scope() != null && who.alarm.site() != null
                        && who.alarm.site().isWithin(u.scope()) && !u.name().equals(who.actor))
                .map(u -> Map.of("user", u.name(), "displayName", u.displayName() == null ? u.name() : u.displayName()))
                .toList());
        return out;
    }

    @FunctionalInterface
    private interface Action {
        Alarm run(AlarmDesk desk, Who who, String alarmId, JsonNode body);
    }

    private Response act(Request r, String what, Action action) throws Exception {
        return withDevice(r, (who, device) -> {
            JsonNode body = r.body().length == 0 ? api.mapper().createObjectNode() : api.body(r);
            try {
                Alarm after = action.run(desk.get(), who, who.alarm.id(), body);
                LOG.info("{} did {} on alarm {} ({}) from the phone page{}", who.actor, what, who.alarm.id(),
                        who.alarm.site(), who.viaLink ? " through their notification link" : "");
                count(what.replace(' ', '-'));
                return api.ok(view(new Who(who.actor, who.displayName, after, who.viaLink, who.mayAct), device));
            } catch (NoSuchElementException e) {
                throw new HttpError(404, e.getMessage());
            } catch (IllegalStateException | IllegalArgumentException e) {
                if (StoreFailure.in(e)) {
                    throw e;
                }
                throw new HttpError(e instanceof IllegalStateException ? 409 : 400, e.getMessage());
            }
        });
    }

    /** The newest picture of the alarm's camera among the recent findings (memory), if any. */
    private Optional<Finding> snapshot(Who who) {
        if (who.alarm.site() == null) {
            return Optional.empty();
        }
        return findings.recent(who.alarm.site(), 200).stream()
                .filter(f -> f.sourceId().equals(who.alarm.sourceId()) && f.snapshot() != null).findFirst();
    }

    private String assignee(String name, Alarm a) {
        if (name == null || name.isBlank()) {
            throw new HttpError(400, "assignee is required");
        }
        UserDef user = config.current().users().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new HttpError(400, "no such user: " + name));
        if (user.scope() == null || a.site() == null || !a.site().isWithin(user.scope())) {
            throw new HttpError(400, name + " cannot see this alarm");
        }
        return name;
    }

    private static String required(JsonNode body, String field) {
        String v = Api.text(body, field, Api.NOTE_CHARS);
        if (v == null || v.isBlank()) {
            throw new HttpError(400, field + " is required");
        }
        return v;
    }

    private void count(String outcome) {
        registry.counter("safegrid.console.phone.links", "outcome", outcome).increment();
    }

}
