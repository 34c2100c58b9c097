package io.safegrid.node.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.safegrid.config.reload.ConfigWatcher;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.node.TestCounty;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole node on the demo county, driven as a field device and an operator would. */
class NodeTest {
    @TempDir
    Path dir;

    private Path county;
    private PrometheusMeterRegistry registry;
    private ConfigWatcher watcher;
    private Node node;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        county = TestCounty.write(dir);
        registry = Metrics.create();
        watcher = new ConfigWatcher(county, registry, new io.safegrid.config.DeploymentLoader(System::getenv),
                Duration.ofMillis(50), Duration.ofMillis(500));
        node = new Node(watcher, null, registry).start();
        watcher.start();
    }

    @AfterEach
    void stop() {
        node.close();
        watcher.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void publishMethane(String device, String secret, double value) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + node.stages().mqttPort(), device, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(device);
        o.setPassword(secret.toCharArray());
        c.connect(o);
        c.publish("safegrid/kecheng-coal/" + device + "/readings",
                ("{\"value\":" + value + "}").getBytes(StandardCharsets.UTF_8), 1, false);
        c.disconnect();
        c.close();
    }

    private List<Alarm> openAlarmsOf(String device) {
        return node.stages().alarmDesk().list(AlarmQuery.all().page(0, 500)).items().stream()
                .filter(a -> a.sourceId().equals(device) && a.state() != AlarmState.CLOSED).toList();
    }

    @Test
    void answersHealthAndMetrics() throws Exception {
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"", "\"node\":\"puxian-1\"");
        // the demo's cameras look for people: /health says with which detector (HOG only as a fallback, with why)
        assertThat(health.body()).containsPattern("\"analytics.video.detector\":\"(nanodet-int8|hog \\(fallback: [^\"]+\\))\"");
        String metrics = get("/metrics").body();
        assertThat(metrics).contains("jvm_memory_used_bytes", "safegrid_bus_published_total{topic=\"readings\"",
                "safegrid_bus_dropped_total{topic=\"frames\"", "safegrid_bus_queued{topic=\"findings\"");
    }

    @Test
    void aMethaneReadingOverTheLimitRaisesAnOrangeAlarmAtTheCoalMine() throws Exception {
        publishMethane("kc-ch4-t1", "demo-kc-ch4-t1-7Qx2", 1.2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(openAlarmsOf("kc-ch4-t1"))
                .anySatisfy(a -> {
                    assertThat(a.level()).isEqualTo(Level.ORANGE);
                    assertThat(a.site().toString()).isEqualTo("puxian/kecheng/dongyu/kecheng-coal");
                    assertThat(a.value()).isEqualTo(1.2);
                }));
        // the ledger commits the alarm, then its own thread publishes the event: the count follows the desk
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get("/metrics").body())
                .containsPattern("safegrid_bus_published_total\\{topic=\"alarms\"\\} [1-9]"));
    }

    @Test
    void aBadConfigEditIsRefusedAndTheNodeKeepsItsLastGoodConfig() throws Exception {
        var before = watcher.current();
        String good = Files.readString(county);
        Files.writeString(county, good.replace("metric: methane,", "metric: ch5,")
                .replace("kind: township", "kind: townshp"));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                registry.find("safegrid.config.reloads").tag("result", "invalid").counter() != null
                        && registry.find("safegrid.config.reloads").tag("result", "invalid").counter().count() >= 1);
        assertThat(watcher.current()).isSameAs(before);
        assertThat(get("/health").statusCode()).isEqualTo(200);
        // still judging readings with the last good rules
        publishMethane("kc-ch4-t1", "demo-kc-ch4-t1-7Qx2", 1.6);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(openAlarmsOf("kc-ch4-t1")).anySatisfy(a -> assertThat(a.level()).isEqualTo(Level.RED)));
    }

    @Test
    void aValidConfigEditAppliesWithoutRestart() throws Exception {
        String good = Files.readString(county);
        // a new methane sensor at the coal mine, with its own credentials
        String added = good.replace("sensors:\n", "sensors:\n"
                + "  - {id: kc-ch4-new, site: puxian/kecheng/dongyu/kecheng-coal, metric: methane,\n"
                + "     class: coal-working-face, protocol: mqtt, secret: new-secret-1}\n");
        Files.writeString(county, added);
        await().atMost(Duration.ofSeconds(30)).until(() -> watcher.current().sensor("kc-ch4-new").isPresent());
        publishMethane("kc-ch4-new", "new-secret-1", 1.55);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(openAlarmsOf("kc-ch4-new")).anySatisfy(a -> assertThat(a.level()).isEqualTo(Level.RED)));
    }
}
