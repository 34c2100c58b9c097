package io.safegrid.console.feed;

import io.safegrid.console.http.Api;
import io.safegrid.console.http.HttpError;
import io.safegrid.console.http.Request;
import io.safegrid.console.http.Response;
import io.safegrid.console.http.Router;
import io.safegrid.console.session.Auth;
import io.safegrid.console.session.Principal;
import io.safegrid.console.session.Scope;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.grid.GridPath;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Recent findings and their snapshot JPEGs, only within the caller's scope (others: 404). */
public final class FindingRoutes {
    private final Auth auth;
    private final Api api;
    private final FindingFeed feed;

    public FindingRoutes(Auth auth, Api api, FindingFeed feed) {
        this.auth = auth;
        this.api = api;
        this.feed = feed;
    }

    public void routes(Router router) {
        router.get("/api/v1/findings", auth.guard(this::recent));
        router.get("/api/v1/findings/{id}/snapshot.jpg", auth.guard(this::snapshot));
    }

    private Response recent(Request r, Principal u) throws Exception {
        GridPath scope = Scope.narrow(u, r.param("site") == null ? null : Api.path(r.param("site"), "site"));
        int size = Api.integer(r.param("size"), 100, 1, 1000, "size");
        return api.ok(feed.recent(scope, size).stream().map(FindingRoutes::view).toList());
    }

    private Response snapshot(Request r, Principal u) {
        Finding f = feed.byId(r.param("id")).filter(x -> x.site() != null && u.sees(x.site()))
                .orElseThrow(() -> new HttpError(404, "no such finding: " + r.param("id")));
        if (f.snapshot() == null) {
            throw new HttpError(404, "finding " + f.id() + " has no snapshot");
        }
        return Response.bytes("image/jpeg", f.snapshot());
    }

    /** A finding as JSON: the snapshot is linked, not inlined. */
    public static Map<String, Object> view(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("kind", f.kind());
        m.put("level", f.level());
        m.put("condition", f.condition());
        m.put("sourceId", f.sourceId());
        m.put("site", f.site());
        m.put("rule", f.rule());
        m.put("zone", f.zone());
        m.put("value", f.value());
        m.put("threshold", f.threshold());
        m.put("time", f.time());
        m.put("message", f.message());
        m.put("snapshot", f.snapshot() == null ? null : "/api/v1/findings/" + f.id() + "/snapshot.jpg");
        m.put("details", f.details());
        m.put("messageKey", f.messageKey());
        m.put("messageArgs", f.messageArgs());
        return m;
    }

    static List<Map<String, Object>> views(List<Finding> fs) {
        return fs.stream().map(FindingRoutes::view).toList();
    }
}
