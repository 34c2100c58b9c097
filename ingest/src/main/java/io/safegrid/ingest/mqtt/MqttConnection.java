package io.safegrid.ingest.mqtt;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.safegrid.ingest.intake.ReadingIntake;

/**
 * One MQTT connection's state, shared by its handlers: who logged in, in which protocol version,
 * and how it ended; plus the replies every handler makes in the same way.
 */
public final class MqttConnection {
    private final ReadingIntake intake;
    private String deviceId;
    private MqttVersion version = MqttVersion.MQTT_3_1_1;
    private boolean cleanDisconnect;

    public MqttConnection(ReadingIntake intake) {
        this.intake = intake;
    }

    public ReadingIntake intake() { return intake; }

    /** The device logged in on this connection; null before a CONNECT was accepted. */
    public String deviceId() { return deviceId; }

    public boolean loggedIn() { return deviceId != null; }

    public void loggedIn(String device) { this.deviceId = device; }

    public MqttVersion version() { return version; }

    public void version(MqttVersion v) { this.version = v; }

    public boolean v5() { return version == MqttVersion.MQTT_5; }

    /** The device sent DISCONNECT: its going away is not counted as unclean. */
    public void disconnectedCleanly() { cleanDisconnect = true; }

    public boolean cleanDisconnect() { return cleanDisconnect; }

    /** Counts and logs (within the rejection log's limit) a refused packet or connection. */
    public void reject(ChannelHandlerContext ctx, String reason, String detail) {
        intake.metrics().rejected(MqttIngest.PROTOCOL, reason, ctx.channel().remoteAddress(), detail);
    }

    /** Sends {@code m} after everything this connection sent before is on the bus. */
    public void reply(ChannelHandlerContext ctx, MqttMessage m) {
        intake.reply(ctx.channel(), MqttIngest.PROTOCOL, () -> ctx.writeAndFlush(m));
    }

    /** MQTT 5 says why before closing; 3.1.1 just closes. Earlier readings still reach the bus first. */
    public void disconnect(ChannelHandlerContext ctx, MqttReasonCodes.Disconnect reason) {
        ctx.channel().config().setAutoRead(false);
        intake.reply(ctx.channel(), MqttIngest.PROTOCOL, () -> {
            if (v5() && loggedIn()) {
                ctx.writeAndFlush(MqttMessageBuilders.disconnect().reasonCode(reason.byteValue()).build())
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
        });
    }
}
