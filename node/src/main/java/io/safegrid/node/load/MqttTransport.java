package io.safegrid.node.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One Netty MQTT 3.1.1 connection per device; PUBACKs matched by packet id. */
final class MqttTransport implements LoadGenerator.Transport {
    private final LoadGenerator.Options o;
    private final LoadGenerator gen;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Channel[] channels;
    /** A sender running behind schedule flushes in batches; one on schedule flushes before it sleeps ({@link #flush()}). */
    private final BatchedWrites writes;
    private final String[] topics;
    private final int[] nextId;
    private final Map<Integer, long[]>[] pending;

    @SuppressWarnings("unchecked")
    MqttTransport(LoadGenerator.Options o, LoadGenerator gen) {
        this.o = o;
        this.gen = gen;
        int n = o.fleet().devices();
        channels = new Channel[n];
        topics = new String[n];
        writes = new BatchedWrites(channels);
        for (int i = 0; i < n; i++) {
            topics[i] = o.fleet().topic(i);
        }
        nextId = new int[n];
        pending = new Map[n];
    }

    @Override
    public void connect() throws Exception {
        for (int i = 0; i < channels.length; i++) {
            int dev = i;
            pending[i] = new ConcurrentHashMap<>();
            CompletableFuture<Void> connected = new CompletableFuture<>();
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, new SimpleChannelInboundHandler<MqttMessage>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, MqttMessage m) {
                                    if (m instanceof MqttConnAckMessage a) {
                                        if (a.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                                            connected.complete(null);
                                        } else {
                                            connected.completeExceptionally(new IllegalStateException(
                                                    o.fleet().deviceId(dev) + " refused: " + a.variableHeader().connectReturnCode()));
                                        }
                                    } else if (m.fixedHeader().messageType() == MqttMessageType.PUBACK) {
                                        int id = ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
                                        long[] p = pending[dev].remove(id);
                                        if (p != null) {
                                            gen.acked(p[0], (int) p[1]);
                                        }
                                    }
                                }

                                @Override
                                public void channelInactive(ChannelHandlerContext ctx) {
                                    connected.completeExceptionally(new IllegalStateException("connection closed"));
                                    int lost = pending[dev].values().stream().mapToInt(p -> (int) p[1]).sum();
                                    pending[dev].clear();
                                    gen.failed(lost);
                                }
                            });
                        }
                    })
                    .connect(o.host(), o.port()).sync().channel();
            String id = o.fleet().deviceId(i);
            ch.writeAndFlush(MqttMessageBuilders.connect().clientId(id).username(id)
                    .password(o.fleet().secret().getBytes(StandardCharsets.UTF_8)).protocolVersion(MqttVersion.MQTT_3_1_1)
                    .keepAlive(60).cleanSession(true).build());
            connected.get(10, TimeUnit.SECONDS);
            channels[i] = ch;
        }
    }

    @Override
    public boolean writable(int device) {
        return channels[device].isWritable() && pending[device].size() < 1000;
    }

    @Override
    public void send(int device, long firstSeq, int count, long sendNanos) {
        MqttQoS qos = o.qos() >= 1 ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        int id = 0;
        if (qos == MqttQoS.AT_LEAST_ONCE) {
            id = nextId[device] = nextId[device] % 65535 + 1;
            pending[device].put(id, new long[] {sendNanos, count});
        }
        byte[] payload = LoadGenerator.json(firstSeq, count).getBytes(StandardCharsets.UTF_8);
        writes.write(device, MqttMessageBuilders.publish().topicName(topics[device]).qos(qos)
                .messageId(id).retained(false).payload(Unpooled.wrappedBuffer(payload)).build());
    }

    @Override
    public void flush() {
        writes.flushAll();
    }

    @Override
    public void close() {
        for (Channel c : channels) {
            if (c != null) {
                c.writeAndFlush(MqttMessageBuilders.disconnect().build()).addListener(io.netty.channel.ChannelFutureListener.CLOSE)
                        .awaitUninterruptibly(1000);
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
