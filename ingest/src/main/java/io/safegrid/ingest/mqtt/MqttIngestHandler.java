package io.safegrid.ingest.mqtt;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.safegrid.ingest.directory.DeviceDirectory;
import io.safegrid.ingest.guard.LimitedLog;
import io.safegrid.ingest.guard.Logins;
import io.safegrid.ingest.intake.ReadingIntake;
import io.safegrid.ingest.intake.Refusal;
import io.safegrid.ingest.json.PayloadException;
import io.safegrid.ingest.json.ReadingPayloads;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.reading.Reading;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker side of one MQTT 3.1.1 / 5 connection, for devices that only publish readings.
 * A device logs in with its id and secret, publishes QoS 0 or 1 to its own readings topic, and
 * gets its PUBACK only once the readings are on the bus. Refusals use the version's own codes
 * (MQTT 5 PUBACK reason codes; 3.1.1 has no negative PUBACK, so a refused QoS 1 message is
 * acknowledged, counted and logged rather than sent again forever). Subscriptions are refused.
 */
public final class MqttIngestHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(MqttIngestHandler.class);
    /** Connects and disconnects: a reconnecting fleet (or a flood) must not fill the log. */
    private static final LimitedLog CONNECTS = new LimitedLog(LOG, 60);
    public static final String PROTOCOL = "mqtt";
    /** Name of the keep-alive handler (1.5 × keep-alive) added at CONNECT; the CONNECT deadline is the listener guard's. */
    public static final String IDLE = "idle";

    private final Supplier<DeviceDirectory> directory;
    private final ReadingIntake intake;
    private final Clock clock;
    private final int maxPayloadBytes;

    private String deviceId;
    private MqttVersion version = MqttVersion.MQTT_3_1_1;
    private boolean cleanDisconnect;
    /** The last topic this connection was allowed to publish to, and for which sensor entry (config reloads replace it). */
    private String allowedTopic;
    private Sensor allowedSensor;

    public MqttIngestHandler(Supplier<DeviceDirectory> directory, ReadingIntake intake, Clock clock, int maxPayloadBytes) {
        this.directory = directory;
        this.intake = intake;
        this.clock = clock;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof MqttMessage m) {
                read(ctx, m);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void read(ChannelHandlerContext ctx, MqttMessage m) {
        if (m.decoderResult().isFailure()) {
            decodeFailure(ctx, m.decoderResult().cause());
            return;
        }
        MqttMessageType type = m.fixedHeader().messageType();
        if (type == MqttMessageType.CONNECT) {
            connect(ctx, (MqttConnectMessage) m);
            return;
        }
        if (deviceId == null) {
            reject(ctx, "not-connected", type + " before CONNECT");
            ctx.close();
            return;
        }
        switch (type) {
            case PUBLISH -> publish(ctx, (MqttPublishMessage) m);
            case PINGREQ -> reply(ctx, new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)));
            case SUBSCRIBE -> subscribe(ctx, (MqttSubscribeMessage) m);
            case UNSUBSCRIBE -> unsubscribe(ctx, (MqttUnsubscribeMessage) m);
            case DISCONNECT -> {
                cleanDisconnect = true;
                intake.reply(ctx.channel(), PROTOCOL, ctx::close);
            }
            case PUBREL, PUBREC, PUBCOMP, PUBACK -> { }
            default -> {
                reject(ctx, "protocol-error", "unexpected " + type);
                disconnect(ctx, MqttReasonCodes.Disconnect.PROTOCOL_ERROR);
            }
        }
    }

    private void connect(ChannelHandlerContext ctx, MqttConnectMessage c) {
        if (deviceId != null) {
            reject(ctx, "protocol-error", "second CONNECT from " + deviceId);
            ctx.close();
            return;
        }
        version = MqttVersion.fromProtocolNameAndLevel(c.variableHeader().name(), (byte) c.variableHeader().version());
        String user = c.payload().userName();
        byte[] pw = c.payload().passwordInBytes();
        String secret = pw == null ? null : new String(pw, StandardCharsets.UTF_8);
        DeviceDirectory dir = directory.get();
        if (!Logins.allowed(ctx.channel(), user)) {
            refuseConnect(ctx, "throttled", "too many failed logins for device '" + user + "' or from this address");
            return;
        }
        if (user == null || dir.sensor(user).isEmpty()) {
            Logins.failed(ctx.channel(), user);
            refuseConnect(ctx, "unknown-device", "unknown device '" + user + "' (client " + c.payload().clientIdentifier() + ")");
            return;
        }
        if (!dir.authenticates(user, secret)) {
            Logins.failed(ctx.channel(), user);
            refuseConnect(ctx, "bad-credentials", "wrong secret for device " + user);
            return;
        }
        deviceId = user;
        Logins.succeeded(ctx.channel(), user);
        int keepAlive = c.variableHeader().keepAliveTimeSeconds();
        if (ctx.pipeline().get(IDLE) != null) {
            ctx.pipeline().remove(IDLE);
        }
        if (keepAlive > 0) {
            ctx.pipeline().addFirst(IDLE, new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        }
        MqttProperties props = new MqttProperties();
        if (version == MqttVersion.MQTT_5) {
            props.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_QOS, 1));
            props.add(new MqttProperties.IntegerProperty(MqttProperties.RETAIN_AVAILABLE, 0));
            props.add(new MqttProperties.IntegerProperty(MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, 0));
            props.add(new MqttProperties.IntegerProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, 0));
            props.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, maxPayloadBytes + MqttLimits.OVERHEAD));
        }
        MqttConnAckMessage ack = MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(false).properties(props).build();
        ctx.writeAndFlush(ack);
        intake.metrics().count("safegrid.ingest.connections", PROTOCOL);
        CONNECTS.info("MQTT {} device {} connected from {} (client {}, keep-alive {} s, clean {})", version, deviceId,
                ctx.channel().remoteAddress(), c.payload().clientIdentifier(), keepAlive, c.variableHeader().isCleanSession());
    }

    private void refuseConnect(ChannelHandlerContext ctx, String reason, String detail) {
        reject(ctx, reason, detail);
        MqttConnectReturnCode code = version == MqttVersion.MQTT_5
                ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
        ctx.writeAndFlush(MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build())
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void publish(ChannelHandlerContext ctx, MqttPublishMessage p) {
        MqttQoS qos = p.fixedHeader().qosLevel();
        int packetId = p.variableHeader().packetId();
        if (qos == MqttQoS.EXACTLY_ONCE) {
            reject(ctx, "qos2", "QoS 2 is not offered; use QoS 0 or 1");
            disconnect(ctx, MqttReasonCodes.Disconnect.QOS_NOT_SUPPORTED);
            return;
        }
        int size = p.payload().readableBytes();
        if (size > maxPayloadBytes) {
            reject(ctx, "too-large", "payload of " + size + " bytes; at most " + maxPayloadBytes);
            disconnect(ctx, MqttReasonCodes.Disconnect.PACKET_TOO_LARGE);
            return;
        }
        String topic = p.variableHeader().topicName();
        // a device publishes to its one topic over and over: parse and authorise it once per connection and sensor
        boolean known = allowedTopic != null && allowedTopic.equals(topic);
        ReadingTopic t = known ? null : ReadingTopic.parse(topic);
        if (!known && t == null) {
            refusePublish(ctx, qos, packetId, "bad-topic", "topic '" + topic + "' is not safegrid/{enterprise}/{device}/readings",
                    MqttReasonCodes.PubAck.TOPIC_NAME_INVALID);
            return;
        }
        Sensor sensor = directory.get().sensor(deviceId).orElse(null);
        if (sensor == null) {
            reject(ctx, "unknown-device", "device " + deviceId + " was removed from config");
            disconnect(ctx, MqttReasonCodes.Disconnect.NOT_AUTHORIZED);
            return;
        }
        if (!known || sensor != allowedSensor) {
            if (t == null) {
                t = ReadingTopic.parse(topic);
            }
            if (!t.device().equals(deviceId) || !sensor.site().segments().contains(t.enterprise())) {
                refusePublish(ctx, qos, packetId, "not-authorized", "device " + deviceId + " may not publish to '" + topic + "'",
                        MqttReasonCodes.PubAck.NOT_AUTHORIZED);
                return;
            }
            allowedTopic = topic;
            allowedSensor = sensor;
        }
        List<Reading> readings;
        try {
            byte[] bytes = ByteBufUtil.getBytes(p.payload());
            readings = ReadingPayloads.readings(bytes, sensor, clock.instant());
            intake.check(readings);
        } catch (PayloadException e) {
            refusePublish(ctx, qos, packetId, e.reason(), e.getMessage(), MqttReasonCodes.PubAck.PAYLOAD_FORMAT_INVALID);
            return;
        }
        if (!intake.admit(deviceId, readings.size())) {
            refusePublish(ctx, qos, packetId, "rate-limited", readings.size() + " readings over the device's readings/s limit",
                    MqttReasonCodes.PubAck.QUOTA_EXCEEDED);
            return;
        }
        intake.publish(ctx.channel(), PROTOCOL, deviceId, readings, () -> {
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
        if (version == MqttVersion.MQTT_5) {
            MqttProperties props = new MqttProperties();
            props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, refusal.detail()));
            ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(packetId)
                    .reasonCode(MqttReasonCodes.PubAck.QUOTA_EXCEEDED.byteValue()).properties(props).build());
        } else {
            ctx.close();
        }
    }

    private void refusePublish(ChannelHandlerContext ctx, MqttQoS qos, int packetId, String reason, String detail,
                               MqttReasonCodes.PubAck code) {
        reject(ctx, reason, detail);
        if (qos != MqttQoS.AT_LEAST_ONCE) {
            return;
        }
        MqttProperties props = new MqttProperties();
        byte rc = MqttReasonCodes.PubAck.SUCCESS.byteValue();
        if (version == MqttVersion.MQTT_5) {
            rc = code.byteValue();
            props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, detail));
        }
        reply(ctx, MqttMessageBuilders.pubAck().packetId(packetId).reasonCode(rc).properties(props).build());
    }

    private void subscribe(ChannelHandlerContext ctx, MqttSubscribeMessage s) {
        reject(ctx, "subscribe-refused", "this endpoint only takes readings");
        var b = MqttMessageBuilders.subAck().packetId(s.variableHeader().messageId());
        s.payload().topicSubscriptions().forEach(x -> b.addGrantedQos(MqttQoS.FAILURE));
        reply(ctx, b.build());
    }

    private void unsubscribe(ChannelHandlerContext ctx, MqttUnsubscribeMessage u) {
        var b = MqttMessageBuilders.unsubAck().packetId(u.variableHeader().messageId());
        if (version == MqttVersion.MQTT_5) {
            u.payload().topics().forEach(x -> b.addReasonCode((short) 0x11)); // no subscription existed
        }
        reply(ctx, b.build());
    }

    private void decodeFailure(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof MqttUnacceptableProtocolVersionException) {
            reject(ctx, "bad-protocol-version", cause.getMessage());
            ctx.writeAndFlush(MqttMessageBuilders.connAck()
                    .returnCode(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION).build())
                    .addListener(ChannelFutureListener.CLOSE);
        } else if (cause instanceof MqttIdentifierRejectedException) {
            reject(ctx, "bad-client-id", cause.getMessage());
            ctx.writeAndFlush(MqttMessageBuilders.connAck()
                    .returnCode(version == MqttVersion.MQTT_5 ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                            : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED).build())
                    .addListener(ChannelFutureListener.CLOSE);
        } else if (cause instanceof TooLongFrameException) {
            reject(ctx, "too-large", cause.getMessage());
            disconnect(ctx, MqttReasonCodes.Disconnect.PACKET_TOO_LARGE);
        } else {
            // the codec cannot find the next packet boundary after a malformed one, so the connection must go
            reject(ctx, "malformed", String.valueOf(cause.getMessage()));
            disconnect(ctx, MqttReasonCodes.Disconnect.MALFORMED_PACKET);
        }
    }

    /** MQTT 5 says why before closing; 3.1.1 just closes. Earlier readings still reach the bus first. */
    private void disconnect(ChannelHandlerContext ctx, MqttReasonCodes.Disconnect reason) {
        ctx.channel().config().setAutoRead(false);
        intake.reply(ctx.channel(), PROTOCOL, () -> {
            if (version == MqttVersion.MQTT_5 && deviceId != null) {
                ctx.writeAndFlush(MqttMessageBuilders.disconnect().reasonCode(reason.byteValue()).build())
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
        });
    }

    private void reply(ChannelHandlerContext ctx, MqttMessage m) {
        intake.reply(ctx.channel(), PROTOCOL, () -> ctx.writeAndFlush(m));
    }

    private void reject(ChannelHandlerContext ctx, String reason, String detail) {
        intake.metrics().rejected(PROTOCOL, reason, ctx.channel().remoteAddress(), detail);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            reject(ctx, deviceId == null ? "connect-timeout" : "keep-alive-timeout",
                    deviceId == null ? "no CONNECT in time" : "device " + deviceId + " silent for 1.5 x keep-alive");
            disconnect(ctx, MqttReasonCodes.Disconnect.KEEP_ALIVE_TIMEOUT);
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (deviceId != null) {
            if (cleanDisconnect) {
                CONNECTS.info("MQTT device {} disconnected from {}", deviceId, ctx.channel().remoteAddress());
            } else {
                intake.metrics().count("safegrid.ingest.unclean.disconnects", PROTOCOL);
                CONNECTS.info("MQTT device {} at {} went away without DISCONNECT", deviceId, ctx.channel().remoteAddress());
            }
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // counted, and logged through the rejection log's limit: a client can make these at will
        intake.metrics().rejected(PROTOCOL, "connection-error", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
