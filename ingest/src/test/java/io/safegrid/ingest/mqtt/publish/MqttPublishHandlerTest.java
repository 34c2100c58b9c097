package io.safegrid.ingest.mqtt.publish;

import static io.safegrid.ingest.TestDeployments.CH4;
import static io.safegrid.ingest.TestDeployments.CH4_SECRET;
import static io.safegrid.ingest.TestDeployments.CO;
import static io.safegrid.ingest.mqtt.MqttPackets.loggedIn;
import static io.safegrid.ingest.mqtt.MqttPackets.publish;
import static io.safegrid.ingest.mqtt.MqttPackets.reasonCode;
import static io.safegrid.ingest.mqtt.MqttPackets.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.safegrid.ingest.EmbeddedIntake;
import io.safegrid.ingest.TestDeployments;
import io.safegrid.ingest.mqtt.MqttPackets;
import io.safegrid.ingest.mqtt.ReadingTopic;
import io.safegrid.model.reading.Reading;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MqttPublishHandlerTest {
    private static final String TOPIC = ReadingTopic.of("coalmine-7", CH4);
    private final EmbeddedIntake fx = new EmbeddedIntake();

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void aQos1ReadingIsAcknowledgedOnceOnTheBus() {
        EmbeddedChannel ch = loggedIn(fx, MqttVersion.MQTT_3_1_1, CH4, CH4_SECRET);
        MqttPublishMessage p = publish(TOPIC, MqttQoS.AT_LEAST_ONCE, 42, "{\"value\": 0.55, \"flag\": \"N\"}");
        ch.writeInbound(p);
        assertThat(p.refCnt()).as("the payload is released").isZero();
        MqttMessage ack = reply(ch);
        assertThat(ack.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
        assertThat(((MqttMessageIdVariableHeader) ack.variableHeader()).messageId()).isEqualTo(42);
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 1);
        Reading r = fx.readings.get(0);
        assertThat(r.deviceId()).isEqualTo(CH4);
        assertThat(r.site()).isEqualTo(TestDeployments.MINE);
        assertThat(r.value()).isEqualTo(0.55);
        assertThat(fx.counted("safegrid.ingest.readings", "mqtt")).isEqualTo(1);
    }

    @Test
    void qos0IsTakenWithoutAReply() {
        EmbeddedChannel ch = loggedIn(fx, MqttVersion.MQTT_3_1_1, CH4, CH4_SECRET);
        ch.writeInbound(publish(TOPIC, MqttQoS.AT_MOST_ONCE, 0, "[{\"value\": 1}, {\"value\": 2}]"));
        assertThat((Object) reply(ch)).isNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 2);
        assertThat(fx.readings).extracting(Reading::value).containsExactly(1.0, 2.0);
    }

    @Test
    void anotherDevicesTopicIsRefusedWithMqtt5sReasonAndAcknowledgedOn311() {
        EmbeddedChannel v5 = loggedIn(fx, MqttVersion.MQTT_5, CH4, CH4_SECRET);
        v5.writeInbound(publish(ReadingTopic.of("coalmine-7", CO), MqttQoS.AT_LEAST_ONCE, 1, "{\"value\": 1}"));
        assertThat(reasonCode(reply(v5))).isEqualTo(MqttReasonCodes.PubAck.NOT_AUTHORIZED.byteValue());
        v5.writeInbound(publish("sensors/" + CH4, MqttQoS.AT_LEAST_ONCE, 2, "{\"value\": 1}"));
        assertThat(reasonCode(reply(v5))).isEqualTo(MqttReasonCodes.PubAck.TOPIC_NAME_INVALID.byteValue());

        EmbeddedChannel v3 = loggedIn(fx, MqttVersion.MQTT_3_1_1, CH4, CH4_SECRET);
        v3.writeInbound(publish(ReadingTopic.of("chem-2", CH4), MqttQoS.AT_LEAST_ONCE, 3, "{\"value\": 1}"));
        // 3.1.1 has no negative PUBACK: acknowledged so the device does not send it again forever
        assertThat(reasonCode(reply(v3))).isEqualTo(MqttReasonCodes.PubAck.SUCCESS.byteValue());
        assertThat(v3.isOpen()).isTrue();
        assertThat(fx.rejected("mqtt", "not-authorized")).isEqualTo(2);
        assertThat(fx.rejected("mqtt", "bad-topic")).isEqualTo(1);
        assertThat(fx.readings).isEmpty();
    }

    @Test
    void aBadPayloadIsRefusedAndTheConnectionKeepsWorking() {
        EmbeddedChannel ch = loggedIn(fx, MqttVersion.MQTT_5, CH4, CH4_SECRET);
        ch.writeInbound(publish(TOPIC, MqttQoS.AT_LEAST_ONCE, 1, "{\"value\": 0.4"));
        assertThat(reasonCode(reply(ch))).isEqualTo(MqttReasonCodes.PubAck.PAYLOAD_FORMAT_INVALID.byteValue());
        ch.writeInbound(publish(TOPIC, MqttQoS.AT_LEAST_ONCE, 2, "{\"value\": 0.5}"));
        assertThat(reasonCode(reply(ch))).isEqualTo(MqttReasonCodes.PubAck.SUCCESS.byteValue());
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 1);
        assertThat(fx.rejected("mqtt", "bad-json")).isEqualTo(1);
    }

    @Test
    void qos2AndOversizedPayloadsEndTheConnection() {
        EmbeddedChannel qos2 = loggedIn(fx, MqttVersion.MQTT_5, CH4, CH4_SECRET);
        qos2.writeInbound(publish(TOPIC, MqttQoS.EXACTLY_ONCE, 1, "{\"value\": 1}"));
        MqttMessage bye = reply(qos2);
        assertThat(bye.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
        assertThat(qos2.isOpen()).isFalse();

        EmbeddedChannel big = loggedIn(fx, MqttVersion.MQTT_3_1_1, CH4, CH4_SECRET);
        big.writeInbound(publish(TOPIC, MqttQoS.AT_LEAST_ONCE, 1, "x".repeat(MqttPackets.MAX_PAYLOAD + 1)));
        big.runPendingTasks();
        assertThat(big.isOpen()).isFalse();
        assertThat(fx.rejected("mqtt", "qos2")).isEqualTo(1);
        assertThat(fx.rejected("mqtt", "too-large")).isEqualTo(1);
        assertThat(fx.readings).isEmpty();
    }
}
