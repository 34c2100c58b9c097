package io.safegrid.console.hazard;

import com.fasterxml.jackson.databind.JsonNode;
import io.safegrid.config.ConfigSource;
import io.safegrid.console.http.Api;
import io.safegrid.console.http.HttpError;
import io.safegrid.console.http.Request;
import io.safegrid.console.http.Response;
import io.safegrid.console.http.Router;
import io.safegrid.console.session.Auth;
import io.safegrid.console.session.Principal;
import io.safegrid.model.alarm.AlarmDesk;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.archive.ArchiveDocument;
import io.safegrid.model.archive.ArchiveItem;
import io.safegrid.model.archive.ArchiveKind;
import io.safegrid.model.archive.EnterpriseArchive;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.HazardQuery;
import io.safegrid.model.hazard.HazardRegister;
import io.safegrid.model.hazard.HazardState;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety archive (一企一档) API: one grid node's dossier (its entries, and for an enterprise its
 * profile and history of hazards and alarms), changes to entries, and what expires soon. Nodes above
 * enterprises keep their responsible persons and 包保 assignments as organisation entries.
 */
public final class DossierRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(DossierRoutes.class);
    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private final Auth auth;
    private final Api api;
    private final ConfigSource config;
    private final Supplier<EnterpriseArchive> archive;
    private final Supplier<HazardRegister> register;
    private final Supplier<AlarmDesk> desk;

    public DossierRoutes(Auth auth, Api api, ConfigSource config, Supplier<EnterpriseArchive> archive,
                         Supplier<HazardRegister> register, Supplier<AlarmDesk> desk) {
        this.auth = auth;
        this.api = api;
        this.config = config;
        this.archive = archive;
        this.register = register;
        this.desk = desk;
    }

    public void routes(Router router) {
        // a scanned document comes as base64 in JSON (as every changing request), up to the archive's limit
        router.bodyLimit(io.netty.handler.codec.http.HttpMethod.POST, "/api/v1/dossier/{id}/documents",
                () -> (EnterpriseArchive.DOCUMENT_MAX_BYTES + 2) / 3 * 4 + io.safegrid.console.http.HttpServer.MAX_REQUEST_BYTES);
        router.post("/api/v1/dossier/{id}/documents", auth.guard(this::attach));
        router.get("/api/v1/dossier/{id}/documents/{doc}", auth.guard(this::document));
        router.get("/api/v1/dossier", auth.guard(this::dossier));
        router.post("/api/v1/dossier", auth.guard(this::put));
        router.get("/api/v1/dossier/expiring", auth.guard(this::expiring));
        router.get("/api/v1/dossier/{id}/history", auth.guard((r, u) -> api.ok(call(() ->
                arc().history(visible(u, r.param("id")).id())))));
        router.post("/api/v1/dossier/{id}/remove", auth.guard((r, u) -> {
            ArchiveItem a = visible(u, r.param("id"));
            call(() -> {
                arc().remove(HazardRoutes.actor(u), a.id());
                return null;
            });
            LOG.info("{} removed archive entry {} of {}", u.name(), a.id(), a.site());
            return api.ok(Map.of("removed", a.id()));
        }));
    }

    private EnterpriseArchive arc() {
        EnterpriseArchive a = archive.get();
        if (a == null) {
            throw new HttpError(503, "no safety archive on this node");
        }
        return a;
    }

    private boolean sees(Principal u, GridPath site) {
        if (u.sees(site)) {
            return true;
        }
        Optional<GridNode> dept = config.current().grid().node(u.scope()).filter(n -> n.kind() == GridKind.DEPARTMENT);
        return dept.isPresent() && config.current().grid().enterpriseOf(site)
                .map(e -> e.enterprise() != null && e.enterprise().departments().contains(u.scope())).orElse(false);
    }

    private ArchiveItem visible(Principal u, String id) {
        if (id == null || id.length() > 40) {
            throw new HttpError(404, "no such archive entry");
        }
        ArchiveItem a = call(() -> arc().item(id)).orElseThrow(() -> new HttpError(404, "no such archive entry: " + id));
        if (!sees(u, a.site())) {
            throw new HttpError(404, "no such archive entry: " + id);
        }
        return a;
    }

    /** {@code {name, data: base64}}; the type is read from the bytes. */
    private Response attach(Request r, Principal u) throws Exception {
        ArchiveItem a = visible(u, r.param("id"));
        JsonNode b = api.body(r);
        byte[] data;
        try {
            data = java.util.Base64.getDecoder().decode(b.path("data").asText(""));
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "archiveDocumentType", "data must be base64");
        }
        ArchiveDocument d = call(() -> arc().attach(HazardRoutes.actor(u), a.id(), Api.text(b, "name", 300), data));
        LOG.info("{} attached document {} ({}, {} B) to archive entry {} of {}", u.name(), d.id(), d.contentType(), d.bytes(),
                a.id(), a.site());
        return api.status(201, document(d));
    }

    /** Served only when the entry is in the user's scope, as the type read at upload, never sniffed or run. */
    private Response document(Request r, Principal u) throws Exception {
        ArchiveItem a = visible(u, r.param("id"));
        String id = r.param("doc");
        ArchiveDocument d = call(() -> arc().documents(a.site())).stream()
                .filter(x -> x.id().equals(id) && x.itemId().equals(a.id())).findFirst()
                .orElseThrow(() -> new HttpError(404, "no such document"));
        byte[] data = call(() -> arc().documentData(a.id(), d.id())).orElseThrow(() -> new HttpError(404, "no such document"));
        return Response.bytes(d.contentType(), data).with("Cache-Control", "private, max-age=3600")
                .with("X-Content-Type-Options", "nosniff").with("Content-Security-Policy", "sandbox")
                .with("Content-Disposition", "inline; filename*=UTF-8''"
                        + java.net.URLEncoder.encode(d.name(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private static Map<String, Object> document(ArchiveDocument d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("item", d.itemId());
        m.put("name", d.name());
        m.put("contentType", d.contentType());
        m.put("bytes", d.bytes());
        m.put("uploadedBy", d.uploadedBy());
        m.put("at", d.at().toString());
        return m;
    }

    private Response dossier(Request r, Principal u) throws Exception {
        GridPath site = r.param("site") == null ? u.scope() : Api.path(r.param("site"), "site");
        if (!sees(u, site) || !config.current().grid().contains(site)) {
            throw new HttpError(404, "no such grid node in your scope: " + site);
        }
        GridNode node = config.current().grid().node(site).orElseThrow();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("site", site.toString());
        out.put("name", node.name());
        out.put("kind", node.kind().name().toLowerCase(java.util.Locale.ROOT));
        if (node.enterprise() != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("industry", node.enterprise().industry());
            p.put("risk", node.enterprise().risk());
            p.put("departments", node.enterprise().departments().stream().map(GridPath::toString).toList());
            p.put("departmentNames", node.enterprise().departments().stream()
                    .map(x -> config.current().grid().node(x).map(GridNode::name).orElse(x.id())).toList());
            p.put("contact", node.enterprise().contact());
            out.put("profile", p);
        }
        LocalDate today = LocalDate.now(CHINA);
        Map<String, List<Map<String, Object>>> docs = new java.util.HashMap<>();
        call(() -> arc().documents(site)).forEach(d -> docs.computeIfAbsent(d.itemId(), k -> new java.util.ArrayList<>()).add(document(d)));
        out.put("items", call(() -> arc().dossier(site)).stream().map(a -> {
            Map<String, Object> m = view(a, today);
            m.put("documents", docs.getOrDefault(a.id(), List.of()));
            return m;
        }).toList());
        Map<String, Object> history = new LinkedHashMap<>();
        HazardRegister reg = register.get();
        if (reg != null) {
            history.put("hazardsOpen", call(() -> reg.list(new HazardQuery(site, null, null,
                    EnumSet.complementOf(EnumSet.of(HazardState.ACCEPTED)), null, null, 0, 1)).total()));
            history.put("hazardsOverdue", call(() -> reg.list(new HazardQuery(site, null, null, null, true, null, 0, 1)).total()));
            history.put("hazardsAccepted", call(() -> reg.list(new HazardQuery(site, null, null, EnumSet.of(HazardState.ACCEPTED),
                    null, null, 0, 1)).total()));
            history.put("recentHazards", call(() -> reg.list(new HazardQuery(site, null, null, null, null, null, 0, 10)).items())
                    .stream().map(h -> Map.of("id", h.id(), "grade", h.grade().id(), "state", h.state().id(),
                            "reportedAt", h.reportedAt().toString(), "description", h.description().split("\n")[0])).toList());
        }
        AlarmDesk d = desk.get();
        if (d != null) {
            try {
                history.put("alarms", d.list(new AlarmQuery(site, null, null, null, null, 0, 1)).total());
            } catch (RuntimeException e) {
                LOG.warn("dossier {}: alarm count unavailable: {}", site, e.toString());
            }
        }
        out.put("history", history);
        return api.ok(out);
    }

    private Response expiring(Request r, Principal u) throws Exception {
        int days = Api.integer(r.param("days"), 30, 0, 3650, "days");
        LocalDate today = LocalDate.now(CHINA);
        return api.ok(call(() -> arc().expiring(u.scope(), today.plusDays(days))).stream().filter(a -> sees(u, a.site()))
                .map(a -> view(a, today)).toList());
    }

    private Response put(Request r, Principal u) throws Exception {
        JsonNode b = api.body(r);
        String id = Api.text(b, "id", 40);
        GridPath site = Api.path(required(b, "site"), "site");
        if (!sees(u, site) || !config.current().grid().contains(site)) {
            throw new HttpError(404, "no such grid node in your scope: " + site);
        }
        if (id != null) {
            ArchiveItem old = visible(u, id);
            if (!old.site().equals(site)) {
                throw new HttpError(404, "no such archive entry: " + id);
            }
        }
        ArchiveKind kind;
        try {
            kind = ArchiveKind.parse(required(b, "kind"));
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, e.getMessage());
        }
        ArchiveItem in = new ArchiveItem(id, site, kind, Api.text(b, "name", 500), Api.text(b, "number", 200),
                Api.text(b, "holder", 200), date(b, "issued"), date(b, "expires"), Api.text(b, "level", 100),
                Api.text(b, "note", Api.NOTE_CHARS), null, null);
        ArchiveItem saved = call(() -> arc().put(HazardRoutes.actor(u), in));
        LOG.info("{} {} archive entry {} ({}) of {}", u.name(), id == null ? "added" : "changed", saved.id(), kind.id(), site);
        return api.ok(view(saved, LocalDate.now(CHINA)));
    }

    private static Map<String, Object> view(ArchiveItem a, LocalDate today) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("site", a.site().toString());
        m.put("kind", a.kind().id());
        m.put("name", a.name());
        m.put("number", a.number());
        m.put("holder", a.holder());
        m.put("issued", a.issued() == null ? null : a.issued().toString());
        m.put("expires", a.expires() == null ? null : a.expires().toString());
        m.put("level", a.level());
        m.put("note", a.note());
        m.put("updatedBy", a.updatedBy());
        m.put("updatedAt", a.updatedAt());
        m.put("expired", a.expires() != null && a.expires().isBefore(today));
        m.put("expiresSoon", a.expires() != null && !a.expires().isBefore(today) && !a.expires().isAfter(today.plusDays(30)));
        return m;
    }

    private static LocalDate date(JsonNode b, String field) {
        String t = Api.text(b, field, 32);
        if (t == null || t.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(t.trim());
        } catch (DateTimeParseException e) {
            throw new HttpError(400, "archiveDates", field + " must be a date like 2027-06-30, got '" + t + "'");
        }
    }

    private static String required(JsonNode b, String field) {
        String v = Api.text(b, field, 1000);
        if (v == null || v.isBlank()) {
            throw new HttpError(400, field + " is required");
        }
        return v;
    }

    private static <T> T call(Supplier<T> s) {
        return io.safegrid.console.http.StoreCalls.call("archive store", s);
    }
}
