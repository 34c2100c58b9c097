package io.safegrid.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.console.feed.FindingFeed;
import io.safegrid.console.health.Health;
import io.safegrid.console.http.HttpError;
import io.safegrid.console.http.HttpServer;
import io.safegrid.console.http.Request;
import io.safegrid.console.http.Response;
import io.safegrid.console.http.Router;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operators' screen: health, metrics, the grid and the live findings over HTTP, and the web
 * page that shows them. Other stages add their views through {@link #router()}.
 */
public final class Console implements AutoCloseable {
    private final ConfigSource config;
    private final PrometheusMeterRegistry registry;
    private final Health health;
    private final Router router = new Router();
    private final ObjectMapper json = ConsoleJson.mapper();
    private final FindingFeed findings = new FindingFeed(2000);
    private HttpServer server;
    private int port;

    public Console(ConfigSource config, PrometheusMeterRegistry registry, Health health) {
        this.config = config;
        this.registry = registry;
        this.health = health;
        router.get("/health", this::health);
        router.get("/metrics", r -> Response.text(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        router.get("/api/v1/grid", r -> json(grid(config.current())));
        router.get("/api/v1/findings", this::findings);
        router.get("/api/v1/findings/{id}/snapshot.jpg", this::snapshot);
        router.get("/", r -> resource("index.html", "text/html; charset=utf-8"));
        router.get("/ui/{file}", r -> resource(r.param("file"), contentType(r.param("file"))));
    }

    /** Subscribes to the bus (when this node has one) and starts listening. */
    public Console start(Bus bus) throws InterruptedException {
        if (bus != null) {
            findings.start(bus);
        }
        server = new HttpServer(router, registry);
        port = server.start(config.current().node().bindAddress(), config.current().node().httpPort());
        health.register("console.http", () -> true);
        return this;
    }

    public Router router() { return router; }

    public ObjectMapper json() { return json; }

    public int port() { return port; }

    public Response json(Object body) throws IOException {
        return Response.json(200, json.writeValueAsString(body));
    }

    private Response health(Request r) throws IOException {
        boolean ready = health.ready();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "UP" : "STARTING");
        body.put("node", config.current().node().nodeId());
        body.put("roles", config.current().node().roles().stream().sorted().toList());
        body.put("deployment", config.current().name());
        body.put("uptimeSeconds", health.uptime().toSeconds());
        body.put("checks", health.results());
        return Response.json(ready ? 200 : 503, json.writeValueAsString(body));
    }

    private Response findings(Request r) throws IOException {
        GridPath scope = r.param("scope") == null ? null : parsePath(r.param("scope"));
        int limit = r.param("limit") == null ? 100 : Math.min(1000, Math.max(1, Integer.parseInt(r.param("limit"))));
        return json(findings.recent(scope, limit));
    }

    private Response snapshot(Request r) {
        Finding f = findings.byId(r.param("id")).orElseThrow(() -> new HttpError(404, "no such finding"));
        if (f.snapshot() == null) {
            throw new HttpError(404, "finding " + f.id() + " has no snapshot");
        }
        return Response.bytes("image/jpeg", f.snapshot());
    }

    private static GridPath parsePath(String text) {
        try {
            return GridPath.parse(text);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, e.getMessage());
        }
    }

    /** The grid as a nested tree for the UI. */
    static List<Map<String, Object>> grid(Deployment d) {
        List<Map<String, Object>> roots = new ArrayList<>();
        for (GridNode n : d.grid().roots()) {
            roots.add(tree(d, n));
        }
        return roots;
    }

    private static Map<String, Object> tree(Deployment d, GridNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", n.path().toString());
        m.put("kind", n.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("name", n.name());
        if (n.enterprise() != null) {
            m.put("industry", n.enterprise().industry());
            if (n.enterprise().location() != null) {
                m.put("lat", n.enterprise().location().lat());
                m.put("lon", n.enterprise().location().lon());
            }
            if (n.enterprise().risk() != null) {
                m.put("risk", n.enterprise().risk().name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        List<Map<String, Object>> kids = new ArrayList<>();
        for (GridNode c : d.grid().children(n.path())) {
            kids.add(tree(d, c));
        }
        if (!kids.isEmpty()) {
            m.put("children", kids);
        }
        return m;
    }

    private static Response resource(String name, String type) throws IOException {
        if (name == null || !name.matches("[a-zA-Z0-9_.-]+")) {
            throw new HttpError(404, "no such file");
        }
        try (InputStream in = Console.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw new HttpError(404, "no such file: " + name);
            }
            return Response.bytes(type, in.readAllBytes());
        }
    }

    private static String contentType(String file) {
        if (file == null) {
            return "application/octet-stream";
        }
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (file.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        return "application/octet-stream";
    }

    @Override
    public void close() {
        findings.close();
        if (server != null) {
            server.close();
        }
    }
}
