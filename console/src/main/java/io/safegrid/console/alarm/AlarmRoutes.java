package io.safegrid.console.alarm;

import com.fasterxml.jackson.databind.JsonNode;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.UserDef;
import io.safegrid.console.http.Api;
import io.safegrid.console.http.HttpError;
import io.safegrid.console.http.Request;
import io.safegrid.console.http.Response;
import io.safegrid.console.http.Router;
import io.safegrid.console.http.StoreFailure;
import io.safegrid.console.session.Auth;
import io.safegrid.console.session.Principal;
import io.safegrid.console.session.Scope;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmDesk;
import io.safegrid.model.alarm.AlarmPage;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm API: list, read, timeline and the operator's actions, each checked against the
 * caller's grid scope before the desk is asked. An alarm outside the scope is answered exactly
 * like one that does not exist (404), so ids of other townships leak nothing.
 */
public final class AlarmRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmRoutes.class);
    /** Alarm ids are at most this long in the store; a longer one cannot exist. */
    private static final int MAX_ID_CHARS = 64;

    private final Auth auth;
    private final Api api;
    private final ConfigSource config;
    private final Supplier<AlarmDesk> desk;

    public AlarmRoutes(Auth auth, Api api, ConfigSource config, Supplier<AlarmDesk> desk) {
        this.auth = auth;
        this.api = api;
        this.config = config;
        this.desk = desk;
    }

    public void routes(Router router) {
        router.get("/api/v1/alarms", auth.guard(this::list));
        router.get("/api/v1/alarms/{id}", auth.guard((r, u) -> api.ok(visible(u, r.param("id")))));
        router.get("/api/v1/alarms/{id}/timeline", auth.guard(this::timeline));
        router.get("/api/v1/alarms/{id}/assignees", auth.guard(this::assignees));
        router.post("/api/v1/alarms/{id}/ack", auth.guard((r, u) -> act(r, u, "acknowledge",
                (d, id, b) -> d.acknowledge(id, u.name(), Api.text(b, "note", Api.NOTE_CHARS)))));
        router.post("/api/v1/alarms/{id}/comment", auth.guard((r, u) -> act(r, u, "comment",
                (d, id, b) -> d.comment(id, u.name(), required(b, "text", Api.NOTE_CHARS)))));
        router.post("/api/v1/alarms/{id}/assign", auth.guard((r, u) -> act(r, u, "assign",
                (d, id, b) -> d.assign(id, u.name(), assignee(required(b, "assignee", Api.NAME_CHARS), d.get(id).orElseThrow())))));
        router.post("/api/v1/alarms/{id}/close", auth.guard((r, u) -> act(r, u, "close",
                (d, id, b) -> d.close(id, u.name(), required(b, "note", Api.NOTE_CHARS)))));
    }

    AlarmDesk desk() {
        AlarmDesk d = desk.get();
        if (d == null) {
            throw new HttpError(503, "no alarm service on this node");
        }
        return d;
    }

    private Response list(Request r, Principal u) throws Exception {
        GridPath subtree = Scope.narrow(u, r.param("node") == null ? null : Api.path(r.param("node"), "node"));
        int size = Api.integer(r.param("size"), 50, 1, AlarmQuery.MAX_LIMIT, "size");
        int page = Api.integer(r.param("page"), 0, 0, 1_000_000, "page");
        Instant from = Api.instant(r.param("from"), "from");
        Instant to = Api.instant(r.param("to"), "to");
        AlarmQuery q = new AlarmQuery(subtree, levels(r.param("level")), states(r.param("state")), from, to,
                page * size, size);
        AlarmPage p = desk().list(q);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", p.items());
        out.put("total", p.total());
        out.put("page", page);
        out.put("size", size);
        return api.ok(out);
    }

    private Response timeline(Request r, Principal u) throws Exception {
        Alarm a = visible(u, r.param("id"));
        return api.ok(desk().timeline(a.id()));
    }

    /** Who may be assigned: configured people whose scope holds the alarm (no contact details). */
    private Response assignees(Request r, Principal u) throws Exception {
        Alarm a = visible(u, r.param("id"));
        return api.ok(config.current().users().stream()
                .filter(x -> x.scope() != null && a.site() != null && a.site().isWithin(x.scope()))
                .sorted(java.util.Comparator.comparing((UserDef x) -> -x.scope().depth()).thenComparing(UserDef::name))
                .map(x -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("user", x.name());
                    m.put("displayName", x.displayName() == null ? x.name() : x.displayName());
                    m.put("role", x.role());
                    m.put("scope", x.scope().toString());
                    return m;
                }).toList());
    }

    /** The alarm if it exists and lies in the caller's scope; 404 otherwise, either way. */
    Alarm visible(Principal u, String id) {
        if (id == null || id.length() > MAX_ID_CHARS) {
            throw new HttpError(404, "no such alarm");
        }
        Alarm a = desk().get(id).orElseThrow(() -> new HttpError(404, "no such alarm: " + id));
        if (!u.sees(a.site())) {
            LOG.warn("{} ({}) asked for alarm {} at {}, outside their scope", u.name(), u.scope(), id, a.site());
            throw new HttpError(404, "no such alarm: " + id);
        }
        return a;
    }

    @FunctionalInterface
    private interface Action {
        Alarm run(AlarmDesk desk, String alarmId, JsonNode body);
    }

    private Response act(Request r, Principal u, String what, Action action) throws Exception {
        Alarm a = visible(u, r.param("id"));
        JsonNode body = r.body().length == 0 ? api.mapper().createObjectNode() : api.body(r);
        try {
            Alarm after = action.run(desk(), a.id(), body);
            LOG.info("{} did {} on alarm {} ({})", u.name(), what, a.id(), a.site());
            return api.ok(after);
        } catch (NoSuchElementException e) {
            throw new HttpError(404, e.getMessage());
        } catch (IllegalStateException | IllegalArgumentException e) {
            if (StoreFailure.in(e)) {
                throw e;   // answered as 503 without the store's words
            }
            throw new HttpError(e instanceof IllegalStateException ? 409 : 400, e.getMessage());
        }
    }

    /** The assignee must be a configured user who can see the alarm, or they could never act on it. */
    private String assignee(String name, Alarm a) {
        UserDef user = config.current().users().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new HttpError(400, "no such user: " + name));
        if (user.scope() == null || a.site() == null || !a.site().isWithin(user.scope())) {
            throw new HttpError(400, name + " cannot see this alarm (their scope is " + user.scope() + ")");
        }
        return name;
    }

    private static String required(JsonNode body, String field, int maxChars) {
        String v = Api.text(body, field, maxChars);
        if (v == null || v.isBlank()) {
            throw new HttpError(400, field + " is required");
        }
        return v;
    }

    static Set<Level> levels(String text) {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        Set<Level> out = EnumSet.noneOf(Level.class);
        for (String s : text.split(",")) {
            try {
                out.add(Level.parse(s));
            } catch (IllegalArgumentException e) {
                throw new HttpError(400, e.getMessage());
            }
        }
        return out;
    }

    static Set<AlarmState> states(String text) {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        Set<AlarmState> out = EnumSet.noneOf(AlarmState.class);
        for (String s : text.split(",")) {
            String t = s.trim().toUpperCase(java.util.Locale.ROOT);
            if (t.equals("OPEN")) {
                out.addAll(EnumSet.of(AlarmState.RAISED, AlarmState.ACKNOWLEDGED, AlarmState.CLEARED));
            } else if (t.equals("ACTIVE")) {
                out.addAll(EnumSet.of(AlarmState.RAISED, AlarmState.ACKNOWLEDGED));
            } else {
                try {
                    out.add(AlarmState.valueOf(t));
                } catch (IllegalArgumentException e) {
                    throw new HttpError(400, "unknown state '" + s + "' (raised, acknowledged, cleared, closed, open, active)");
                }
            }
        }
        return out;
    }
}
