package io.safegrid.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.console.alarm.AlarmRoutes;
import io.safegrid.console.alarm.SilenceRoutes;
import io.safegrid.console.camera.LiveFrames;
import io.safegrid.console.camera.LiveView;
import io.safegrid.console.device.DeviceRoutes;
import io.safegrid.console.device.DeviceView;
import io.safegrid.console.feed.FindingFeed;
import io.safegrid.console.feed.FindingRoutes;
import io.safegrid.console.grid.GridRoutes;
import io.safegrid.console.hazard.DossierRoutes;
import io.safegrid.console.hazard.HazardRoutes;
import io.safegrid.console.health.Health;
import io.safegrid.console.health.Operators;
import io.safegrid.console.http.Api;
import io.safegrid.console.http.Handler;
import io.safegrid.console.http.HttpError;
import io.safegrid.console.http.HttpServer;
import io.safegrid.console.http.OwnOrigin;
import io.safegrid.console.http.Request;
import io.safegrid.config.link.AlarmLinks;
import io.safegrid.console.http.Response;
import io.safegrid.console.phone.PhoneRoutes;
import io.safegrid.console.map.MapRoutes;
import io.safegrid.console.http.Router;
import io.safegrid.console.live.LivePush;
import io.safegrid.console.session.Auth;
import io.safegrid.console.session.LoginThrottle;
import io.safegrid.console.session.Sessions;
import io.safegrid.console.stats.StatsRoutes;
import io.safegrid.model.alarm.AlarmDesk;
import io.safegrid.model.archive.EnterpriseArchive;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.hazard.HazardRegister;
import io.safegrid.model.history.SeriesHistory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' screen: login and sessions, the scoped alarm/grid/device/statistics API, live
 * push over WebSocket, health, metrics and the web UI. The node plugs in the alarm desk (and a
 * history store, when it has one) before {@link #start}; other stages add views through
 * {@link #router()} and may protect them with {@link #guard}.
 */
public final class Console implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    /** Login throttling (docs/security.md): failures counted in a 15-minute sliding window. */
    static final Duration LOGIN_WINDOW = Duration.ofMinutes(15);
    static final int LOGIN_FAILURES_PER_USER_AND_ADDRESS = 5;
    static final int LOGIN_FAILURES_PER_ADDRESS = 20;
    static final int LOGIN_FAILURES_PER_USER = 50;

    private final ConfigSource config;
    private final PrometheusMeterRegistry registry;
    private final Health health;
    private final Router router = new Router();
    private final ObjectMapper json;
    private final Api api;
    private final FindingFeed findings = new FindingFeed(2000);
    private final OwnOrigin origins;
    private final Operators operators;
    private volatile AlarmDesk desk;
    private volatile SeriesHistory history;
    private volatile AlarmLinks links;
    private volatile MapRoutes.MapSettings mapSettings;
    private volatile HazardRegister hazards;
    private volatile EnterpriseArchive archive;
    private volatile io.safegrid.model.supervision.Inspections inspections;
    private volatile io.safegrid.model.redline.RedLines redLines;
    private volatile io.safegrid.model.assessment.Assessments assessments;
    private volatile io.safegrid.model.assessment.Reports reports;
    private Clock clock = Clock.systemUTC();
    private ZoneId zone = ZoneId.of("Asia/Shanghai");
    private Duration idleTimeout = Duration.ofMinutes(30);
    private Duration maxSessionAge = Duration.ofHours(12);
    private io.safegrid.console.session.SessionStore sessionStore = io.safegrid.console.session.SessionStore.none();
    private Duration requestDeadline = Duration.ofSeconds(30);
    private Duration idleDeadline = Duration.ofMinutes(2);
    private int connectionsPerAddress = HttpServer.MAX_CONNECTIONS_PER_ADDRESS;
    private int maxConnections = HttpServer.MAX_CONNECTIONS;
    private Auth auth;
    private DeviceView devices;
    private LivePush live;
    private LiveFrames liveFrames;
    private LiveView liveView;
    private HttpServer server;
    private int port;

    public Console(ConfigSource config, PrometheusMeterRegistry registry, Health health) {
        this.config = config;
        this.json = ConsoleJson.mapper(new io.safegrid.console.text.AlarmText(config));
        this.api = new Api(json);
        this.registry = registry;
        this.health = health;
        this.origins = new OwnOrigin(() -> config.current().node().consoleUrl());
        this.operators = new Operators(() -> config.current().node().metricsToken());
        router.get("/health", this::health);
        router.get("/metrics", this::metrics);
        router.get("/", r -> resource("index.html", "text/html; charset=utf-8"));
        router.get("/ui/{file}", r -> resource(r.param("file"), contentType(r.param("file"))));
        router.get("/api/openapi.yaml", r -> resource("openapi.yaml", "application/yaml; charset=utf-8"));
        router.get("/api/v1/texts/{lang}", r -> api.ok(io.safegrid.model.text.Texts.bundle(r.param("lang"))));
        router.get("/ui/lib/echarts.min.js", r -> Response.bytes("text/javascript; charset=utf-8", ECHARTS.get()));
        router.get("/m/{id}", r -> resource("phone.html", "text/html; charset=utf-8"));
    }

    /** The alarm service's desk (alerting's {@code AlarmService}); without one the alarm API answers 503. */
    public Console alarmDesk(AlarmDesk desk) {
        this.desk = desk;
        return this;
    }

    /** The county map's GeoJSON boundaries and an optional tile URL (default: the demo county's outline, for the demo). */
    public Console map(Path boundaries, String tileUrl) {
        this.mapSettings = new MapRoutes.MapSettings(boundaries, tileUrl);
        return this;
    }

    /** Set by {@link #map}, else the deployment's {@code console.map} (read on each request, so a reload applies). */
    private MapRoutes.MapSettings mapSettings() {
        MapRoutes.MapSettings s = mapSettings;
        return s != null ? s : new MapRoutes.MapSettings(config.current().console().mapBoundaries(), config.current().console().mapTiles());
    }

    /** The key that notification links are signed with (default: the data directory's, as alerting signs). */
    public Console alarmLinks(AlarmLinks links) {
        this.links = links;
        return this;
    }

    private AlarmLinks alarmLinks() {
        AlarmLinks l = links;
        if (l == null) {
            l = AlarmLinks.forDataDir(config.current().node().dataDir());
            links = l;
        }
        return l;
    }

    /** The sensor history store, when this node has one; without it history answers 503. */
    public Console seriesHistory(SeriesHistory history) {
        this.history = history;
        return this;
    }

    /** The hazard register (the hazard module's); without one the hazard API answers 503. */
    public Console hazardRegister(HazardRegister register) {
        this.hazards = register;
        return this;
    }

    /** The safety archive (一企一档); without one the dossier API answers 503. */
    public Console enterpriseArchive(EnterpriseArchive archive) {
        this.archive = archive;
        return this;
    }

    /** Inspection plans and tasks (the supervision module's); without them the inspection API answers 503. */
    public Console inspections(io.safegrid.model.supervision.Inspections inspections) {
        this.inspections = inspections;
        return this;
    }

    /** The red-line register (the supervision module's); without one the red-line API answers 503. */
    public Console redLines(io.safegrid.model.redline.RedLines redLines) {
        this.redLines = redLines;
        return this;
    }

    /** The assessment (考核); without one the assessment API answers 503. */
    public Console assessments(io.safegrid.model.assessment.Assessments assessments) {
        this.assessments = assessments;
        return this;
    }

    /** The reports (汇总汇报); without them the report API answers 503. */
    public Console reports(io.safegrid.model.assessment.Reports reports) {
        this.reports = reports;
        return this;
    }

    /** The clock for sessions and statistics (tests); call before {@link #start}. */
    public Console clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** The local zone that statistics count days in (default Asia/Shanghai); before {@link #start}. */
    public Console zone(ZoneId zone) {
        this.zone = zone;
        return this;
    }

    /** Where sessions are kept so that they outlive a restart (default: nowhere, memory only); before {@link #start}; closed with the console. */
    public Console sessionStore(io.safegrid.console.session.SessionStore store) {
        this.sessionStore = store;
        return this;
    }

    /** Sessions end after {@code idle} without a request or {@code maxAge} after login; before {@link #start}. */
    public Console sessionTimeouts(Duration idle, Duration maxAge) {
        this.idleTimeout = idle;
        this.maxSessionAge = maxAge;
        return this;
    }

    /**
     * A request must arrive whole within {@code request} (default 30 s); a kept-alive connection may
     * sit idle {@code idle} between requests (default 2 min); before {@link #start}.
     */
    public Console connectionDeadlines(Duration request, Duration idle) {
        this.requestDeadline = request;
        this.idleDeadline = idle;
        return this;
    }

    /** At most {@code perAddress} connections from one client address and {@code total} in all; before {@link #start}. */
    public Console connectionCaps(int perAddress, int total) {
        this.connectionsPerAddress = perAddress;
        this.maxConnections = total;
        return this;
    }

    /** Subscribes to the bus (when this node has one) and starts listening. */
    public Console start(Bus bus) throws InterruptedException {
        Sessions sessions = new Sessions(config, registry, clock, idleTimeout, maxSessionAge, sessionStore);
        auth = new Auth(sessions, new LoginThrottle(clock, LOGIN_WINDOW, LOGIN_FAILURES_PER_USER_AND_ADDRESS,
                LOGIN_FAILURES_PER_ADDRESS, LOGIN_FAILURES_PER_USER), api, registry);
        devices = new DeviceView(registry);
        live = new LivePush(sessions, json, origins, registry);
        Supplier<AlarmDesk> deskRef = () -> desk;
        auth.routes(router);
        AlarmRoutes alarms = new AlarmRoutes(auth, api, config, deskRef);
        alarms.routes(router);
        new SilenceRoutes(auth, api, config, alarms, clock).routes(router);
        new GridRoutes(auth, api, config, deskRef).routes(router);
        new FindingRoutes(auth, api, findings).routes(router);
        DeviceRoutes deviceRoutes = new DeviceRoutes(auth, api, config, devices, () -> history, clock);
        deviceRoutes.routes(router);
        new StatsRoutes(auth, api, config, deskRef, deviceRoutes, clock, zone).routes(router);
        new PhoneRoutes(auth, api, config, deskRef, this::alarmLinks, clock, registry, findings).routes(router);
        new MapRoutes(auth, api, config, this::mapSettings).routes(router);
        new HazardRoutes(auth, api, config, () -> hazards, deskRef, findings).routes(router);
        new DossierRoutes(auth, api, config, () -> archive, () -> hazards, deskRef).routes(router);
        io.safegrid.console.session.Sight sight = new io.safegrid.console.session.Sight(config);
        new io.safegrid.console.inspection.InspectionRoutes(auth, api, sight, () -> inspections, () -> hazards).routes(router);
        new io.safegrid.console.redline.RedLineRoutes(auth, api, sight, () -> redLines, () -> inspections, () -> hazards,
                deskRef).routes(router);
        new io.safegrid.console.assessment.AssessmentRoutes(auth, api, config, () -> assessments, clock, zone).routes(router);
        new io.safegrid.console.assessment.ReportRoutes(auth, api, () -> reports, clock, zone).routes(router);
        liveFrames = new LiveFrames(clock);
        liveView = new LiveView(config, sessions, liveFrames, registry, 4, zone);
        live.mount("wall", liveView);
        if (bus != null) {
            liveFrames.start(bus);
            findings.start(bus);
            devices.start(bus);
            live.start(bus);
        }
        server = new HttpServer(router, registry, origins, requestDeadline, idleDeadline, connectionsPerAddress,
                maxConnections, p -> {
            liveView.extend(p);
            live.extend(p);
        });
        port = server.start(config.current().node().bindAddress(), config.current().node().httpPort());
        health.register("console.http", () -> true);
        LOG.info("console started: alarm desk {}, history {}", desk == null ? "absent" : "plugged in",
                history == null ? "absent" : "plugged in");
        return this;
    }

    public Router router() { return router; }

    /** Whether someone watches this camera's live view now (false before the console has started). */
    public boolean watching(String cameraId) {
        LiveView v = liveView;
        return v != null && v.watching(cameraId);
    }

    /** Wraps a route of another stage so it needs a logged-in user (after {@link #start}). */
    public Handler guard(Auth.Scoped route) {
        return r -> auth.guard(route).handle(r);
    }

    public ObjectMapper json() { return json; }

    public int port() { return port; }

    public Response json(Object body) throws IOException {
        return Response.json(200, json.writeValueAsString(body));
    }

    /** Everyone may ask whether the node is up; which checks, cameras and counters it has is for operators. */
    private Response health(Request r) throws IOException {
        String status = health.status();   // runs the checks once, so the code and the body agree
        boolean ready = "UP".equals(status);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        if (!operators.admits(r)) {
            return Response.json(ready ? 200 : 503, json.writeValueAsString(body));
        }
        body.put("node", config.current().node().nodeId());
        body.put("roles", config.current().node().roles().stream().sorted().toList());
        body.put("deployment", config.current().name());
        body.put("uptimeSeconds", health.uptime().toSeconds());
        body.put("checks", health.results());
        body.put("notes", health.notes());
        return Response.json(ready ? 200 : 503, json.writeValueAsString(body));
    }

    private Response metrics(Request r) {
        if (!operators.admits(r)) {
            throw new HttpError(401, "metricsToken", "metrics need the node's metrics token "
                    + "(Authorization: Bearer …, node.metrics-token) or a client on this host");
        }
        return Response.text(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }

    /** ECharts from its webjar (read once: 1 MB the browser caches), so the screen works without the internet. */
    private static final Supplier<byte[]> ECHARTS = new Supplier<>() {
        private volatile byte[] bytes;

        @Override
        public byte[] get() {
            byte[] b = bytes;
            if (b == null) {
                try (InputStream in = Console.class.getResourceAsStream(
                        "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js")) {
                    if (in == null) {
                        throw new HttpError(404, "echarts is not on the class path");
                    }
                    b = in.readAllBytes();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                bytes = b;
            }
            return b;
        }
    };

    private static Response resource(String name, String type) throws IOException {
        if (name == null || !name.matches("[a-zA-Z0-9_-][a-zA-Z0-9_.-]*")) {
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
        if (file.endsWith(".svg")) {
            return "image/svg+xml";
        }
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        return "application/octet-stream";
    }

    @Override
    public void close() {
        if (live != null) {
            live.close();
        }
        if (liveView != null) {
            liveView.close();
            liveFrames.close();
        }
        if (devices != null) {
            devices.close();
        }
        findings.close();
        if (server != null) {
            server.close();
        }
        sessionStore.close();
    }
}
