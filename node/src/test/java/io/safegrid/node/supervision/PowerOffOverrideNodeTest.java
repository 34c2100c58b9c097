package io.safegrid.node.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.config.reload.ConfigWatcher;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.redline.Severity;
import io.safegrid.model.redline.Violation;
import io.safegrid.model.redline.ViolationSource;
import io.safegrid.node.TestCounty;
import io.safegrid.node.wiring.Metrics;
import io.safegrid.node.wiring.Node;
import io.safegrid.testing.ConsoleHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coal mine's power-off controller reports its feed state (馈电) over MQTT next to the working
 * face's methane sensor. Power left on for over 2 s at 1.6 % (the working face cuts at 1.5 %) raises
 * a power-off override alarm, and the node records a serious violation of the mine for it without
 * anyone typing it; the third one puts the mine on the red-line candidate list. Power cut within the
 * 2 s the controller has is no override.
 */
class PowerOffOverrideNodeTest {
    static final GridPath COAL = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    ConfigWatcher watcher;
    Node node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void threeOverridesOverMqttMakeThreeSeriousViolationsAndARedLineCandidate() throws Exception {
        Path file = dir.resolve("county.yaml");
        // the demo county binds the working face's feed sensor to its methane sensor by the override rule
        Files.writeString(file, TestCounty.yaml(dir.resolve("data")));
        var registry = Metrics.create();
        watcher = new ConfigWatcher(file, registry, new io.safegrid.config.DeploymentLoader(System::getenv),
                Duration.ofMillis(50), Duration.ofMillis(500));
        node = new Node(watcher, null, registry).start();
        MqttClient ch4 = client("kc-ch4-t1", "demo-kc-ch4-t1-7Qx2");
        MqttClient feed = client("kc-feed-t1", "demo-kc-feed-t1-6Jn3");
        long t = System.currentTimeMillis() - 120_000;

        // cut within the 2 s the controller has: no override
        send(ch4, "kc-ch4-t1", 1.6, t);
        send(feed, "kc-feed-t1", 1, t + 200);
        send(feed, "kc-feed-t1", 0, t + 1_500);
        send(ch4, "kc-ch4-t1", 0.4, t + 5_000);
        for (int i = 1; i <= 3; i++) {
            long at = t + i * 20_000L;
            send(ch4, "kc-ch4-t1", 1.6, at);
            send(feed, "kc-feed-t1", 1, at + 200);
            send(feed, "kc-feed-t1", 1, at + 3_000);   // still on after 3 s: an override
            int raised = i;
            await().atMost(Duration.ofSeconds(30)).until(() -> overrides().size() == raised);
            send(feed, "kc-feed-t1", 0, at + 4_000);   // cut at last: the alarm clears
            send(ch4, "kc-ch4-t1", 0.4, at + 10_000);
        }
        List<Alarm> alarms = overrides();
        assertThat(alarms).hasSize(3).allSatisfy(a -> {
            assertThat(a.site()).isEqualTo(COAL);
            assertThat(a.sourceId()).isEqualTo("kc-feed-t1");
            assertThat(a.threshold()).isEqualTo(1.5);
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> violations().size() == 3);
        assertThat(violations()).allSatisfy(v -> {
            assertThat(v.site()).isEqualTo(COAL);
            assertThat(v.severity()).isEqualTo(Severity.SERIOUS);
            assertThat(v.recordedBy()).isEqualTo("system");
        }).extracting(Violation::sourceRef).containsExactlyInAnyOrderElementsOf(alarms.stream().map(Alarm::id).toList());

        ConsoleHttp http = new ConsoleHttp(node::httpPort, SupervisionConsole.PASSWORDS);
        var r = http.get("zheng-ming", "/api/v1/redline/candidates");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode coal = null;
        for (JsonNode c : JSON.readTree(r.body()).get("items")) {
            if (c.get("site").asText().equals(COAL.toString()) && c.get("ruleId").asText().equals("three-serious-a-year")) {
                coal = c;
            }
        }
        assertThat(coal).as(r.body()).isNotNull();
        assertThat(coal.get("violationIds")).hasSize(3);
        ch4.disconnect();
        feed.disconnect();
    }

    private List<Alarm> overrides() {
        return node.stages().alarmDesk().list(AlarmQuery.all()).items().stream()
                .filter(a -> a.kind() == FindingKind.POWER_OFF_OVERRIDE).toList();
    }

    private List<Violation> violations() {
        return node.stages().supervision().redLines().violations(COAL, null).stream()
                .filter(v -> v.source() == ViolationSource.ALARM).toList();
    }

    private MqttClient client(String id, String secret) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + node.stages().mqttPort(), id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(id);
        o.setPassword(secret.toCharArray());
        c.connect(o);
        return c;
    }

    /**
     * QoS 1: the node has taken the reading when the publish returns; the rules judge it on that device's
     * own thread, so the next reading (of the other device) waits until the node counts this one judged:
     * the feed is judged against the methane value the test sent before it.
     */
    private void send(MqttClient c, String id, double value, long ts) throws Exception {
        double before = judged();
        c.publish("safegrid/kecheng-coal/" + id + "/readings", ("{\"value\":" + value + ",\"ts\":" + ts + "}")
                .getBytes(StandardCharsets.UTF_8), 1, false);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> judged() > before);
    }

    private double judged() {
        io.micrometer.core.instrument.Counter c = node.registry().find("safegrid.rules.readings").tag("outcome", "judged").counter();
        return c == null ? 0 : c.count();
    }
}
