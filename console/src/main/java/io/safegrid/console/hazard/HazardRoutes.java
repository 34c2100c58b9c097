package io.safegrid.console.hazard;

import com.fasterxml.jackson.databind.JsonNode;
import io.safegrid.config.ConfigSource;
import io.safegrid.console.feed.FindingFeed;
import io.safegrid.console.http.Api;
import io.safegrid.console.http.HttpError;
import io.safegrid.console.http.Request;
import io.safegrid.console.http.Response;
import io.safegrid.console.http.Router;
import io.safegrid.console.session.Auth;
import io.safegrid.console.session.Principal;
import io.safegrid.console.session.Role;
import io.safegrid.console.session.Scope;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmDesk;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.grid.EnterpriseProfile;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import io.safegrid.model.hazard.FiveMeasures;
import io.safegrid.model.hazard.Hazard;
import io.safegrid.model.hazard.HazardGrade;
import io.safegrid.model.hazard.HazardPage;
import io.safegrid.model.hazard.HazardQuery;
import io.safegrid.model.hazard.HazardRegister;
import io.safegrid.model.hazard.HazardSource;
import io.safegrid.model.hazard.HazardState;
import io.safegrid.model.hazard.NewHazard;
import io.safegrid.model.hazard.Photo;
import io.safegrid.model.hazard.PhotoUpload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hazard API (隐患排查治理): list, read, timeline, photos and the actions of each state, each
 * checked against the caller's grid scope first. A hazard outside the scope is answered like one
 * that does not exist (404). An industry department's user sees the hazards of the enterprises it
 * is responsible for (the vertical line), wherever they are in the tree.
 */
