package io.safegrid.node.gb28181;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.safegrid.config.Gb28181Config;
import io.safegrid.config.reload.ConfigWatcher;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.node.TestCounty;
import io.safegrid.node.simulate.DemoField;
import io.safegrid.node.wiring.Metrics;
import io.safegrid.node.wiring.Node;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo county's NVR, simulated as `safegrid demo` does, registers to a whole node over SIP; an
 * operator lists it with its channels; its alarm becomes an alarm on the desk.
 */
class Gb28181NodeTest {
    @TempDir
    Path dir;

    private ConfigWatcher watcher;
    private Node node;
    private DemoField field;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        Path county = TestCounty.write(dir);
        PrometheusMeterRegistry registry = Metrics.create();
        watcher = new ConfigWatcher(county, registry, new io.safegrid.config.DeploymentLoader(System::getenv),
                Duration.ofMillis(50), Duration.ofMillis(500));
        node = new Node(watcher, null, registry).start();
        watcher.start();
        field = new DemoField().startGb28181(node.config().current(), "127.0.0.1", node.stages().gb28181Port());
    }

    @AfterEach
    void stop() {
        if (field != null) {
            field.close();
        }
        node.close();
        watcher.close();
    }

    private String login(String user, String password) throws Exception {
        URI login = uri("/api/v1/login");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(login)
                .header("Content-Type", "application/json")
                .header("Origin", login.getScheme() + "://" + login.getAuthority())   // the console refuses other origins
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
    }

    private JsonNode devices(String cookie) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/gb28181/devices")).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + node.httpPort() + path);
    }

    @Test
    void theDemoNvrRegistersShowsItsChannelsToTheTownshipAndItsAlarmsReachTheDesk() throws Exception {
        assertThat(node.stages().gb28181Port()).isPositive();
        String township = login("zheng-ming", "Demo-Town-2026");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode d = devices(township).path("devices").path(0);
            return d.path("online").asBoolean() && d.path("channels").size() == 2;
        });
        JsonNode nvr = devices(township).path("devices").path(0);
        assertThat(nvr.path("name").asText()).isEqualTo("王家庄煤业NVR");
        assertThat(nvr.path("grid").asText()).isEqualTo("puxian/kecheng/wangjiazhuang/wjz-coal");
        assertThat(nvr.path("transport").asText()).isEqualTo("UDP");
        assertThat(List.of(nvr.path("channels").path(0).path("name").asText(), nvr.path("channels").path(1).path("name").asText()))
                .containsExactly("王家庄煤业主井口", "王家庄煤业变电所");
        assertThat(devices(township).path("unboundChannels").size()).isZero();

        String otherMine = login("zhang-hui", "Demo-Mine-2026");
        assertThat(devices(otherMine).path("devices").size()).as("another enterprise's operator").isZero();

        Gb28181Config gb = node.config().current().gb28181();
        Gb28181Config.Device d = gb.devices().get(0);
        try (var device = new io.safegrid.ingest.gb28181.sim.SimulatedDevice(d.id(), d.password(), gb.serverId(),
                "127.0.0.1", node.stages().gb28181Port(), "TCP", List.of(), java.nio.charset.Charset.forName("GB2312"))) {
            assertThat(device.register(Duration.ofHours(1))).isEqualTo(200);
            device.alarm("14103300001310000001", 2, "主井口区域入侵");
            await().atMost(Duration.ofSeconds(30)).until(() -> alarmOf("14103300001310000001") != null);
        }
        Alarm a = alarmOf("14103300001310000001");
        assertThat(a.kind()).isEqualTo(FindingKind.DEVICE_ALARM);
        assertThat(a.level()).isEqualTo(Level.ORANGE);
        assertThat(a.site().toString()).isEqualTo("puxian/kecheng/wangjiazhuang/wjz-coal");
    }

    private Alarm alarmOf(String source) {
        return node.stages().alarmDesk().list(AlarmQuery.all().page(0, 500)).items().stream()
                .filter(x -> x.sourceId().equals(source)).findFirst().orElse(null);
    }

    private HttpResponse<String> ptz(String cookie, String channel, String body) throws Exception {
        URI u = uri("/api/gb28181/channels/" + channel + "/ptz");
        return http.send(HttpRequest.newBuilder(u).header("Cookie", cookie).header("Content-Type", "application/json")
                .header("Origin", u.getScheme() + "://" + u.getAuthority())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void ptzFromTheConsoleReachesTheDeviceOnlyForUsersWhoseScopeCoversTheCamera() throws Exception {
        Gb28181Config gb = node.config().current().gb28181();
        Gb28181Config.Device d = gb.devices().get(0);
        String channel = "14103300001310000001";
        String township = login("zheng-ming", "Demo-Town-2026");
        // the demo's own NVR first, so that it does not register after the stand-in below
        await().atMost(Duration.ofSeconds(30)).until(() -> devices(township).path("devices").path(0).path("channels").size() == 2);
        // stands in for the demo's NVR (same id and password), to record what it is sent
        try (var device = new io.safegrid.ingest.gb28181.sim.SimulatedDevice(d.id(), d.password(), gb.serverId(),
                "127.0.0.1", node.stages().gb28181Port(), "UDP",
                List.of(new io.safegrid.ingest.gb28181.sim.SimulatedDevice.Channel(channel, "王家庄煤业主井口")),
                java.nio.charset.Charset.forName("GB2312"))) {
            assertThat(device.register(Duration.ofHours(1))).isEqualTo(200);
            String otherMine = login("zhang-hui", "Demo-Mine-2026");
            HttpResponse<String> refused = ptz(otherMine, channel, "{\"move\":\"left\",\"speed\":128}");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);

            assertThat(ptz(township, channel, "{\"move\":\"spin\"}").statusCode()).isEqualTo(400);
            assertThat(ptz(township, "14103300001310000999", "{\"move\":\"left\"}").statusCode()).isEqualTo(404);
            HttpResponse<String> ok = ptz(township, channel, "{\"move\":\"up-left\",\"speed\":64}");
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> !device.ptzCommands().isEmpty());
            assertThat(device.ptzCommands()).hasSize(1);
            var cmd = io.safegrid.ingest.gb28181.control.PtzCmd.decode(device.ptzCommands().get(0).cmd());
            assertThat(cmd.move()).isEqualTo(io.safegrid.ingest.gb28181.control.PtzCmd.Move.UP_LEFT);
            assertThat(cmd.panSpeed()).isEqualTo(64);
            assertThat(device.ptzCommands().get(0).channelId()).isEqualTo(channel);
        }
    }
}
