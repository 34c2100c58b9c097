package io.safegrid.node.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.node.TestCounty;
import io.safegrid.node.ConfiguredNode;
import io.safegrid.node.wiring.Node;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule state lives in memory and starts empty after a restart; the node takes it up from the open
 * alarms, so methane back to normal after the restart clears the alarm raised before it.
 */
class RestartClearsAlarmTest {
    private static final String DEVICE = "kc-ch4-t1";
    @TempDir
    Path dir;
    private ConfiguredNode running;
    private Node node;

    private void start(Path county) throws Exception {
        running = ConfiguredNode.start(county);
        node = running.node();
    }

    private void stop() {
        if (running != null) {
            running.close();
            running = null;
            node = null;
        }
    }

    @AfterEach
    void tearDown() {
        stop();
    }

    private void methane(double value) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + node.stages().mqttPort(), DEVICE, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(DEVICE);
        o.setPassword("demo-kc-ch4-t1-7Qx2".toCharArray());
        c.connect(o);
        c.publish("safegrid/kecheng-coal/" + DEVICE + "/readings",
                ("{\"value\":" + value + "}").getBytes(StandardCharsets.UTF_8), 1, false);
        c.disconnect();
        c.close();
    }

    private Alarm redMethane() {
        return node.stages().alarmDesk().list(AlarmQuery.all().page(0, 500)).items().stream()
                .filter(a -> a.sourceId().equals(DEVICE) && a.level() == Level.RED).findFirst().orElse(null);
    }

    @Test
    void anAlarmOpenBeforeARestartClearsOnTheFirstNormalReadingAfterIt() throws Exception {
        Path county = TestCounty.write(dir);
        start(county);
        methane(1.6);
        await().atMost(Duration.ofSeconds(10)).until(() -> redMethane() != null);
        String id = redMethane().id();
        stop();

        start(county);
        assertThat(node.stages().alarmDesk().get(id)).hasValueSatisfying(a -> assertThat(a.state()).isEqualTo(AlarmState.RAISED));
        methane(0.4); // the first reading after the restart, back to normal
        await().atMost(Duration.ofSeconds(10)).until(() -> node.stages().alarmDesk().get(id).orElseThrow().state()
                == AlarmState.CLEARED);
        assertThat(node.stages().alarmDesk().timeline(id)).extracting(AlarmEvent::type)
                .containsSubsequence(AlarmEvent.Type.RAISED, AlarmEvent.Type.CLEARED);
        assertThat(node.stages().alarmDesk().list(AlarmQuery.all().page(0, 500)).items())
                .filteredOn(a -> a.sourceId().equals(DEVICE) && a.level() == Level.RED).hasSize(1);
    }
}
