package io.safegrid.console;

import io.safegrid.testing.ConsoleLogins;
import io.safegrid.testing.Deployments;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.NodeSettings;
import io.safegrid.config.demo.DemoCounty;
import io.safegrid.console.health.Health;
import io.safegrid.bus.inprocess.InProcessBus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A running console on an ephemeral loopback port over the demo county (蒲县), with the demo
 * logins, a {@link FakeDesk} and a clock the test moves. Logins are cached per user, because
 * each one costs a real PBKDF2 verification.
 */
public final class ConsoleFixture implements AutoCloseable {
    public static final Map<String, String> PASSWORDS = Map.of(
            "admin", "Demo-Admin-2026", "wang-fang", "Demo-County-2026",
            "zheng-ming", "Demo-Town-2026", "zhang-hui", "Demo-Mine-2026");
    public static final Instant START = Instant.parse("2026-11-28T16:00:00Z");

    /** A config that tests can change, as a reload would. */
    public static final class LiveConfig implements ConfigSource {
        private volatile Deployment current;
        private final List<Consumer<Deployment>> listeners = new CopyOnWriteArrayList<>();

        LiveConfig(Deployment d) { current = d; }

        @Override
        public Deployment current() { return current; }

        @Override
        public void onChange(Consumer<Deployment> listener) { listeners.add(listener); }

        public void reload(Deployment d) {
            current = d;
            listeners.forEach(l -> l.accept(d));
        }
    }

    public final TestClock clock = new TestClock(START);
    public final FakeDesk desk = new FakeDesk(clock);
    public final InProcessBus bus = new InProcessBus();
    /** The console's meters; a {@link #restart} starts with fresh ones, as a new process would. */
    public volatile PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    public final LiveConfig config = new LiveConfig(demo());
    public volatile Console console;
    private final java.util.function.UnaryOperator<Console> settings;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ConsoleLogins logins = new ConsoleLogins((path, json) -> post(null, path, json), PASSWORDS);

    public ConsoleFixture() throws Exception {
        this(c -> c);
    }

    /** With settings made to the console before it starts ({@code c -> c.connectionDeadlines(…)}). */
    public ConsoleFixture(java.util.function.UnaryOperator<Console> settings) throws Exception {
        this.settings = settings;
        desk.publishTo(bus);
        console = startConsole();
    }

    private Console startConsole() throws Exception {
        Health health = new Health();
        health.markStarted();
        return settings.apply(new Console(config, registry, health).alarmDesk(desk).clock(clock)).start(bus);
    }

    /**
     * Stops the console and starts a new one on the same port, over the same alarm desk and bus, as a node
     * restart would: sessions, pushes and streams are gone. {@code whileDown} runs between the two.
     */
    public void restart(Runnable whileDown) throws Exception {
        int port = console.port();
        console.close();
        whileDown.run();
        NodeSettings n = config.current().node();
        config.reload(Deployments.from(config.current()).node(new NodeSettings(n.nodeId(), n.roles(), n.bindAddress(), port,
                -1, -1, -1, -1, n.dataDir(), n.maxPayloadBytes(), n.maxReadingsPerSecondPerDevice(), null)).build());
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PASSWORDS.keySet().forEach(logins::forget);   // sessions live in memory: all gone
        console = startConsole();
    }

    public static Deployment demo() {
        Deployment d = DemoCounty.load(name -> null);
        NodeSettings n = d.node();
        NodeSettings node = new NodeSettings(n.nodeId(), n.roles(), "127.0.0.1", 0, -1, -1, -1, -1, n.dataDir(),
                n.maxPayloadBytes(), n.maxReadingsPerSecondPerDevice(), null);
        return Deployments.from(d).node(node).build();
    }

    public URI uri(String path) { return URI.create("http://127.0.0.1:" + console.port() + path); }

    /** Logs in (once per user) and returns the session cookie. */
    public String login(String user) throws Exception {
        return logins.cookie(user);
    }

    public void forget(String user) { logins.forget(user); }

    public HttpResponse<String> get(String user, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (user != null) {
            b.header("Cookie", login(user));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> getBytes(String user, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (user != null) {
            b.header("Cookie", login(user));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The console's own origin, as its pages send it. */
    public String origin() { return "http://127.0.0.1:" + console.port(); }

    public HttpResponse<String> post(String user, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .header("Origin", origin()).POST(HttpRequest.BodyPublishers.ofString(json));
        if (user != null) {
            b.header("Cookie", login(user));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postWithCookie(String cookie, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json").header("Cookie", cookie)
                .header("Origin", origin()).POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends any request as the user, with exactly the headers given (name, value, name, value …). */
    public HttpResponse<String> send(String user, String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            b.header("Cookie", login(user));
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> getWithCookie(String cookie, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Cookie", cookie).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        console.close();
        bus.close();
    }
}
