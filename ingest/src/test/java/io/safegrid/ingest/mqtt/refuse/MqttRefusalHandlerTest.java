package io.safegrid.ingest.mqtt.refuse;

import static io.safegrid.ingest.TestDeployments.CH4;
import static io.safegrid.ingest.TestDeployments.CH4_SECRET;
import static io.safegrid.ingest.mqtt.MqttPackets.loggedIn;
import static io.safegrid.ingest.mqtt.MqttPackets.reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.safegrid.ingest.EmbeddedIntake;
import io.safegrid.ingest.mqtt.MqttIngest;
import io.safegrid.ingest.mqtt.MqttPackets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MqttRefusalHandlerTest {
    private final EmbeddedIntake fx = new EmbeddedIntake();

    @AfterEach
    void close() {
        fx.close();
    }

    /** Raw bytes through the real MQTT decoder, as the listener's pipeline has it. */
    private EmbeddedChannel decoding() {
        return fx.channel(ch -> {
            ch.pipeline().addLast(new MqttDecoder(MqttPackets.MAX_PAYLOAD + 1024));
            MqttIngest.addHandlers(ch.pipeline(), () -> fx.directory, fx.intake, fx.clock, MqttPackets.MAX_PAYLOAD);
        });
    }

    @Test
    void subscriptionsAreRefusedAndTheConnectionStays() {
        EmbeddedChannel ch = loggedIn(fx, MqttVersion.MQTT_3_1_1, CH4, CH4_SECRET);
        ch.writeInbound(MqttMessageBuilders.subscribe().messageId(5).addSubscription(MqttQoS.AT_LEAST_ONCE, "safegrid/#")
                .addSubscription(MqttQoS.AT_MOST_ONCE, "alarms").build());
        MqttSubAckMessage ack = reply(ch);
        assertThat(ack.variableHeader().messageId()).isEqualTo(5);
        assertThat(ack.payload().grantedQoSLevels()).containsExactly(MqttQoS.FAILURE.value(), MqttQoS.FAILURE.value());
        assertThat(ch.isOpen()).isTrue();
        assertThat(fx.rejected("mqtt", "subscribe-refused")).isEqualTo(1);
    }

    @Test
    void unsubscribingFromNothingIsSaidSoOnMqtt5() {
        EmbeddedChannel ch = loggedIn(fx, MqttVersion.MQTT_5, CH4, CH4_SECRET);
        ch.writeInbound(MqttMessageBuilders.unsubscribe().messageId(6).addTopicFilter("alarms").build());
        MqttUnsubAckMessage ack = reply(ch);
        assertThat(ack.variableHeader().messageId()).isEqualTo(6);
        assertThat(ack.payload().unsubscribeReasonCodes()).containsExactly((short) 0x11);
    }

    @Test
    void anUnknownProtocolLevelIsRefusedWithItsConnackCode() {
        EmbeddedChannel ch = decoding();
        // CONNECT, protocol name "MQTT", level 9
        byte[] connect = {0x10, 0x0c, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x09, 0x02, 0x00, 0x3c, 0x00, 0x00};
        ch.writeInbound(Unpooled.wrappedBuffer(connect));
        MqttConnAckMessage ack = ch.readOutbound();
        assertThat(ack.variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
        assertThat(ch.isOpen()).isFalse();
        assertThat(fx.rejected("mqtt", "bad-protocol-version")).isEqualTo(1);
    }

    @Test
    void aMalformedPacketEndsTheConnection() {
        EmbeddedChannel ch = decoding();
        // packet type 0 is reserved: the decoder cannot tell where the next packet starts
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x00, 0x00}));
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(fx.rejected("mqtt", "malformed")).isEqualTo(1);
    }

    @Test
    void anUnexpectedPacketTypeIsAProtocolError() {
        EmbeddedChannel ch = loggedIn(fx, MqttVersion.MQTT_5, CH4, CH4_SECRET);
        ch.writeInbound(MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED).build());
        MqttMessage bye = reply(ch);
        assertThat(bye.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
        assertThat(ch.isOpen()).isFalse();
        assertThat(fx.rejected("mqtt", "protocol-error")).isEqualTo(1);
    }

    @Test
    void anErrorOnTheConnectionIsCountedAndClosesIt() {
        EmbeddedChannel ch = loggedIn(fx, MqttVersion.MQTT_3_1_1, CH4, CH4_SECRET);
        ch.pipeline().fireExceptionCaught(new java.io.IOException("Connection reset by peer"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(fx.rejected("mqtt", "connection-error")).isEqualTo(1);
    }
}
