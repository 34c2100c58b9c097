package io.safegrid.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.safegrid.node.load.LoadFleet;
import io.safegrid.node.load.LoadGenerator;
import io.safegrid.node.load.LoadResult;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Baseline for the MQTT numbers: the same load relayed by Debian's mosquitto broker to one
 * subscriber, latency send → subscriber. Run it next to {@link IngestThroughput}'s MQTT QoS 0 case.
 *
 * <p>{@code java ... io.safegrid.bench.IngestMosquittoRelay [seconds] [devices] [rate]}
 */
public final class IngestMosquittoRelay {

    public static void main(String[] args) throws Exception {
        IngestThroughput.quietLogs();
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int devices = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        double rate = args.length > 2 ? Double.parseDouble(args[2]) : 200_000;
        Path mosquitto = Path.of("/usr/sbin/mosquitto");
        if (!Files.isExecutable(mosquitto)) {
            System.out.println("mosquitto not installed; skipping");
            return;
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path conf = Files.createTempFile("mosquitto-bench", ".conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\nmax_queued_messages 100000\n");
        Process broker = new ProcessBuilder(mosquitto.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            waitForPort(port);
            AtomicReference<LoadGenerator> current = new AtomicReference<>();
            Channel sub = subscriber(group, port, current);
            LoadGenerator warm = LoadGenerator.observedOnBus(new LoadGenerator.Options(LoadGenerator.Kind.MQTT, "127.0.0.1", port,
                    LoadFleet.of(devices), 5_000, Duration.ofSeconds(2), 1, 0));
            current.set(warm);
            warm.run();                                   // warm-up, as IngestThroughput does
            LoadGenerator g = LoadGenerator.observedOnBus(new LoadGenerator.Options(LoadGenerator.Kind.MQTT, "127.0.0.1", port,
                    LoadFleet.of(devices), rate, Duration.ofSeconds(seconds), 1, 0));
            current.set(g);
            LoadResult r = g.run();
            System.out.println("mosquitto relay, QoS 0 single, latency to the subscriber: " + r.summary());
            sub.close();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            broker.destroy();
            broker.waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(conf);
        }
    }

    private static Channel subscriber(EventLoopGroup group, int port, AtomicReference<LoadGenerator> current) throws Exception {
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel c) {
                c.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, new SimpleChannelInboundHandler<MqttMessage>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, MqttMessage m) {
                        MqttMessageType t = m.fixedHeader().messageType();
                        if (t == MqttMessageType.CONNACK) {
                            ctx.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1)
                                    .addSubscription(MqttQoS.AT_MOST_ONCE, "safegrid/#").build());
                        } else if (t == MqttMessageType.SUBACK) {
                            subscribed.complete(null);
                        } else if (m instanceof MqttPublishMessage p) {
                            LoadGenerator g = current.get();
                            if (g != null) {
                                g.observe(value(p.payload()));
                            }
                        }
                    }
                });
            }
        }).connect("127.0.0.1", port).sync().channel();
        ch.writeAndFlush(MqttMessageBuilders.connect().clientId("bench-sub").protocolVersion(MqttVersion.MQTT_3_1_1)
                .keepAlive(60).cleanSession(true).build());
        subscribed.get(10, TimeUnit.SECONDS);
        return ch;
    }

    /** The sequence number in {@code {"value":N}}. */
    private static double value(ByteBuf payload) {
        String s = payload.toString(StandardCharsets.US_ASCII);
        return Long.parseLong(s.substring(s.indexOf(':') + 1, s.indexOf('}')).trim());
    }

    private static void waitForPort(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not start on port " + port);
    }
}
