package io.safegrid.console.redline;

import com.fasterxml.jackson.databind.JsonNode;
import io.safegrid.console.http.Api;
import io.safegrid.console.http.Bodies;
import io.safegrid.console.http.HttpError;
import io.safegrid.console.http.Request;
import io.safegrid.console.http.Response;
import io.safegrid.console.http.Router;
import io.safegrid.console.http.StoreCalls;
import io.safegrid.console.session.Auth;
import io.safegrid.console.session.Principal;
import io.safegrid.console.session.Role;
import io.safegrid.console.session.Sight;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmDesk;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Hazard;
import io.safegrid.model.hazard.HazardRegister;
import io.safegrid.model.redline.NewViolation;
import io.safegrid.model.redline.RedLineEntry;
import io.safegrid.model.redline.RedLineRule;
import io.safegrid.model.redline.RedLines;
import io.safegrid.model.redline.Severity;
import io.safegrid.model.redline.Violation;
import io.safegrid.model.redline.ViolationSource;
import io.safegrid.model.supervision.Inspections;
import io.safegrid.model.supervision.ItemResult;
import io.safegrid.model.supervision.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The red-line API (红线管理): violations (recorded by hand, or from an inspection item, a hazard or an
 * alarm such as a power-off override), the rules, the candidates they make, and the listings with
 * appeal, removal (信用修复) and the 除名 hand-off. The console checks that the enterprise is in the
 * caller's sight (else 404); the register checks role and level (403).
 */
