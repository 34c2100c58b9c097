package io.safegrid.ingest.mqtt.connect;

import static io.safegrid.ingest.TestDeployments.CH4;
import static io.safegrid.ingest.TestDeployments.CH4_SECRET;
import static io.safegrid.ingest.mqtt.MqttPackets.channel;
import static io.safegrid.ingest.mqtt.MqttPackets.connect;
import static io.safegrid.ingest.mqtt.MqttPackets.loggedIn;
import static io.safegrid.ingest.mqtt.MqttPackets.publish;
import static io.safegrid.ingest.mqtt.MqttPackets.reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.safegrid.ingest.EmbeddedIntake;
import io.safegrid.ingest.mqtt.MqttIngest;
import io.safegrid.ingest.mqtt.MqttPackets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MqttConnectHandlerTest {
    private final EmbeddedIntake fx = new EmbeddedIntake();

    @AfterEach
    void close() {
        fx.close();
    }

    private static MqttMessage packet(MqttMessageType type) {
        return new MqttMessage(new MqttFixedHeader(type, false, MqttQoS.AT_MOST_ONCE, false, 0));
    }

    @Test
    void aDeviceWithItsSecretIsAcceptedAndWatchedAtOneAndAHalfTimesItsKeepAlive() {
        EmbeddedChannel ch = channel(fx);
        ch.writeInbound(connect(MqttVersion.MQTT_3_1_1, CH4, CH4_SECRET, 20));
        MqttConnAckMessage ack = ch.readOutbound();
        assertThat(ack.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        assertThat(ack.variableHeader().isSessionPresent()).isFalse();
        IdleStateHandler idle = (IdleStateHandler) ch.pipeline().get(MqttIngest.IDLE);
        assertThat(idle.getReaderIdleTimeInMillis()).isEqualTo(30_000);
        assertThat(fx.counted("safegrid.ingest.connections", "mqtt")).isEqualTo(1);
        assertThat(ch.isActive()).isTrue();
    }

    @Test
    void mqtt5IsToldWhatThisEndpointOffers() {
        EmbeddedChannel ch = channel(fx);
        ch.writeInbound(connect(MqttVersion.MQTT_5, CH4, CH4_SECRET, 0));
        MqttConnAckMessage ack = ch.readOutbound();
        MqttProperties p = ack.variableHeader().properties();
        assertThat(p.getProperty(MqttProperties.MAXIMUM_QOS).value()).isEqualTo(1);
        assertThat(p.getProperty(MqttProperties.RETAIN_AVAILABLE).value()).isEqualTo(0);
        assertThat(p.getProperty(MqttProperties.MAXIMUM_PACKET_SIZE).value()).isEqualTo(MqttPackets.MAX_PAYLOAD + 1024);
        assertThat(ch.pipeline().get(MqttIngest.IDLE)).as("keep-alive 0: no idle watch").isNull();
    }

    @Test
    void aWrongSecretOrAnUnknownDeviceIsRefusedAndTheConnectionClosed() {
        EmbeddedChannel wrong = channel(fx);
        wrong.writeInbound(connect(MqttVersion.MQTT_3_1_1, CH4, "wrong", 30));
        MqttConnAckMessage ack = wrong.readOutbound();
        assertThat(ack.variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
        assertThat(wrong.isOpen()).isFalse();

        EmbeddedChannel unknown = channel(fx);
        unknown.writeInbound(connect(MqttVersion.MQTT_5, "nobody", "x", 30));
        MqttConnAckMessage ack5 = unknown.readOutbound();
        assertThat(ack5.variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD);
        assertThat(unknown.isOpen()).isFalse();
        assertThat(fx.rejected("mqtt", "bad-credentials")).isEqualTo(1);
        assertThat(fx.rejected("mqtt", "unknown-device")).isEqualTo(1);
        assertThat(fx.counted("safegrid.ingest.connections", "mqtt")).isZero();
    }

    @Test
    void nothingPassesBeforeConnect() {
        EmbeddedChannel ch = channel(fx);
        ch.writeInbound(publish("safegrid/coalmine-7/" + CH4 + "/readings", MqttQoS.AT_LEAST_ONCE, 1, "{\"value\":1}"));
        assertThat(ch.isOpen()).isFalse();
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(fx.readings).isEmpty();
        assertThat(fx.rejected("mqtt", "not-connected")).isEqualTo(1);

        EmbeddedChannel ping = channel(fx);
        ping.writeInbound(packet(MqttMessageType.PINGREQ));
        assertThat(ping.isOpen()).isFalse();
        assertThat(fx.rejected("mqtt", "not-connected")).isEqualTo(2);
    }

    @Test
    void aSecondConnectEndsTheConnection() {
        EmbeddedChannel ch = loggedIn(fx, MqttVersion.MQTT_3_1_1, CH4, CH4_SECRET);
        ch.writeInbound(connect(MqttVersion.MQTT_3_1_1, CH4, CH4_SECRET, 30));
        assertThat(ch.isOpen()).isFalse();
        assertThat(fx.rejected("mqtt", "protocol-error")).isEqualTo(1);
    }

    @Test
    void pingIsAnsweredAndDisconnectClosesCleanly() {
        EmbeddedChannel ch = loggedIn(fx, MqttVersion.MQTT_3_1_1, CH4, CH4_SECRET);
        ch.writeInbound(packet(MqttMessageType.PINGREQ));
        MqttMessage pong = reply(ch);
        assertThat(pong.fixedHeader().messageType()).isEqualTo(MqttMessageType.PINGRESP);
        ch.writeInbound(packet(MqttMessageType.DISCONNECT));
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(fx.counted("safegrid.ingest.unclean.disconnects", "mqtt")).isZero();
    }

    @Test
    void aDeviceThatGoesAwayWithoutDisconnectIsCountedUnclean() {
        EmbeddedChannel ch = loggedIn(fx, MqttVersion.MQTT_3_1_1, CH4, CH4_SECRET);
        ch.close();
        assertThat(fx.counted("safegrid.ingest.unclean.disconnects", "mqtt")).isEqualTo(1);
    }

    @Test
    void aSilentDeviceIsDisconnectedWithMqtt5sReason() {
        EmbeddedChannel ch = loggedIn(fx, MqttVersion.MQTT_5, CH4, CH4_SECRET);
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        MqttMessage bye = reply(ch);
        assertThat(bye.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
        assertThat(ch.isOpen()).isFalse();
        assertThat(fx.rejected("mqtt", "keep-alive-timeout")).isEqualTo(1);
    }

    @Test
    void noConnectInTimeIsCountedAsSuch() throws Exception {
        EmbeddedChannel ch = channel(fx);
        ch.pipeline().addFirst(new IdleStateHandler(1, 0, 0, TimeUnit.MILLISECONDS));
        Thread.sleep(5);
        ch.runPendingTasks();
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(fx.rejected("mqtt", "connect-timeout")).isEqualTo(1);
    }
}
