package io.safegrid.ingest.mqtt.publish;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.util.ReferenceCountUtil;
import io.safegrid.ingest.directory.DeviceDirectory;
import io.safegrid.ingest.guard.ReadPause;
import io.safegrid.ingest.intake.ReadingIntake;
import io.safegrid.ingest.intake.Refusal;
import io.safegrid.ingest.json.PayloadException;
import io.safegrid.ingest.json.ReadingPayloads;
import io.safegrid.ingest.mqtt.MqttConnection;
import io.safegrid.ingest.mqtt.MqttIngest;
import io.safegrid.ingest.mqtt.ReadingTopic;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.reading.Reading;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * A logged-in device publishes QoS 0 or 1 to its own readings topic and gets its PUBACK only once
 * the readings are on the bus. A refused QoS 1 message is answered with MQTT 5's PUBACK reason code;
 * 3.1.1 has no negative PUBACK, so there it is acknowledged, counted and logged rather than sent
 * again forever. QoS 2 and oversized packets end the connection.
 */
public final class MqttPublishHandler extends ChannelInboundHandlerAdapter {
    private final MqttConnection connection;
    private final Supplier<DeviceDirectory> directory;
    private final Clock clock;
    private final int maxPayloadBytes;
    /** The last topic this connection was allowed to publish to, and for which sensor entry (config reloads replace it). */
    private String allowedTopic;
    private Sensor allowedSensor;

    public MqttPublishHandler(MqttConnection connection, Supplier<DeviceDirectory> directory, Clock clock, int maxPayloadBytes) {
        this.connection = connection;
        this.directory = directory;
        this.clock = clock;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttPublishMessage p) || p.decoderResult().isFailure()) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            publish(ctx, p);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void publish(ChannelHandlerContext ctx, MqttPublishMessage p) {
        MqttQoS qos = p.fixedHeader().qosLevel();
        int packetId = p.variableHeader().packetId();
        if (qos == MqttQoS.EXACTLY_ONCE) {
            connection.reject(ctx, "qos2", "QoS 2 is not offered; use QoS 0 or 1");
            connection.disconnect(ctx, MqttReasonCodes.Disconnect.QOS_NOT_SUPPORTED);
            return;
        }
        int size = p.payload().readableBytes();
        if (size > maxPayloadBytes) {
            connection.reject(ctx, "too-large", "payload of " + size + " bytes; at most " + maxPayloadBytes);
            connection.disconnect(ctx, MqttReasonCodes.Disconnect.PACKET_TOO_LARGE);
            return;
        }
        String deviceId = connection.deviceId();
        String topic = p.variableHeader().topicName();
        // a device publishes to its one topic over and over: parse and authorise it once per connection and sensor
        boolean known = allowedTopic != null && allowedTopic.equals(topic);
        ReadingTopic t = known ? null : ReadingTopic.parse(topic);
        if (!known && t == null) {
            refuse(ctx, qos, packetId, "bad-topic", "topic '" + topic + "' is not safegrid/{enterprise}/{device}/readings",
                    MqttReasonCodes.PubAck.TOPIC_NAME_INVALID);
            return;
        }
        Sensor sensor = directory.get().sensor(deviceId).orElse(null);
        if (sensor == null) {
            connection.reject(ctx, "unknown-device", "device " + deviceId + " was removed from config");
            connection.disconnect(ctx, MqttReasonCodes.Disconnect.NOT_AUTHORIZED);
            return;
        }
        if (!known || sensor != allowedSensor) {
            if (t == null) {
                t = ReadingTopic.parse(topic);
            }
            if (!t.device().equals(deviceId) || !sensor.site().segments().contains(t.enterprise())) {
                refuse(ctx, qos, packetId, "not-authorized", "device " + deviceId + " may not publish to '" + topic + "'",
                        MqttReasonCodes.PubAck.NOT_AUTHORIZED);
                return;
            }
            allowedTopic = topic;
            allowedSensor = sensor;
        }
        ReadingIntake intake = connection.intake();
        if (ReadPause.holds(ctx.channel(), ReadPause.RATE)) {
            // read before the hold began, in the same pass: over the rate like the one that started it, so not parsed
            refuse(ctx, qos, packetId, "rate-limited", "over the device's readings/s limit", MqttReasonCodes.PubAck.QUOTA_EXCEEDED);
            return;
        }
        List<Reading> readings;
        try {
            byte[] bytes = ByteBufUtil.getBytes(p.payload());
            readings = ReadingPayloads.readings(bytes, sensor, clock.instant());
            intake.check(readings);
        } catch (PayloadException e) {
            refuse(ctx, qos, packetId, e.reason(), e.getMessage(), MqttReasonCodes.PubAck.PAYLOAD_FORMAT_INVALID);
            return;
        }
        if (!intake.admit(deviceId, readings.size())) {
            refuse(ctx, qos, packetId, "rate-limited", readings.size() + " readings over the device's readings/s limit",
                    MqttReasonCodes.PubAck.QUOTA_EXCEEDED);
            intake.holdBack(ctx.channel(), MqttIngest.PROTOCOL);
            return;
        }
        intake.publish(ctx.channel(), MqttIngest.PROTOCOL, deviceId, readings, () -> {
            if (qos == MqttQoS.AT_LEAST_ONCE) {
                ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(packetId)
                        .reasonCode(MqttReasonCodes.PubAck.SUCCESS.byteValue()).build());
            }
        }, refusal -> notKept(ctx, qos, packetId, refusal));
    }

    /**
     * Readings judged but not kept (a full disk): MQTT 5 gets PUBACK 0x97 and sends the message again later;
     * 3.1.1 has no refusing PUBACK, so the connection is closed and the client resends it after reconnecting.
     * QoS 0 was promised nothing.
     */
    private void notKept(ChannelHandlerContext ctx, MqttQoS qos, int packetId, Refusal refusal) {
        if (qos != MqttQoS.AT_LEAST_ONCE) {
            return;
        }
        if (connection.v5()) {
            MqttProperties props = new MqttProperties();
            props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, refusal.detail()));
            ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(packetId)
                    .reasonCode(MqttReasonCodes.PubAck.QUOTA_EXCEEDED.byteValue()).properties(props).build());
        } else {
            ctx.close();
        }
    }

    private void refuse(ChannelHandlerContext ctx, MqttQoS qos, int packetId, String reason, String detail,
                        MqttReasonCodes.PubAck code) {
        connection.reject(ctx, reason, detail);
        if (qos != MqttQoS.AT_LEAST_ONCE) {
            return;
        }
        MqttProperties props = new MqttProperties();
        byte rc = MqttReasonCodes.PubAck.SUCCESS.byteValue();
        if (connection.v5()) {
            rc = code.byteValue();
            props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, detail));
        }
        connection.reply(ctx, MqttMessageBuilders.pubAck().packetId(packetId).reasonCode(rc).properties(props).build());
    }
}