public final class RedLineRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(RedLineRoutes.class);
    private static final String STORE = "red-line register";

    private final Auth auth;
    private final Api api;
    private final Sight sight;
    private final Supplier<RedLines> store;
    private final Supplier<Inspections> inspections;
    private final Supplier<HazardRegister> hazards;
    private final Supplier<AlarmDesk> desk;

    public RedLineRoutes(Auth auth, Api api, Sight sight, Supplier<RedLines> store, Supplier<Inspections> inspections,
                         Supplier<HazardRegister> hazards, Supplier<AlarmDesk> desk) {
        this.auth = auth;
        this.api = api;
        this.sight = sight;
        this.store = store;
        this.inspections = inspections;
        this.hazards = hazards;
        this.desk = desk;
    }

    public void routes(Router router) {
        router.get("/api/v1/redline/violations", auth.guard(this::violations));
        router.post("/api/v1/redline/violations", auth.guard((r, u) -> {
            JsonNode b = api.body(r);
            GridPath site = Api.path(Optional.ofNullable(Api.text(b, "site", Api.NAME_CHARS)).orElse(""), "site");
            return record(u, site, ViolationSource.MANUAL, null, b, "");
        }));
        router.post("/api/v1/inspections/tasks/{id}/items/{no}/violation", auth.guard(this::fromInspection));
        router.post("/api/v1/hazards/{id}/violation", auth.guard(this::fromHazard));
        router.post("/api/v1/alarms/{id}/violation", auth.guard(this::fromAlarm));
        router.get("/api/v1/redline/rules", auth.guard((r, u) -> api.ok(Map.of("items", call(() -> reg().rules())))));
        router.post("/api/v1/redline/rules", auth.guard(this::saveRule));
        router.get("/api/v1/redline/candidates", auth.guard(this::candidates));
        router.get("/api/v1/redline/entries", auth.guard(this::entries));
        router.post("/api/v1/redline/entries", auth.guard(this::list));
        router.get("/api/v1/redline/entries/{id}", auth.guard((r, u) -> {
            RedLineEntry e = visible(u, r.param("id"));
            Map<String, Object> m = view(e);
            m.put("history", call(() -> reg().history(e.id())));
            return api.ok(m);
        }));
        router.post("/api/v1/redline/entries/{id}/appeal", auth.guard((r, u) -> step(r, u, (e, b) ->
                reg().appeal(Sight.actor(u), e.id(), Api.text(b, "note", Api.NOTE_CHARS)))));
        router.post("/api/v1/redline/entries/{id}/decide", auth.guard((r, u) -> step(r, u, (e, b) ->
                reg().decideAppeal(Sight.actor(u), e.id(), Bodies.flag(b, "upheld"), Api.text(b, "note", Api.NOTE_CHARS)))));
        router.post("/api/v1/redline/entries/{id}/remove", auth.guard((r, u) -> step(r, u, (e, b) ->
                reg().remove(Sight.actor(u), e.id(), Api.text(b, "note", Api.NOTE_CHARS)))));
        router.post("/api/v1/redline/entries/{id}/hand-off", auth.guard((r, u) -> step(r, u, (e, b) ->
                reg().handOff(Sight.actor(u), e.id(), Api.text(b, "authority", 200), Api.text(b, "reference", 200),
                        Api.text(b, "note", Api.NOTE_CHARS)))));
    }

    private RedLines reg() {
        RedLines s = store.get();
        if (s == null) {
            throw new HttpError(503, "no red-line register on this node");
        }
        return s;
    }

    private static <T> T call(Supplier<T> s) {
        return StoreCalls.call(STORE, s);
    }

    private GridPath root(Principal u, Request r) {
        return sight.queryRoot(u, r.param("node") == null ? null : Api.path(r.param("node"), "node"));
    }

    // ------------------------------------------------------------------ violations

    private Response violations(Request r, Principal u) throws Exception {
        GridPath root = root(u, r);
        List<Map<String, Object>> items = call(() -> reg().violations(root, null)).stream()
                .filter(v -> sight.sees(u, v.site())).map(this::view).toList();
        return api.ok(Map.of("items", items));
    }

    private Response record(Principal u, GridPath site, ViolationSource source, String ref, JsonNode b, String evidence)
            throws Exception {
        if (!sight.sees(u, site)) {
            throw new HttpError(404, "no such grid node in your scope: " + site);
        }
        String sev = Api.text(b, "severity", 20);
        Severity severity;
        try {
            severity = Severity.parse(sev == null ? "" : sev);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "rlSeverity", e.getMessage());
        }
        String text = Optional.ofNullable(Api.text(b, "description", Api.NOTE_CHARS)).orElse("").strip();
        String description = (text + (evidence.isEmpty() ? "" : (text.isEmpty() ? "" : "\n") + evidence)).strip();
        if (description.length() > Api.NOTE_CHARS) {
            description = description.substring(0, Api.NOTE_CHARS);
        }
        NewViolation n = new NewViolation(site, Api.text(b, "worker", Api.NAME_CHARS), source, ref, severity, description,
                Api.instant(Api.text(b, "at", 64), "at"));
        Violation v = call(() -> reg().record(Sight.actor(u), n));
        return api.status(201, view(v));
    }

    private Response fromInspection(Request r, Principal u) throws Exception {
        Inspections s = inspections.get();
        String id = r.param("id");
        Task t = (s == null || id == null || id.length() > 40 ? Optional.<Task>empty() : call(() -> s.task(id)))
                .filter(x -> sight.sees(u, x.target()) && u.role() != Role.ENTERPRISE_OPERATOR)
                .orElseThrow(() -> new HttpError(404, "no such task: " + id));
        int no = Api.integer(r.param("no"), 0, 1, 1000, "item");
        ItemResult item = t.items().stream().filter(i -> i.no() == no && i.outcome().failed()).findFirst()
                .orElseThrow(() -> new HttpError(409, "svNotFailed", "only a failed item records a violation"));
        String what = item.item().text() != null ? item.item().text() : "@" + item.item().key();
        return record(u, t.target(), ViolationSource.INSPECTION, t.id() + "#" + no, api.body(r),
                "[检查 " + t.planTitle() + " #" + no + " " + what + (item.note() == null ? "" : ": " + item.note()) + "]");
    }

    private Response fromHazard(Request r, Principal u) throws Exception {
        HazardRegister h = hazards.get();
        String id = r.param("id");
        Hazard hz = (h == null || id == null || id.length() > 40 ? Optional.<Hazard>empty() : call(() -> h.get(id)))
                .filter(x -> sight.sees(u, x.site())).orElseThrow(() -> new HttpError(404, "no such hazard: " + id));
        return record(u, hz.site(), ViolationSource.HAZARD, hz.id(), api.body(r),
                "[隐患 " + hz.id() + " " + hz.grade().id() + ": " + hz.description().lines().findFirst().orElse("") + "]");
    }

    /** An alarm as evidence, e.g. a methane power-off interlock overridden by hand. */
    private Response fromAlarm(Request r, Principal u) throws Exception {
        AlarmDesk d = desk.get();
        String id = r.param("id");
        Alarm a = (d == null || id == null || id.length() > 64 ? Optional.<Alarm>empty() : d.get(id))
                .filter(x -> x.site() != null && sight.sees(u, x.site()))
                .orElseThrow(() -> new HttpError(404, "no such alarm: " + id));
        GridPath site = sight.enterprise(a.site()).orElseThrow(() -> new HttpError(409, "rlNoEnterprise",
                "alarm " + id + " is not at an enterprise"));
        return record(u, site, ViolationSource.ALARM, a.id(), api.body(r), "[告警 " + a.id() + " " + a.kind().labelZh()
                + (a.message() == null ? "" : ": " + a.message()) + " " + a.raisedAt() + "]");
    }

    // ------------------------------------------------------------------ rules and candidates

    private Response saveRule(Request r, Principal u) throws Exception {
        JsonNode b = api.body(r);
        RedLineRule rule;
        try {
            String src = Api.text(b, "source", 20);
            rule = new RedLineRule(Api.text(b, "id", 40), Api.text(b, "name", 200),
                    Severity.parse(Optional.ofNullable(Api.text(b, "severity", 20)).orElse("")),
                    src == null || src.isBlank() ? null : ViolationSource.parse(src), b.path("count").asInt(0),
                    b.path("windowDays").asInt(0), !b.has("active") || Bodies.flag(b, "active"));
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "rlRuleBounds", e.getMessage());
        }
        return api.ok(call(() -> reg().saveRule(Sight.actor(u), rule)));
    }

    private Response candidates(Request r, Principal u) throws Exception {
        if (u.role() == Role.ENTERPRISE_OPERATOR) {
            throw new HttpError(403, "rlNotSupervisor", "candidates are for township, department and county users");
        }
        GridPath root = root(u, r);
        return api.ok(Map.of("items", call(() -> reg().candidates(root)).stream().filter(c -> sight.sees(u, c.site()))
                .map(c -> Map.of("site", c.site().toString(), "siteName", sight.name(c.site()), "ruleId", c.ruleId(),
                        "violationIds", c.violationIds())).toList()));
    }

    // ------------------------------------------------------------------ listings

    private Response entries(Request r, Principal u) throws Exception {
        GridPath root = root(u, r);
        boolean all = "true".equals(r.param("all"));
        return api.ok(Map.of("items", call(() -> reg().entries(root, all)).stream().filter(e -> sight.sees(u, e.site()))
                .map(this::view).toList()));
    }

    private Response list(Request r, Principal u) throws Exception {
        JsonNode b = api.body(r);
        GridPath site = Api.path(Optional.ofNullable(Api.text(b, "site", Api.NAME_CHARS)).orElse(""), "site");
        if (!sight.sees(u, site)) {
            LOG.warn("{} ({}) tried to list {} on the red line, outside their scope", u.name(), u.scope(), site);
            throw new HttpError(404, "no such grid node in your scope: " + site);
        }
        RedLineEntry e = call(() -> reg().list(Sight.actor(u), site, Api.text(b, "ruleId", 40), Api.text(b, "reason", Api.NOTE_CHARS),
                Bodies.strings(b, "violationIds", 200, 40)));
        return api.status(201, view(e));
    }

    RedLineEntry visible(Principal u, String id) {
        if (id == null || id.length() > 40) {
            throw new HttpError(404, "no such listing");
        }
        return call(() -> reg().entry(id)).filter(e -> sight.sees(u, e.site()))
                .orElseThrow(() -> new HttpError(404, "no such listing: " + id));
    }

    @FunctionalInterface
    private interface Step {
        RedLineEntry run(RedLineEntry e, JsonNode body);
    }

    private Response step(Request r, Principal u, Step step) throws Exception {
        RedLineEntry e = visible(u, r.param("id"));
        JsonNode body = r.body().length == 0 ? api.mapper().createObjectNode() : api.body(r);
        return api.ok(view(call(() -> step.run(e, body))));
    }

    private Map<String, Object> view(Violation v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.id());
        m.put("site", v.site().toString());
        m.put("siteName", sight.name(v.site()));
        m.put("worker", v.worker());
        m.put("source", v.source().id());
        m.put("sourceRef", v.sourceRef());
        m.put("severity", v.severity().id());
        m.put("description", v.description());
        m.put("at", v.at());
        m.put("recordedBy", v.recordedBy());
        return m;
    }

    private Map<String, Object> view(RedLineEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("site", e.site().toString());
        m.put("siteName", sight.name(e.site()));
        m.put("level", e.level().toString());
        m.put("levelName", sight.name(e.level()));
        m.put("ruleId", e.ruleId());
        m.put("reason", e.reason());
        m.put("violationIds", e.violationIds());
        m.put("state", e.state().id());
        m.put("listedBy", e.listedBy());
        m.put("listedAt", e.listedAt());
        m.put("updatedAt", e.updatedAt());
        m.put("handOffTo", e.handOffTo());
        m.put("handOffRef", e.handOffRef());
        return m;
    }
}
