package io.safegrid.ingest.mqtt;

import static io.safegrid.ingest.TestDeployments.CH4;
import static io.safegrid.ingest.TestDeployments.CH4_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.safegrid.ingest.IngestFixture;
import io.safegrid.ingest.TestDeployments;
import io.safegrid.model.device.Protocol;
import io.safegrid.model.reading.DataFlag;
import io.safegrid.model.reading.Reading;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** MQTT 3.1.1 against a running ingest with the Eclipse Paho client. */
class MqttIngestTest {
    static final String TOPIC = ReadingTopic.of("coalmine-7", CH4);

    private final IngestFixture fx = new IngestFixture();
    private MqttClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null && client.isConnected()) {
            client.disconnect();
        }
        if (client != null) {
            client.close(true);
        }
        fx.close();
    }

    private MqttClient connect(String user, String secret) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + fx.ingest.mqttPort(), "test-" + user + "-" + System.nanoTime(),
                new MemoryPersistence());
        c.setTimeToWait(30_000);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setUserName(user);
        o.setPassword(secret.toCharArray());
        o.setConnectionTimeout(30);
        o.setAutomaticReconnect(false);
        c.connect(o);
        return c;
    }

    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void qos0AndQos1ReadingsReachTheBus() throws Exception {
        client = connect(CH4, CH4_SECRET);
        client.publish(TOPIC, utf8("{\"value\": 0.42}"), 0, false);
        client.publish(TOPIC, utf8("{\"value\": 0.55, \"ts\": 1710469800000, \"flag\": \"N\"}"), 1, false);
        // a QoS 1 publish returns only after PUBACK, and PUBACK comes only after the bus took the reading
        assertThat(fx.published()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 2);
        Reading r = fx.readings.get(1);
        assertThat(r.deviceId()).isEqualTo(CH4);
        assertThat(r.metric()).isEqualTo("methane");
        assertThat(r.site()).isEqualTo(TestDeployments.MINE);
        assertThat(r.value()).isEqualTo(0.55);
        assertThat(r.time()).isEqualTo(Instant.ofEpochMilli(1710469800000L));
        assertThat(fx.readings.get(0).value()).isEqualTo(0.42);
        assertThat(fx.accepted("mqtt")).isEqualTo(2);
    }

    @Test
    void batchesAsArrayOrObjectKeepTheirOrder() throws Exception {
        client = connect(CH4, CH4_SECRET);
        client.publish(TOPIC, utf8("[{\"value\": 1}, {\"value\": 2, \"ts\": \"2024-03-15T10:30:00+08:00\", \"flag\": \"C\"}]"), 1, false);
        client.publish(TOPIC, utf8("{\"readings\": [{\"value\": 3}, {\"value\": 4}]}"), 1, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 4);
        assertThat(fx.readings).extracting(Reading::value).containsExactly(1.0, 2.0, 3.0, 4.0);
        assertThat(fx.readings.get(1).time()).isEqualTo(Instant.parse("2024-03-15T02:30:00Z"));
        assertThat(fx.readings.get(1).flag()).isEqualTo(DataFlag.C);
    }

    @Test
    void wrongPasswordAndUnknownDeviceAreRefusedAtConnect() {
        assertThatThrownBy(() -> connect(CH4, "wrong")).isInstanceOfSatisfying(MqttSecurityException.class,
                e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));
        assertThatThrownBy(() -> connect("nobody", "x")).isInstanceOfSatisfying(MqttSecurityException.class,
                e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));
        assertThat(fx.rejected("mqtt", "bad-credentials")).isEqualTo(1);
        assertThat(fx.rejected("mqtt", "unknown-device")).isEqualTo(1);
    }

    @Test
    void malformedJsonIsCountedAndTheConnectionKeepsWorking() throws Exception {
        client = connect(CH4, CH4_SECRET);
        client.publish(TOPIC, utf8("{\"value\": 0.4"), 1, false);
        client.publish(TOPIC, utf8("{\"value\": \"high\"}"), 1, false);
        client.publish(TOPIC, utf8("{\"value\": 0.5}"), 1, false);
        assertThat(client.isConnected()).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 1);
        assertThat(fx.readings.get(0).value()).isEqualTo(0.5);
        assertThat(fx.rejected("mqtt", "bad-json")).isEqualTo(1);
        assertThat(fx.rejected("mqtt", "bad-payload")).isEqualTo(1);
    }

    @Test
    void aDeviceMayPublishOnlyToItsOwnTopic() throws Exception {
        client = connect(CH4, CH4_SECRET);
        client.publish(ReadingTopic.of("coalmine-7", TestDeployments.CO), utf8("{\"value\": 1}"), 1, false);
        client.publish(ReadingTopic.of("chem-2", CH4), utf8("{\"value\": 1}"), 1, false);
        client.publish("sensors/" + CH4, utf8("{\"value\": 1}"), 1, false);
        client.publish(TOPIC, utf8("{\"value\": 2}"), 1, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 1);
        assertThat(fx.readings.get(0).value()).isEqualTo(2.0);
        assertThat(fx.rejected("mqtt", "not-authorized")).isEqualTo(2);
        assertThat(fx.rejected("mqtt", "bad-topic")).isEqualTo(1);
    }

    @Test
    void oversizedPayloadClosesThatConnectionOnly() throws Exception {
        client = connect(CH4, CH4_SECRET);
        byte[] big = utf8("{\"value\": 1, \"pad\": \"" + "x".repeat(20_000) + "\"}");
        assertThatThrownBy(() -> client.publish(TOPIC, big, 1, false)).isInstanceOf(MqttException.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> !client.isConnected());
        assertThat(fx.rejected("mqtt", "too-large")).isEqualTo(1);
        client.close(true);
        client = connect(CH4, CH4_SECRET);
        client.publish(TOPIC, utf8("{\"value\": 3}"), 1, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 1);
    }

    @Test
    void subscriptionsAreRefusedPolitely() throws Exception {
        client = connect(CH4, CH4_SECRET);
        int granted;
        try {
            granted = client.subscribeWithResponse("safegrid/#", 1).getGrantedQos()[0];
        } catch (MqttException e) {
            granted = e.getReasonCode();
        }
        assertThat(granted).isEqualTo(0x80);
        assertThat(client.isConnected()).isTrue();
        client.publish(TOPIC, utf8("{\"value\": 1}"), 1, false);
    }

    @Test
    void pingsKeepAnIdleDeviceConnectedAndSilenceDropsIt() throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + fx.ingest.mqttPort(), "ka", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(CH4);
        o.setPassword(CH4_SECRET.toCharArray());
        o.setKeepAliveInterval(2);
        c.connect(o);
        client = c;
        // Paho pings every 2 s; the server's limit is 3 s, which leaves a loaded machine's timer a second
        Thread.sleep(5000);
        assertThat(c.isConnected()).isTrue();
        c.publish(TOPIC, utf8("{\"value\": 1}"), 1, false);

        // a raw client that connects with keep-alive 1 s and then says nothing is dropped after ~1.5 s
        try (Socket s = new Socket("127.0.0.1", fx.ingest.mqttPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(connectPacket(CH4, CH4_SECRET, 1));
            InputStream in = s.getInputStream();
            assertThat(in.read()).isEqualTo(0x20);           // CONNACK
            assertThat(in.readNBytes(3)).containsExactly(2, 0, 0);
            long t0 = System.nanoTime();
            assertThat(in.read()).isEqualTo(-1);             // closed by the server
            // about 1.5 s; the upper bound leaves a loaded machine room and still tells it from the 60 s of a device that pings
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(8000));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.rejected("mqtt", "keep-alive-timeout") == 1);
    }

    @Test
    void configReloadLetsANewDeviceIn() throws Exception {
        var extra = TestDeployments.sensor("h2s-01", TestDeployments.MINE, "h2s", "ppm", "coal-working-face", Protocol.MQTT);
        assertThatThrownBy(() -> connect("h2s-01", "secret-h2s-01")).isInstanceOf(MqttSecurityException.class);
        fx.config.reload(TestDeployments.deployment(TestDeployments.node(4096, 10_000), List.of(extra)));
        client = connect("h2s-01", "secret-h2s-01");
        client.publish(ReadingTopic.of("coalmine-7", "h2s-01"), utf8("{\"value\": 7}"), 1, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 1);
        assertThat(fx.readings.get(0).metric()).isEqualTo("h2s");
    }

    @Test
    void aBatchOverTheDeviceRateIsRefusedWhole() throws Exception {
        try (IngestFixture limited = new IngestFixture(TestDeployments.deployment(TestDeployments.node(4096, 2), List.of()),
                new io.safegrid.bus.inprocess.InProcessBus(), java.time.Clock.systemUTC())) {
            MqttClient c = new MqttClient("tcp://127.0.0.1:" + limited.ingest.mqttPort(), "rl", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setUserName(CH4);
            o.setPassword(CH4_SECRET.toCharArray());
            c.connect(o);
            c.publish(TOPIC, utf8("[{\"value\": 1}, {\"value\": 2}, {\"value\": 3}]"), 1, false);
            c.publish(TOPIC, utf8("[{\"value\": 4}, {\"value\": 5}]"), 1, false);
            await().atMost(Duration.ofSeconds(30)).until(() -> limited.readings.size() == 2);
            assertThat(limited.readings).extracting(Reading::value).containsExactly(4.0, 5.0);
            assertThat(limited.rejected("mqtt", "rate-limited")).isEqualTo(1);
            c.disconnect();
            c.close();
        }
    }

    @Test
    void aDeviceSendingFlatOutOverItsRateIsHeldBackAndEveryMessageIsStillAnswered() throws Exception {
        try (IngestFixture limited = new IngestFixture(TestDeployments.deployment(TestDeployments.node(4096, 2), List.of()),
                new io.safegrid.bus.inprocess.InProcessBus(), java.time.Clock.systemUTC());
             Socket s = new Socket("127.0.0.1", limited.ingest.mqttPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(connectPacket(CH4, CH4_SECRET, 60));
            assertThat(s.getInputStream().readNBytes(4)).containsExactly(0x20, 2, 0, 0);
            ByteArrayOutputStream topic = new ByteArrayOutputStream();
            writeString(topic, TOPIC);
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            int messages = 6_000;
            for (int i = 0; i < messages; i++) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                body.writeBytes(topic.toByteArray());
                body.writeBytes(utf8("{\"value\": " + i + "}"));
                flood.writeBytes(io.safegrid.testing.MqttFrames.packet(0x30, body.toByteArray()));
            }
            s.getOutputStream().write(flood.toByteArray());
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    limited.readings.size() + limited.rejected("mqtt", "rate-limited") == messages);
            assertThat(limited.readings.size()).as("the device's 2 readings/s, and its first burst").isLessThan(50);
            var holds = limited.registry.find("safegrid.ingest.backpressure.rate").tag("protocol", "mqtt").counter();
            assertThat(holds).isNotNull();
            assertThat(holds.count()).as("its connection was not read for a while, more than once").isGreaterThanOrEqualTo(2);
        }
    }

    /** An MQTT 3.1.1 CONNECT, byte by byte as the spec lays it out. */
    static byte[] connectPacket(String user, String password, int keepAlive) {
        ByteArrayOutputStream vh = new ByteArrayOutputStream();
        writeString(vh, "MQTT");
        vh.write(4);                       // protocol level 3.1.1
        vh.write(0xC2);                    // user name, password, clean session
        vh.write(keepAlive >> 8);
        vh.write(keepAlive & 0xFF);
        writeString(vh, "raw-" + System.nanoTime());
        writeString(vh, user);
        writeString(vh, password);
        byte[] body = vh.toByteArray();
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x10);
        p.write(body.length);              // < 128
        p.writeBytes(body);
        return p.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >> 8);
        out.write(b.length & 0xFF);
        out.writeBytes(b);
    }
}
