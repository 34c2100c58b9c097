package io.safegrid.node.device;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Field devices speaking MQTT 3.1.1, one connection each (numbered 0..n-1), as gateways keep them:
 * CONNECT with the device's id and secret, PUBLISH to its readings topic, PUBACKs handed to a
 * {@link Listener} by packet id. Writes are flushed in batches ({@link #flush()} before waiting),
 * so the load generator can drive thousands of devices; the field simulator uses the same client.
 */
public final class MqttDevices extends DeviceConnections {
    /** Called on the connection's event loop. */
    public interface Listener {
        void acked(int device, int packetId);

        /** The connection closed: nothing more will be acknowledged on it. */
        void closed(int device);
    }

    private final Listener listener;
    private final int[] nextId;

    public MqttDevices(String host, int port, int devices, Listener listener) {
        super(host, port, devices);
        this.listener = listener;
        this.nextId = new int[devices];
    }

    /** Opens device {@code device}'s connection and logs in; returns once the node accepted it (10 s at most). */
    public void connect(int device, String id, String secret) throws Exception {
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        Channel ch = bootstrap().handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, new SimpleChannelInboundHandler<MqttMessage>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, MqttMessage m) {
                                if (m instanceof MqttConnAckMessage a) {
                                    if (a.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                                        accepted.complete(null);
                                    } else {
                                        accepted.completeExceptionally(new IllegalStateException(
                                                id + " refused: " + a.variableHeader().connectReturnCode()));
                                    }
                                } else if (m.fixedHeader().messageType() == MqttMessageType.PUBACK) {
                                    listener.acked(device, ((MqttMessageIdVariableHeader) m.variableHeader()).messageId());
                                }
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                accepted.completeExceptionally(new IllegalStateException("connection closed"));
                                listener.closed(device);
                            }
                        });
                    }
                })
                .connect(host, port).sync().channel();
        ch.writeAndFlush(MqttMessageBuilders.connect().clientId(id).username(id)
                .password(secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8))
                .protocolVersion(MqttVersion.MQTT_3_1_1).keepAlive(60).cleanSession(true).build());
        try {
            accepted.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            ch.close();
            throw e;
        }
        channels[device] = ch;
    }

    /** The next packet id of the device's connection (1..65535), to note before {@link #publish}. */
    public int nextPacketId(int device) {
        return nextId[device] = nextId[device] % 65535 + 1;
    }

    /** Queues a PUBLISH; {@code packetId} 0 for QoS 0. Goes out with the device's next batch or {@link #flush()}. */
    public void publish(int device, String topic, MqttQoS qos, int packetId, byte[] payload) {
        write(device, MqttMessageBuilders.publish().topicName(topic).qos(qos).messageId(packetId).retained(false)
                .payload(Unpooled.wrappedBuffer(payload)).build());
    }

    @Override
    void goodbye(Channel c) {
        c.writeAndFlush(MqttMessageBuilders.disconnect().build());
    }
}
