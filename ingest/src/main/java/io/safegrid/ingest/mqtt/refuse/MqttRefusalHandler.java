package io.safegrid.ingest.mqtt.refuse;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.util.ReferenceCountUtil;
import io.safegrid.ingest.mqtt.MqttConnection;

/**
 * The last handler: what this publish-only endpoint does not take. Subscriptions are refused (SUBACK
 * with failure), QoS 2 release flows and stray acknowledgements are ignored, a malformed packet or an
 * unexpected type ends the connection with the version's own code, and a connection error is counted
 * and closes it.
 */
public final class MqttRefusalHandler extends ChannelInboundHandlerAdapter {
    private final MqttConnection connection;

    public MqttRefusalHandler(MqttConnection connection) {
        this.connection = connection;
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
        switch (m.fixedHeader().messageType()) {
            case SUBSCRIBE -> subscribe(ctx, (MqttSubscribeMessage) m);
            case UNSUBSCRIBE -> unsubscribe(ctx, (MqttUnsubscribeMessage) m);
            case PUBREL, PUBREC, PUBCOMP, PUBACK -> { }
            default -> {
                connection.reject(ctx, "protocol-error", "unexpected " + m.fixedHeader().messageType());
                connection.disconnect(ctx, MqttReasonCodes.Disconnect.PROTOCOL_ERROR);
            }
        }
    }

    private void subscribe(ChannelHandlerContext ctx, MqttSubscribeMessage s) {
        connection.reject(ctx, "subscribe-refused", "this endpoint only takes readings");
        var b = MqttMessageBuilders.subAck().packetId(s.variableHeader().messageId());
        s.payload().topicSubscriptions().forEach(x -> b.addGrantedQos(MqttQoS.FAILURE));
        connection.reply(ctx, b.build());
    }

    private void unsubscribe(ChannelHandlerContext ctx, MqttUnsubscribeMessage u) {
        var b = MqttMessageBuilders.unsubAck().packetId(u.variableHeader().messageId());
        if (connection.v5()) {
            u.payload().topics().forEach(x -> b.addReasonCode((short) 0x11)); // no subscription existed
        }
        connection.reply(ctx, b.build());
    }

    private void decodeFailure(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof MqttUnacceptableProtocolVersionException) {
            connection.reject(ctx, "bad-protocol-version", cause.getMessage());
            ctx.writeAndFlush(MqttMessageBuilders.connAck()
                    .returnCode(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION).build())
                    .addListener(ChannelFutureListener.CLOSE);
        } else if (cause instanceof MqttIdentifierRejectedException) {
            connection.reject(ctx, "bad-client-id", cause.getMessage());
            ctx.writeAndFlush(MqttMessageBuilders.connAck()
                    .returnCode(connection.v5() ? MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID
                            : MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED).build())
                    .addListener(ChannelFutureListener.CLOSE);
        } else if (cause instanceof TooLongFrameException) {
            connection.reject(ctx, "too-large", cause.getMessage());
            connection.disconnect(ctx, MqttReasonCodes.Disconnect.PACKET_TOO_LARGE);
        } else {
            // the codec cannot find the next packet boundary after a malformed one, so the connection must go
            connection.reject(ctx, "malformed", String.valueOf(cause.getMessage()));
            connection.disconnect(ctx, MqttReasonCodes.Disconnect.MALFORMED_PACKET);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // counted, and logged through the rejection log's limit: a client can make these at will
        connection.reject(ctx, "connection-error", cause.toString());
        ctx.close();
    }
}