public final class HazardRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(HazardRoutes.class);
    private static final int MAX_ID_CHARS = 40;
    private static final int MAX_PHOTOS_PER_REQUEST = 10;

    private final Auth auth;
    private final Api api;
    private final ConfigSource config;
    private final Supplier<HazardRegister> register;
    private final Supplier<AlarmDesk> desk;
    private final FindingFeed findings;

    public HazardRoutes(Auth auth, Api api, ConfigSource config, Supplier<HazardRegister> register,
                        Supplier<AlarmDesk> desk, FindingFeed findings) {
        this.auth = auth;
        this.api = api;
        this.config = config;
        this.register = register;
        this.desk = desk;
        this.findings = findings;
    }

    /** A request that carries photos may hold one of the largest (base64) beside the usual 64 KiB of JSON. */
    int uploadLimit() {
        long photo = config.current().hazards().photoMaxBytes();
        return (int) Math.min(Integer.MAX_VALUE, (photo + 2) / 3 * 4 + io.safegrid.console.http.HttpServer.MAX_REQUEST_BYTES);
    }

    public void routes(Router router) {
        for (String upload : new String[] {"/api/v1/hazards", "/api/v1/hazards/{id}/photos", "/api/v1/hazards/{id}/submit"}) {
            router.bodyLimit(io.netty.handler.codec.http.HttpMethod.POST, upload, this::uploadLimit);
        }
        router.get("/api/v1/hazards", auth.guard(this::list));
        router.post("/api/v1/hazards", auth.guard(this::report));
        router.get("/api/v1/hazards/{id}", auth.guard((r, u) -> api.ok(view(visible(u, r.param("id"))))));
        router.get("/api/v1/hazards/{id}/timeline", auth.guard((r, u) ->
                api.ok(call(() -> reg().timeline(visible(u, r.param("id")).id())))));
        router.get("/api/v1/hazards/{id}/photos/{photo}", auth.guard(this::photo));
        router.post("/api/v1/hazards/{id}/photos", auth.guard((r, u) -> act(r, u, (h, b) ->
                reg().addPhoto(actor(u), h.id(), photo(b)))));
        router.post("/api/v1/hazards/{id}/assign", auth.guard((r, u) -> act(r, u, (h, b) ->
                reg().assign(actor(u), h.id(), five(b), Api.text(b, "note", Api.NOTE_CHARS)))));
        router.post("/api/v1/hazards/{id}/rectify", auth.guard((r, u) -> act(r, u, (h, b) ->
                reg().startRectifying(actor(u), h.id(), Api.text(b, "note", Api.NOTE_CHARS)))));
        router.post("/api/v1/hazards/{id}/submit", auth.guard((r, u) -> act(r, u, (h, b) ->
                reg().submit(actor(u), h.id(), Api.text(b, "note", Api.NOTE_CHARS), photos(b, "after")))));
        router.post("/api/v1/hazards/{id}/accept", auth.guard((r, u) -> act(r, u, (h, b) ->
                reg().accept(actor(u), h.id(), Api.text(b, "note", Api.NOTE_CHARS)))));
        router.post("/api/v1/hazards/{id}/reject", auth.guard((r, u) -> act(r, u, (h, b) ->
                reg().reject(actor(u), h.id(), Api.text(b, "note", Api.NOTE_CHARS)))));
        router.post("/api/v1/hazards/{id}/list", auth.guard((r, u) -> act(r, u, (h, b) ->
                reg().listForSupervision(actor(u), h.id(), Api.text(b, "orderNo", 100), instant(b, "deadline")))));
        router.get("/api/v1/supervision", auth.guard(this::supervision));
        router.post("/api/v1/alarms/{id}/hazard", auth.guard(this::fromAlarm));
        router.post("/api/v1/findings/{id}/hazard", auth.guard(this::fromFinding));
    }

    private HazardRegister reg() {
        HazardRegister r = register.get();
        if (r == null) {
            throw new HttpError(503, "no hazard register on this node");
        }
        return r;
    }

    static Actor actor(Principal u) {
        return new Actor(u.name(), u.scope(), u.role() != Role.ENTERPRISE_OPERATOR);
    }

    /** The department the user's scope is, when it is one: they see its enterprises wherever they are. */
    private Optional<GridPath> department(Principal u) {
        return config.current().grid().node(u.scope()).filter(n -> n.kind() == GridKind.DEPARTMENT).map(GridNode::path);
    }

    boolean sees(Principal u, Hazard h) {
        return u.sees(h.site()) || department(u).map(h.departments()::contains).orElse(false);
    }

    /** The hazard if it exists and the user may see it; 404 otherwise, either way. */
    Hazard visible(Principal u, String id) {
        if (id == null || id.length() > MAX_ID_CHARS) {
            throw new HttpError(404, "no such hazard");
        }
        Hazard h = call(() -> reg().get(id)).orElseThrow(() -> new HttpError(404, "no such hazard: " + id));
        if (!sees(u, h)) {
            LOG.warn("{} ({}) asked for hazard {} at {}, outside their scope", u.name(), u.scope(), id, h.site());
            throw new HttpError(404, "no such hazard: " + id);
        }
        return h;
    }

    private Response list(Request r, Principal u) throws Exception {
        int size = Api.integer(r.param("size"), 50, 1, HazardQuery.MAX_LIMIT, "size");
        int page = Api.integer(r.param("page"), 0, 0, 1_000_000, "page");
        Optional<GridPath> dept = department(u);
        GridPath subtree;
        GridPath byDept = null;
        if (dept.isPresent() && r.param("node") == null) {
            subtree = null;
            byDept = dept.get();
        } else {
            subtree = Scope.narrow(u, r.param("node") == null ? null : Api.path(r.param("node"), "node"));
        }
        Boolean overdue = r.param("overdue") == null || r.param("overdue").isBlank() ? null
                : Boolean.parseBoolean(r.param("overdue"));
        Boolean listed = "true".equals(r.param("listed")) ? Boolean.TRUE : null;
        HazardQuery q = new HazardQuery(subtree, byDept, grades(r.param("grade")), states(r.param("state")), overdue, listed,
                page * size, size);
        HazardPage p = call(() -> reg().list(q));
        Instant now = reg().now();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", p.items().stream().map(h -> view(h, now)).toList());
        out.put("total", p.total());
        out.put("page", page);
        out.put("size", size);
        return api.ok(out);
    }

    private Response supervision(Request r, Principal u) throws Exception {
        GridPath root = department(u).isPresent() ? u.scope().segments().size() > 1 ? GridPath.of(u.scope().segments().get(0))
                : u.scope() : u.scope();
        Instant now = reg().now();
        List<Map<String, Object>> items = call(() -> reg().supervised(root)).stream().filter(h -> sees(u, h))
                .map(h -> view(h, now)).toList();
        return api.ok(Map.of("items", items, "overdue", items.stream().filter(m -> Boolean.TRUE.equals(m.get("overdue"))).count()));
    }

    private Response report(Request r, Principal u) throws Exception {
        JsonNode b = api.body(r);
        GridPath site = Api.path(required(b, "site", Api.NAME_CHARS), "site");
        Grid grid = config.current().grid();
        if (!u.sees(site) && !department(u).map(d -> departmentsOf(grid, site).contains(d)).orElse(false)) {
            throw new HttpError(404, "no such grid node in your scope: " + site);
        }
        if (!grid.contains(site)) {
            throw new HttpError(400, "hazardSiteUnknown", "no such grid node: " + site);
        }
        HazardSource source = parse(() -> HazardSource.parse(text(b, "source", "self-check")));
        NewHazard n = new NewHazard(site, departmentsOf(grid, site), Api.text(b, "place", 500), source, null,
                parse(() -> HazardGrade.parse(text(b, "grade", null))), Api.text(b, "category", 200),
                Api.text(b, "description", Api.NOTE_CHARS), photos(b, "before"));
        Hazard h = call(() -> reg().report(actor(u), n));
        LOG.info("{} reported hazard {} ({}) at {}", u.name(), h.id(), h.grade().id(), h.site());
        return api.status(201, view(h));
    }

    /** 一键转隐患: the alarm's facts and timeline become the report, its snapshot (if still held) a photo. */
    private Response fromAlarm(Request r, Principal u) throws Exception {
        AlarmDesk d = desk.get();
        if (d == null) {
            throw new HttpError(503, "no alarm service on this node");
        }
        String id = r.param("id");
        Alarm a = (id == null || id.length() > 64 ? Optional.<Alarm>empty() : d.get(id))
                .filter(x -> u.sees(x.site())).orElseThrow(() -> new HttpError(404, "no such alarm: " + id));
        JsonNode b = r.body().length == 0 ? api.mapper().createObjectNode() : api.body(r);
        StringBuilder evidence = new StringBuilder();
        evidence.append(a.message() == null ? a.kind().labelZh() : a.message());
        evidence.append("\n[告警 ").append(a.id()).append(" ").append(a.level().labelZh()).append(" ")
                .append(a.kind().labelZh());
        if (!Double.isNaN(a.value())) {
            evidence.append(" 值 ").append(a.value());
        }
        if (!Double.isNaN(a.threshold())) {
            evidence.append(" 阈值 ").append(a.threshold());
        }
        evidence.append(" ").append(a.raisedAt()).append("]");
        for (AlarmEvent e : d.timeline(a.id())) {
            if (evidence.length() > Api.NOTE_CHARS - 200) {
                break;
            }
            evidence.append("\n").append(e.time()).append(" ").append(e.type().name().toLowerCase(java.util.Locale.ROOT))
                    .append(e.actor() == null ? "" : " " + e.actor()).append(e.note() == null ? "" : ": " + e.note());
        }
        List<PhotoUpload> photos = new ArrayList<>();
        findings.recent(a.site(), 2000).stream().filter(f -> f.snapshot() != null && f.alarmKey().equals(a.key()))
                .findFirst().ifPresent(f -> photos.add(new PhotoUpload("evidence", f.snapshot())));
        return raise(u, a.site(), HazardSource.ALARM, a.id(), b, evidence.toString(), photos);
    }

    private Response fromFinding(Request r, Principal u) throws Exception {
        String id = r.param("id");
        Finding f = findings.byId(id).filter(x -> u.sees(x.site()))
                .orElseThrow(() -> new HttpError(404, "no such finding: " + id));
        JsonNode b = r.body().length == 0 ? api.mapper().createObjectNode() : api.body(r);
        String evidence = (f.message() == null ? f.kind().labelZh() : f.message()) + "\n[发现 " + f.id() + " "
                + f.kind().labelZh() + " " + f.sourceId() + "]";
        List<PhotoUpload> photos = f.snapshot() == null ? List.of() : List.of(new PhotoUpload("evidence", f.snapshot()));
        return raise(u, f.site(), HazardSource.FINDING, f.id(), b, evidence, photos);
    }

    private Response raise(Principal u, GridPath site, HazardSource source, String ref, JsonNode b, String evidence,
                           List<PhotoUpload> photos) throws Exception {
        Grid grid = config.current().grid();
        String extra = Api.text(b, "description", Api.NOTE_CHARS);
        String description = extra == null || extra.isBlank() ? evidence : extra + "\n" + evidence;
        if (description.length() > 8000) {
            description = description.substring(0, 8000);
        }
        NewHazard n = new NewHazard(site, departmentsOf(grid, site), Api.text(b, "place", 500), source, ref,
                parse(() -> HazardGrade.parse(text(b, "grade", "general"))), Api.text(b, "category", 200), description, photos);
        Hazard h;
        try {
            h = call(() -> reg().report(actor(u), n));
        } catch (HttpError e) {
            if (photos.isEmpty() || !"hazardPhotoTooLarge".equals(e.key()) && !"hazardPhotoType".equals(e.key())) {
                throw e;
            }
            // the evidence picture is over this register's limits: the report still goes in, the picture is named
            NewHazard without = new NewHazard(n.site(), n.departments(), n.place(), n.source(), n.sourceRef(), n.grade(),
                    n.category(), n.description() + "\n(snapshot not kept: " + e.getMessage() + ")", List.of());
            h = call(() -> reg().report(actor(u), without));
        }
        LOG.info("{} raised hazard {} from {} {}", u.name(), h.id(), source.id(), ref);
        return api.status(201, view(h));
    }

    private Response photo(Request r, Principal u) throws Exception {
        Hazard h = visible(u, r.param("id"));
        Photo p = call(() -> reg().photo(h.id(), r.param("photo")))
                .orElseThrow(() -> new HttpError(404, "no such photo"));
        return Response.bytes(p.ref().contentType(), p.data()).with("Cache-Control", "private, max-age=3600")
                .with("X-Content-Type-Options", "nosniff");
    }

    @FunctionalInterface
    private interface Action {
        Hazard run(Hazard h, JsonNode body);
    }

    private Response act(Request r, Principal u, Action action) throws Exception {
        Hazard h = visible(u, r.param("id"));
        JsonNode body = r.body().length == 0 ? api.mapper().createObjectNode() : api.body(r);
        Hazard after = call(() -> action.run(h, body));
        LOG.info("{} changed hazard {} ({} -> {})", u.name(), h.id(), h.state().id(), after.state().id());
        return api.ok(view(after));
    }

    /** Runs a register call, turning its refusals into the API's answers. */
    private <T> T call(Supplier<T> s) {
        return io.safegrid.console.http.StoreCalls.call("hazard store", s);
    }

    private Map<String, Object> view(Hazard h) {
        return view(h, reg().now());
    }

    /** The hazard as JSON, with names the screen shows and whether it is overdue now. */
    Map<String, Object> view(Hazard h, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", h.id());
        m.put("site", h.site().toString());
        m.put("siteName", config.current().grid().node(h.site()).map(GridNode::name).orElse(h.site().id()));
        m.put("departments", h.departments().stream().map(GridPath::toString).toList());
        m.put("place", h.place());
        m.put("source", h.source().id());
        m.put("sourceRef", h.sourceRef());
        m.put("grade", h.grade().id());
        m.put("category", h.category());
        m.put("description", h.description());
        m.put("state", h.state().id());
        m.put("responsible", h.five().responsible());
        m.put("measures", h.five().measures());
        m.put("fundsYuan", h.five().fundsYuan());
        m.put("deadline", h.five().deadline());
        m.put("emergencyPlan", h.five().emergencyPlan());
        if (h.supervision() != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("orderNo", h.supervision().orderNo());
            s.put("level", h.supervision().level().toString());
            s.put("listedBy", h.supervision().listedBy());
            s.put("listedAt", h.supervision().listedAt());
            s.put("deadline", h.supervision().deadline());
            m.put("supervision", s);
        }
        m.put("overdue", h.overdue(now));
        m.put("reportedBy", h.reportedBy());
        m.put("reportedAt", h.reportedAt());
        m.put("updatedAt", h.updatedAt());
        m.put("photos", h.photos());
        return m;
    }

    private static List<GridPath> departmentsOf(Grid grid, GridPath site) {
        return grid.enterpriseOf(site).map(GridNode::enterprise).map(EnterpriseProfile::departments).orElse(List.of());
    }

    private static FiveMeasures five(JsonNode b) {
        Long funds = null;
        JsonNode f = b.get("fundsYuan");
        if (f != null && !f.isNull() && !(f.isTextual() && f.asText().isBlank())) {
            if (!f.canConvertToLong() && !(f.isTextual() && f.asText().trim().matches("-?\\d{1,15}"))) {
                throw new HttpError(400, "hazardFunds", "fundsYuan must be a whole number of yuan");
            }
            funds = f.isTextual() ? Long.parseLong(f.asText().trim()) : f.asLong();
        }
        return new FiveMeasures(Api.text(b, "responsible", Api.NAME_CHARS), Api.text(b, "measures", Api.NOTE_CHARS), funds,
                instant(b, "deadline"), Api.text(b, "emergencyPlan", Api.NOTE_CHARS));
    }

    private static Instant instant(JsonNode b, String field) {
        String t = Api.text(b, field, 64);
        return t == null || t.isBlank() ? null : Api.instant(t, field);
    }

    private static PhotoUpload photo(JsonNode b) {
        List<PhotoUpload> p = photos(b, null);
        if (p.isEmpty()) {
            String data = Api.text(b, "data");
            if (data == null) {
                throw new HttpError(400, "hazardPhotoType", "a photo (data, base64) is required");
            }
            return new PhotoUpload(Api.text(b, "stage", 20), decode(data));
        }
        return p.get(0);
    }

    /** {@code photos: [{stage?, data: base64}]}; the register checks sizes and types. */
    private static List<PhotoUpload> photos(JsonNode b, String stage) {
        JsonNode a = b.get("photos");
        if (a == null || a.isNull()) {
            return List.of();
        }
        if (!a.isArray() || a.size() > MAX_PHOTOS_PER_REQUEST) {
            throw new HttpError(400, "hazardPhotoCount", "photos must be a list of at most " + MAX_PHOTOS_PER_REQUEST);
        }
        List<PhotoUpload> out = new ArrayList<>();
        for (JsonNode p : a) {
            String data = p.isTextual() ? p.asText() : Api.text(p, "data");
            String st = p.isObject() && p.hasNonNull("stage") ? p.get("stage").asText() : stage;
            out.add(new PhotoUpload(st, decode(data)));
        }
        return out;
    }

    private static byte[] decode(String data) {
        if (data == null) {
            throw new HttpError(400, "hazardPhotoType", "a photo without data");
        }
        String d = data.startsWith("data:") && data.indexOf(',') > 0 ? data.substring(data.indexOf(',') + 1) : data;
        try {
            return Base64.getDecoder().decode(d.strip());
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "hazardPhotoType", "photo data is not base64");
        }
    }

    private static String required(JsonNode b, String field, int max) {
        String v = Api.text(b, field, max);
        if (v == null || v.isBlank()) {
            throw new HttpError(400, field + " is required");
        }
        return v;
    }

    private static String text(JsonNode b, String field, String dflt) {
        String v = Api.text(b, field, 100);
        return v == null || v.isBlank() ? dflt : v;
    }

    private static <T> T parse(Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, e.getMessage());
        }
    }

    static Set<HazardGrade> grades(String text) {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        Set<HazardGrade> out = EnumSet.noneOf(HazardGrade.class);
        for (String s : text.split(",")) {
            out.add(parse(() -> HazardGrade.parse(s)));
        }
        return out;
    }

    static Set<HazardState> states(String text) {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        Set<HazardState> out = EnumSet.noneOf(HazardState.class);
        for (String s : text.split(",")) {
            if (s.trim().equalsIgnoreCase("open")) {
                out.addAll(EnumSet.complementOf(EnumSet.of(HazardState.ACCEPTED)));
            } else {
                out.add(parse(() -> HazardState.parse(s)));
            }
        }
        return out;
    }
}
