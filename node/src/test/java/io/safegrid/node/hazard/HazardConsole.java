package io.safegrid.node.hazard;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.safegrid.alerting.notify.ChannelNotifier;
import io.safegrid.alerting.notify.RosterNotices;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.NodeSettings;
import io.safegrid.config.demo.DemoCounty;
import io.safegrid.console.Console;
import io.safegrid.console.health.Health;
import io.safegrid.hazard.register.HazardService;
import io.safegrid.hazard.register.HazardSettings;
import io.safegrid.hazard.store.HazardDatabase;
import io.safegrid.testing.ConsoleLogins;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The real console with the real hazard register (H2 file in a temp dir) over the demo county, a
 * clock the test moves, and the roster notices sent over the demo's SMS channel to a stand-in gateway.
 */
final class HazardConsole implements AutoCloseable {
    static final Map<String, String> PASSWORDS = Map.of("admin", "Demo-Admin-2026", "wang-fang", "Demo-County-2026",
            "zheng-ming", "Demo-Town-2026", "zhang-hui", "Demo-Mine-2026");
    static final Instant START = Instant.parse("2026-12-01T02:00:00Z");

    /** A clock the test moves. */
    static final class Moving extends Clock {
        volatile Instant now = START;

        void advance(Duration d) { now = now.plus(d); }

        @Override
        public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override
        public Clock withZone(ZoneId zone) { return this; }

        @Override
        public Instant instant() { return now; }
    }

    final Moving clock = new Moving();
    final SmsGateway sms = new SmsGateway();
    final ConfigSource config = ConfigSource.of(demo(sms.url()));
    final HazardService register;
    final Console console;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ConsoleLogins logins = new ConsoleLogins((path, json) -> post(null, path, json), PASSWORDS);

    HazardConsole(Path dir, int photoMaxBytes) throws Exception {
        this(dir, photoMaxBytes, null, null, null);
    }

    /** On the database {@code store} ({url, user, password}; null: the embedded H2 file in {@code dir}). */
    HazardConsole(Path dir, int photoMaxBytes, String[] store) throws Exception {
        this(dir, photoMaxBytes, null, null, store);
    }

    /** With a bus (findings for the console's feed) and an alarm desk, for alarms turned into hazards. */
    HazardConsole(Path dir, int photoMaxBytes, io.safegrid.model.bus.Bus bus, io.safegrid.model.alarm.AlarmDesk desk)
            throws Exception {
        this(dir, photoMaxBytes, bus, desk, null);
    }

    private HazardConsole(Path dir, int photoMaxBytes, io.safegrid.model.bus.Bus bus, io.safegrid.model.alarm.AlarmDesk desk,
                          String[] store) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        String[] db = store == null ? new String[] {HazardDatabase.embeddedUrl(dir), null, null} : store;
        HazardSettings s = new HazardSettings(db[0], db[1], db[2], photoMaxBytes,
                List.of("jpeg", "png", "webp"), 20, Duration.ofDays(3), Duration.ofDays(1), Duration.ofMinutes(1));
        register = new HazardService(config, s, clock, registry)
                .notices(new RosterNotices(config, clock, ZoneId.of("Asia/Shanghai"),
                        ChannelNotifier.defaults(Duration.ofSeconds(5), Clock.systemUTC()))).start(false);
        Health health = new Health();
        health.markStarted();
        console = new Console(config, registry, health).hazardRegister(register).enterpriseArchive(register.archive())
                .alarmDesk(desk).start(bus);
    }

    /** The demo county on ephemeral ports, its SMS channel on {@code smsUrl}. */
    static Deployment demo(String smsUrl) {
        Deployment d = DemoCounty.load(name -> null);
        NodeSettings n = d.node();
        NodeSettings node = new NodeSettings(n.nodeId(), n.roles(), "127.0.0.1", 0, -1, -1, -1, -1, n.dataDir(),
                n.maxPayloadBytes(), n.maxReadingsPerSecondPerDevice(), null);
        List<ChannelDef> channels = d.channels().stream().map(c -> !c.type().equals("sms") ? c
                : new ChannelDef(c.id(), c.type(), with(c.settings(), "url", smsUrl))).toList();
        return io.safegrid.testing.Deployments.from(d).node(node).channels(channels).build();
    }

    private static Map<String, String> with(Map<String, String> m, String k, String v) {
        Map<String, String> out = new java.util.HashMap<>(m);
        out.put(k, v);
        return out;
    }

    URI uri(String path) { return URI.create("http://127.0.0.1:" + console.port() + path); }

    String login(String user) throws Exception {
        return logins.cookie(user);
    }

    HttpResponse<String> get(String user, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Cookie", login(user)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String user, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Cookie", login(user)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> post(String user, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .header("Origin", "http://127.0.0.1:" + console.port()).POST(HttpRequest.BodyPublishers.ofString(json));
        if (user != null) {
            b.header("Cookie", login(user));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        console.close();
        register.close();
        sms.close();
    }
}
