package io.safegrid.ingest.mqtt.connect;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.safegrid.ingest.directory.DeviceDirectory;
import io.safegrid.config.log.LimitedLog;
import io.safegrid.ingest.guard.Logins;
import io.safegrid.ingest.mqtt.MqttConnection;
import io.safegrid.ingest.mqtt.MqttIngest;
import io.safegrid.ingest.mqtt.MqttLimits;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's life: the device logs in with its id and secret (CONNECT), stays alive (PINGREQ,
 * 1.5 × its keep-alive) and leaves (DISCONNECT, or a silent drop counted as unclean). Until a CONNECT
 * is accepted no other packet passes; malformed packets pass on to the refusals.
 */
public final class MqttConnectHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnectHandler.class);
    /** Connects and disconnects: a reconnecting fleet (or a flood) must not fill the log. */
    private static final LimitedLog CONNECTS = new LimitedLog(LOG, 60);

    private final MqttConnection connection;
    private final Supplier<DeviceDirectory> directory;
    private final int maxPayloadBytes;

    public MqttConnectHandler(MqttConnection connection, Supplier<DeviceDirectory> directory, int maxPayloadBytes) {
        this.connection = connection;
        this.directory = directory;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage m) || m.decoderResult().isFailure()) {
            ctx.fireChannelRead(msg);
            return;
        }
        MqttMessageType type = m.fixedHeader().messageType();
        if (type != MqttMessageType.CONNECT && type != MqttMessageType.PINGREQ && type != MqttMessageType.DISCONNECT
                && connection.loggedIn()) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            switch (type) {
                case CONNECT -> connect(ctx, (MqttConnectMessage) m);
                case PINGREQ, DISCONNECT -> {
                    if (!connection.loggedIn()) {
                        notConnected(ctx, type);
                    } else if (type == MqttMessageType.PINGREQ) {
                        connection.reply(ctx, new MqttMessage(
                                new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)));
                    } else {
                        connection.disconnectedCleanly();
                        connection.intake().reply(ctx.channel(), MqttIngest.PROTOCOL, ctx::close);
                    }
                }
                default -> notConnected(ctx, type);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void notConnected(ChannelHandlerContext ctx, MqttMessageType type) {
        connection.reject(ctx, "not-connected", type + " before CONNECT");
        ctx.close();
    }

    private void connect(ChannelHandlerContext ctx, MqttConnectMessage c) {
        if (connection.loggedIn()) {
            connection.reject(ctx, "protocol-error", "second CONNECT from " + connection.deviceId());
            ctx.close();
            return;
        }
        connection.version(MqttVersion.fromProtocolNameAndLevel(c.variableHeader().name(), (byte) c.variableHeader().version()));
        String user = c.payload().userName();
        byte[] pw = c.payload().passwordInBytes();
        String secret = pw == null ? null : new String(pw, StandardCharsets.UTF_8);
        DeviceDirectory dir = directory.get();
        if (!Logins.allowed(ctx.channel(), user)) {
            refuse(ctx, "throttled", "too many failed logins for device '" + user + "' or from this address");
            return;
        }
        if (user == null || dir.sensor(user).isEmpty()) {
            Logins.failed(ctx.channel(), user);
            refuse(ctx, "unknown-device", "unknown device '" + user + "' (client " + c.payload().clientIdentifier() + ")");
            return;
        }
        if (!dir.authenticates(user, secret)) {
            Logins.failed(ctx.channel(), user);
            refuse(ctx, "bad-credentials", "wrong secret for device " + user);
            return;
        }
        connection.loggedIn(user);
        Logins.succeeded(ctx.channel(), user);
        int keepAlive = c.variableHeader().keepAliveTimeSeconds();
        if (ctx.pipeline().get(MqttIngest.IDLE) != null) {
            ctx.pipeline().remove(MqttIngest.IDLE);
        }
        if (keepAlive > 0) {
            ctx.pipeline().addFirst(MqttIngest.IDLE, new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        }
        MqttProperties props = new MqttProperties();
        if (connection.v5()) {
            props.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_QOS, 1));
            props.add(new MqttProperties.IntegerProperty(MqttProperties.RETAIN_AVAILABLE, 0));
            props.add(new MqttProperties.IntegerProperty(MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, 0));
            props.add(new MqttProperties.IntegerProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, 0));
            props.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, maxPayloadBytes + MqttLimits.OVERHEAD));
        }
        MqttConnAckMessage ack = MqttMessageBuilders.connAck().returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(false).properties(props).build();
        ctx.writeAndFlush(ack);
        connection.intake().metrics().count("safegrid.ingest.connections", MqttIngest.PROTOCOL);
        CONNECTS.info("MQTT {} device {} connected from {} (client {}, keep-alive {} s, clean {})", connection.version(),
                user, ctx.channel().remoteAddress(), c.payload().clientIdentifier(), keepAlive,
                c.variableHeader().isCleanSession());
    }

    private void refuse(ChannelHandlerContext ctx, String reason, String detail) {
        connection.reject(ctx, reason, detail);
        MqttConnectReturnCode code = connection.v5()
                ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
        ctx.writeAndFlush(MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build())
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            String device = connection.deviceId();
            connection.reject(ctx, device == null ? "connect-timeout" : "keep-alive-timeout",
                    device == null ? "no CONNECT in time" : "device " + device + " silent for 1.5 x keep-alive");
            connection.disconnect(ctx, MqttReasonCodes.Disconnect.KEEP_ALIVE_TIMEOUT);
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        String device = connection.deviceId();
        if (device != null) {
            if (connection.cleanDisconnect()) {
                CONNECTS.info("MQTT device {} disconnected from {}", device, ctx.channel().remoteAddress());
            } else {
                connection.intake().metrics().count("safegrid.ingest.unclean.disconnects", MqttIngest.PROTOCOL);
                CONNECTS.info("MQTT device {} at {} went away without DISCONNECT", device, ctx.channel().remoteAddress());
            }
        }
        super.channelInactive(ctx);
    }
}
