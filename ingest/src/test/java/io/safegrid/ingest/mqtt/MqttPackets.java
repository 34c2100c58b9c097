package io.safegrid.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.safegrid.ingest.EmbeddedIntake;
import java.nio.charset.StandardCharsets;

/** MQTT packets as a device sends them, and a logged-in connection to send them on. */
public final class MqttPackets {
    public static final int MAX_PAYLOAD = 4096;

    private MqttPackets() {
    }

    public static MqttConnectMessage connect(MqttVersion version, String user, String secret, int keepAlive) {
        return MqttMessageBuilders.connect().clientId("client-" + user).protocolVersion(version).username(user)
                .password(secret.getBytes(StandardCharsets.UTF_8)).keepAlive(keepAlive).cleanSession(true).build();
    }

    public static MqttPublishMessage publish(String topic, MqttQoS qos, int packetId, String payload) {
        return MqttMessageBuilders.publish().topicName(topic).qos(qos).messageId(packetId).retained(false)
                .payload(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8)).build();
    }

    /** A connection through the endpoint's three handlers (no codec: packets in and out as objects). */
    public static EmbeddedChannel channel(EmbeddedIntake fx) {
        return fx.channel(ch -> MqttIngest.addHandlers(ch.pipeline(), () -> fx.directory, fx.intake, fx.clock, MAX_PAYLOAD));
    }

    /** The same, with the device logged in and its CONNACK read. */
    public static EmbeddedChannel loggedIn(EmbeddedIntake fx, MqttVersion version, String user, String secret) {
        EmbeddedChannel ch = channel(fx);
        ch.writeInbound(connect(version, user, secret, 0));
        MqttConnAckMessage ack = ch.readOutbound();
        assertThat(ack.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        return ch;
    }

    /** The next packet written back, once the bus has taken what came before it. */
    public static <T extends MqttMessage> T reply(EmbeddedChannel ch) {
        ch.runPendingTasks();
        return ch.readOutbound();
    }

    public static byte reasonCode(MqttMessage pubAck) {
        return ((MqttPubReplyMessageVariableHeader) pubAck.variableHeader()).reasonCode();
    }
}
