package io.safegrid.node.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.alerting.alarm.AlarmService;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.node.TestCounty;
import io.safegrid.node.ConfiguredNode;
import io.safegrid.node.wiring.Node;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule state lives in memory and starts empty after a restart; the node takes it up from the open
 * alarms, so methane back to normal after the restart clears the alarm raised before it, and so do a
 * dark camera's pictures.
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

    private static final String SNAP = "cam-test-snap";
    private static final String SNAP_SECRET = "test-snap-secret-77";
    /** A demo camera whose edge box never connects: dark before the restart and after it. */
    private static final String DARK = "cam-kc-pithead";

    private Alarm videoLoss(String camera) {
        return node.stages().alarmDesk().list(AlarmQuery.all().page(0, 500)).items().stream()
                .filter(a -> a.sourceId().equals(camera) && a.kind() == FindingKind.VIDEO_LOSS).findFirst().orElse(null);
    }

    private void upload(String camera, String secret) throws Exception {
        BufferedImage grey = new BufferedImage(320, 180, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(grey, "jpg", jpeg);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + node.stages().ingestHttpPort() + "/cameras/" + camera + "/snapshots"))
                .header("Authorization", "Bearer " + secret).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(jpeg.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    @Test
    void aVideoLossOpenBeforeARestartClearsOnTheFirstPictureAfterItAndStillDarkIsNotRaisedAgain() throws Exception {
        Path county = dir.resolve("county.yaml");
        Files.writeString(county, TestCounty.yaml(dir.resolve("data")).replace("\ncameras:\n", "\ncameras:\n  - id: " + SNAP
                + "\n    site: puxian/kecheng/dongyu/kecheng-coal\n    secret: " + SNAP_SECRET
                + "\n    source: {mode: snapshot, interval: 1s}\n    analysis: {fps: 1, width: 320, height: 180, analyzers: [intrusion]}\n"));
        start(county);
        // no picture since start: video loss after the 1 s interval plus 5 s
        await().atMost(Duration.ofSeconds(20)).until(() -> videoLoss(SNAP) != null && videoLoss(DARK) != null);
        String snap = videoLoss(SNAP).id();
        Alarm dark = videoLoss(DARK);
        int notified = ((AlarmService) node.stages().alarmDesk()).deliveries(dark.id()).size();
        assertThat(notified).as("the loss was notified").isPositive();
        stop();

        start(county);
        upload(SNAP, SNAP_SECRET);
        await().atMost(Duration.ofSeconds(30)).until(() -> node.stages().alarmDesk().get(snap).orElseThrow().state()
                == AlarmState.CLEARED);
        assertThat(node.stages().alarmDesk().timeline(snap)).filteredOn(e -> e.type() == AlarmEvent.Type.CLEARED)
                .singleElement().satisfies(e -> assertThat(e.note()).endsWith("video back"));
        // the dark camera is judged lost again after the restart: the open alarm takes it as a repeat
        await().atMost(Duration.ofSeconds(30)).until(() -> node.stages().alarmDesk().get(dark.id()).orElseThrow().count() > dark.count());
        assertThat(videoLoss(DARK).id()).isEqualTo(dark.id());
        assertThat(node.stages().alarmDesk().list(AlarmQuery.all().page(0, 500)).items())
                .filteredOn(a -> a.sourceId().equals(DARK) && a.kind() == FindingKind.VIDEO_LOSS).hasSize(1);
        assertThat(node.stages().alarmDesk().timeline(dark.id())).extracting(AlarmEvent::type)
                .containsOnlyOnce(AlarmEvent.Type.RAISED).doesNotContain(AlarmEvent.Type.CLEARED);
        assertThat(((AlarmService) node.stages().alarmDesk()).deliveries(dark.id())).as("nobody is told again").hasSize(notified);
    }

    @Test
    void anAlarmOpenBeforeARestartClearsOnTheFirstNormalReadingAfterIt() throws Exception {
        Path county = TestCounty.write(dir);
        start(county);
        methane(1.6);
        await().atMost(Duration.ofSeconds(30)).until(() -> redMethane() != null);
        String id = redMethane().id();
        stop();

        start(county);
        assertThat(node.stages().alarmDesk().get(id)).hasValueSatisfying(a -> assertThat(a.state()).isEqualTo(AlarmState.RAISED));
        methane(0.4); // the first reading after the restart, back to normal
        await().atMost(Duration.ofSeconds(30)).until(() -> node.stages().alarmDesk().get(id).orElseThrow().state()
                == AlarmState.CLEARED);
        assertThat(node.stages().alarmDesk().timeline(id)).extracting(AlarmEvent::type)
                .containsSubsequence(AlarmEvent.Type.RAISED, AlarmEvent.Type.CLEARED);
        assertThat(node.stages().alarmDesk().list(AlarmQuery.all().page(0, 500)).items())
                .filteredOn(a -> a.sourceId().equals(DEVICE) && a.level() == Level.RED).hasSize(1);
    }
}
