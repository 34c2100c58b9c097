package io.safegrid.console.inspection;

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
import io.safegrid.model.RiskGrade;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Hazard;
import io.safegrid.model.hazard.HazardGrade;
import io.safegrid.model.hazard.HazardRegister;
import io.safegrid.model.hazard.Photo;
import io.safegrid.model.supervision.CheckItem;
import io.safegrid.model.supervision.InspectionProgress;
import io.safegrid.model.supervision.Inspections;
import io.safegrid.model.supervision.ItemCheck;
import io.safegrid.model.supervision.ItemResult;
import io.safegrid.model.supervision.NewPlan;
import io.safegrid.model.supervision.Outcome;
import io.safegrid.model.supervision.Plan;
import io.safegrid.model.supervision.TargetRule;
import io.safegrid.model.supervision.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inspection API (监督检查, PDCA): templates, plans, tasks done on site, hazards raised from failed
 * items, re-inspection, completion and the items that keep failing. Plans are supervisors' only; an
 * enterprise sees its own tasks, and an unannounced one (四不两直) only once it is done. Anything
 * outside the caller's sight is answered 404, as if it did not exist.
 */
public final class InspectionRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(InspectionRoutes.class);
    private static final String STORE = "inspection store";
    private static final int MAX_ID_CHARS = 40;
    private static final int PHOTOS_PER_REQUEST = 5;

    private final Auth auth;
    private final Api api;
    private final Sight sight;
    private final Supplier<Inspections> store;
    private final Supplier<HazardRegister> hazards;

    public InspectionRoutes(Auth auth, Api api, Sight sight, Supplier<Inspections> store, Supplier<HazardRegister> hazards) {
        this.auth = auth;
        this.api = api;
        this.sight = sight;
        this.store = store;
        this.hazards = hazards;
    }

    public void routes(Router router) {
        router.get("/api/v1/inspections/templates", auth.guard((r, u) -> api.ok(Map.of("items", store().templates()))));
        router.get("/api/v1/inspections/plans", auth.guard(this::plans));
        router.post("/api/v1/inspections/plans", auth.guard(this::createPlan));
        router.get("/api/v1/inspections/plans/{id}", auth.guard(this::plan));
        router.get("/api/v1/inspections/tasks", auth.guard(this::tasks));
        router.get("/api/v1/inspections/tasks/{id}", auth.guard((r, u) -> api.ok(detail(visible(u, r.param("id"))))));
        router.post("/api/v1/inspections/tasks/{id}/items/{no}", auth.guard((r, u) -> act(r, u, (t, no, b) ->
                store().check(Sight.actor(u), t.id(), no, new ItemCheck(outcome(b), Api.text(b, "note", Api.NOTE_CHARS),
                        Bodies.photos(b, PHOTOS_PER_REQUEST))))));
        router.post("/api/v1/inspections/tasks/{id}/items/{no}/hazard", auth.guard((r, u) -> act(r, u, (t, no, b) ->
                store().raiseHazard(Sight.actor(u), t.id(), no, grade(b)))));
        router.post("/api/v1/inspections/tasks/{id}/items/{no}/reinspect", auth.guard((r, u) -> act(r, u, (t, no, b) -> {
            store().reinspect(Sight.actor(u), t.id(), no, Bodies.flag(b, "accepted"), Api.text(b, "note", Api.NOTE_CHARS));
            return store().task(t.id()).orElseThrow();
        })));
        router.post("/api/v1/inspections/tasks/{id}/complete", auth.guard((r, u) -> act(r, u, (t, no, b) ->
                store().complete(Sight.actor(u), t.id(), Api.text(b, "location", 200)))));
        router.get("/api/v1/inspections/tasks/{id}/photos/{photo}", auth.guard(this::photo));
        router.get("/api/v1/inspections/improvements", auth.guard(this::improvements));
        router.get("/api/v1/inspections/completion", auth.guard(this::completion));
    }

    private Inspections store() {
        Inspections s = store.get();
        if (s == null) {
            throw new HttpError(503, "no inspection store on this node");
        }
        return s;
    }

    private static void supervisor(Principal u) {
        if (u.role() == Role.ENTERPRISE_OPERATOR) {
            throw new HttpError(403, "svNotSupervisor", "inspection plans are for township, department and county users");
        }
    }

    private boolean seesPlan(Principal u, Plan p) {
        return p.owner().isWithin(u.scope()) || p.targets().stream().anyMatch(t -> sight.sees(u, t));
    }

    /** A task this user may see: in sight, and for the enterprise not before an unannounced one is done. */
    boolean seesTask(Principal u, Task t) {
        if (u.role() == Role.ENTERPRISE_OPERATOR) {
            return u.sees(t.target()) && (!t.unannounced() || t.done());
        }
        return sight.sees(u, t.target()) || store().plan(t.planId()).map(p -> p.owner().isWithin(u.scope())).orElse(false);
    }

    Task visible(Principal u, String id) {
        if (id == null || id.length() > MAX_ID_CHARS) {
            throw new HttpError(404, "no such task");
        }
        Task t = StoreCalls.call(STORE, () -> store().task(id)).orElseThrow(() -> new HttpError(404, "no such task: " + id));
        if (!seesTask(u, t)) {
            LOG.warn("{} ({}) asked for inspection task {} at {}, not theirs to see", u.name(), u.scope(), id, t.target());
            throw new HttpError(404, "no such task: " + id);
        }
        return t;
    }

    // ------------------------------------------------------------------ plans

    private Response plans(Request r, Principal u) throws Exception {
        supervisor(u);
        GridPath root = sight.queryRoot(u, r.param("node") == null ? null : Api.path(r.param("node"), "node"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Plan p : StoreCalls.call(STORE, () -> store().plans(root))) {
            if (seesPlan(u, p)) {
                out.add(summary(p));
            }
        }
        return api.ok(Map.of("items", out));
    }

    private Response plan(Request r, Principal u) throws Exception {
        supervisor(u);
        String id = r.param("id");
        Plan p = (id == null || id.length() > MAX_ID_CHARS ? Optional.<Plan>empty() : StoreCalls.call(STORE, () -> store().plan(id)))
                .filter(x -> seesPlan(u, x)).orElseThrow(() -> new HttpError(404, "no such plan: " + id));
        Map<String, Object> m = summary(p);
        m.put("items", p.items());
        m.put("inspectors", p.inspectors());
        m.put("progress", StoreCalls.call(STORE, () -> store().progress(p.id())).stream().filter(x -> x.township().isWithin(u.scope())
                || sight.department(u) || u.scope().isWithin(x.township())).map(x -> {
                    Map<String, Object> t = new LinkedHashMap<>();
                    t.put("township", x.township().toString());
                    t.put("townshipName", sight.name(x.township()));
                    t.put("due", x.due());
                    t.put("done", x.done());
                    t.put("late", x.late());
                    t.put("hazardsRaised", x.hazardsRaised());
                    t.put("hazardsAccepted", x.hazardsAccepted());
                    return t;
                }).toList());
        m.put("tasks", StoreCalls.call(STORE, () -> store().tasks(p.id(), null)).stream().filter(t -> seesTask(u, t))
                .map(this::taskSummary).toList());
        return api.ok(m);
    }

    private Response createPlan(Request r, Principal u) throws Exception {
        supervisor(u);
        JsonNode b = api.body(r);
        List<GridPath> targets = new ArrayList<>();
        for (String t : Bodies.strings(b, "targets", 2000, Api.NAME_CHARS)) {
            GridPath p = Api.path(t, "targets");
            if (!sight.sees(u, p)) {
                throw new HttpError(404, "no such grid node in your scope: " + p);
            }
            targets.add(p);
        }
        TargetRule rule = null;
        JsonNode rb = b.get("rule");
        if (rb != null && rb.isObject()) {
            String sub = Api.text(rb, "subtree", Api.NAME_CHARS);
            String risk = Api.text(rb, "minRisk", 20);
            rule = new TargetRule(sub == null || sub.isBlank() ? u.scope() : Api.path(sub, "rule.subtree"),
                    risk == null || risk.isBlank() ? null : parse(() -> RiskGrade.parse(risk)));
        }
        List<CheckItem> items = new ArrayList<>();
        JsonNode ib = b.get("items");
        if (ib != null && ib.isArray()) {
            if (ib.size() > 100) {
                throw new HttpError(400, "svTooManyItems", "at most 100 check items");
            }
            for (JsonNode i : ib) {
                items.add(parse(() -> new CheckItem(Api.text(i, "key", 100), Api.text(i, "text", 1000))));
            }
        }
        NewPlan n = new NewPlan(Api.text(b, "title", 200), null, targets, rule, Bodies.strings(b, "inspectors", 50, Api.NAME_CHARS),
                Api.instant(Api.text(b, "startsAt", 64), "startsAt"), Api.instant(Api.text(b, "dueAt", 64), "dueAt"),
                Api.text(b, "template", 40), items, Bodies.flag(b, "unannounced"));
        Plan p = StoreCalls.call(STORE, () -> store().createPlan(Sight.actor(u), n));
        return api.status(201, summary(p));
    }

    private Map<String, Object> summary(Plan p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("title", p.title());
        m.put("owner", p.owner().toString());
        m.put("ownerName", sight.name(p.owner()));
        m.put("targets", p.targets().stream().map(GridPath::toString).toList());
        m.put("rule", p.rule() == null ? null : Map.of("subtree", p.rule().subtree().toString(),
                "minRisk", p.rule().minRisk() == null ? "" : p.rule().minRisk().name().toLowerCase(java.util.Locale.ROOT)));
        m.put("startsAt", p.startsAt());
        m.put("dueAt", p.dueAt());
        m.put("template", p.template());
        m.put("unannounced", p.unannounced());
        m.put("createdBy", p.createdBy());
        m.put("createdAt", p.createdAt());
        return m;
    }

    // ------------------------------------------------------------------ tasks

    private Response tasks(Request r, Principal u) throws Exception {
        String plan = r.param("plan");
        List<Task> all;
        if (plan != null && !plan.isBlank()) {
            all = StoreCalls.call(STORE, () -> store().tasks(plan, null));
        } else if (sight.department(u)) {
            all = new ArrayList<>();
            for (Plan p : StoreCalls.call(STORE, () -> store().plans(u.scope()))) {
                all.addAll(StoreCalls.call(STORE, () -> store().tasks(p.id(), null)));
            }
        } else {
            GridPath root = sight.queryRoot(u, r.param("node") == null ? null : Api.path(r.param("node"), "node"));
            all = StoreCalls.call(STORE, () -> store().tasks(null, root));
        }
        boolean mine = "true".equals(r.param("mine"));
        boolean open = "true".equals(r.param("open"));
        return api.ok(Map.of("items", all.stream().filter(t -> seesTask(u, t))
                .filter(t -> !mine || t.inspectors().contains(u.name())).filter(t -> !open || !t.done())
                .map(this::taskSummary).toList()));
    }

    private Map<String, Object> taskSummary(Task t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("planId", t.planId());
        m.put("planTitle", t.planTitle());
        m.put("target", t.target().toString());
        m.put("targetName", sight.name(t.target()));
        m.put("inspectors", t.inspectors());
        m.put("dueAt", t.dueAt());
        m.put("unannounced", t.unannounced());
        m.put("done", t.done());
        m.put("late", t.late());
        m.put("doneBy", t.doneBy());
        m.put("doneAt", t.doneAt());
        m.put("failed", t.items().stream().filter(i -> i.outcome().failed()).count());
        m.put("checked", t.items().stream().filter(i -> i.outcome() != Outcome.PENDING).count());
        m.put("total", t.items().size());
        return m;
    }

    private Map<String, Object> detail(Task t) {
        Map<String, Object> m = taskSummary(t);
        m.put("location", t.location());
        HazardRegister register = hazards.get();
        List<Map<String, Object>> items = new ArrayList<>();
        for (ItemResult i : t.items()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("no", i.no());
            x.put("key", i.item().key());
            x.put("text", i.item().text());
            x.put("outcome", i.outcome().id());
            x.put("note", i.note());
            x.put("photos", i.photos());
            x.put("hazardId", i.hazardId());
            if (i.hazardId() != null && register != null) {
                x.put("hazardState", register.get(i.hazardId()).map(Hazard::state).map(s -> s.id()).orElse(null));
            }
            x.put("checkedBy", i.checkedBy());
            x.put("checkedAt", i.checkedAt());
            items.add(x);
        }
        m.put("items", items);
        m.put("reinspections", StoreCalls.call(STORE, () -> store().reinspections(t.id())));
        return m;
    }

    @FunctionalInterface
    private interface Action {
        Task run(Task t, int item, JsonNode body);
    }

    private Response act(Request r, Principal u, Action action) throws Exception {
        Task t = visible(u, r.param("id"));
        int no = r.param("no") == null ? 0 : Api.integer(r.param("no"), 0, 1, 1000, "item");
        JsonNode body = r.body().length == 0 ? api.mapper().createObjectNode() : api.body(r);
        Task after = StoreCalls.call(STORE, () -> action.run(t, no, body));
        return api.ok(detail(after));
    }

    private Response photo(Request r, Principal u) throws Exception {
        Task t = visible(u, r.param("id"));
        Photo p = StoreCalls.call(STORE, () -> store().photo(t.id(), r.param("photo")))
                .orElseThrow(() -> new HttpError(404, "no such photo"));
        return Response.bytes(p.ref().contentType(), p.data()).with("Cache-Control", "private, max-age=3600")
                .with("X-Content-Type-Options", "nosniff");
    }

    // ------------------------------------------------------------------ check and act

    private Response improvements(Request r, Principal u) throws Exception {
        supervisor(u);
        Instant[] span = span(r);
        int min = Api.integer(r.param("min"), 2, 1, 1000, "min");
        GridPath root = sight.queryRoot(u, r.param("node") == null ? null : Api.path(r.param("node"), "node"));
        return api.ok(Map.of("items", StoreCalls.call(STORE, () -> store().improvements(root, span[0], span[1], min))));
    }

    private Response completion(Request r, Principal u) throws Exception {
        supervisor(u);
        Instant[] span = span(r);
        GridPath root = sight.queryRoot(u, r.param("node") == null ? null : Api.path(r.param("node"), "node"));
        if (!(store() instanceof InspectionProgress progress)) {
            throw new HttpError(503, "no completion on this node");
        }
        InspectionProgress.Completion c = StoreCalls.call(STORE, () -> progress.completion(root, span[0], span[1]));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", root.toString());
        m.put("from", span[0]);
        m.put("to", span[1]);
        m.put("due", c.due());
        m.put("done", c.done());
        m.put("late", c.late());
        m.put("share", c.share());
        m.put("taskIds", c.taskIds());
        return api.ok(m);
    }

    /** {@code from}/{@code to} as ISO instants; by default the last 365 days up to the store's now. */
    private Instant[] span(Request r) {
        Instant to = Optional.ofNullable(Api.instant(r.param("to"), "to")).orElseGet(() -> store().now().plusSeconds(1));
        Instant from = Optional.ofNullable(Api.instant(r.param("from"), "from")).orElse(to.minus(java.time.Duration.ofDays(365)));
        if (!from.isBefore(to)) {
            throw new HttpError(400, "from must be before to");
        }
        return new Instant[] {from, to};
    }

    private static Outcome outcome(JsonNode b) {
        return parse(() -> Outcome.parse(Api.text(b, "outcome", 20)));
    }

    private static HazardGrade grade(JsonNode b) {
        String g = Api.text(b, "grade", 20);
        return g == null || g.isBlank() ? HazardGrade.GENERAL : parse(() -> HazardGrade.parse(g));
    }

    private static <T> T parse(Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, e.getMessage());
        }
    }
}
