package io.safegrid.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.safegrid.node.load.LoadFleet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One client process of {@link KeepAliveFleet}: {@code count} valid MQTT 3.1.1 devices of a {@link LoadFleet}
 * from device {@code first}, each on its own connection from one of several source addresses in 127.0.0.0/8
 * ({@value #PER_ADDRESS} connections per address), each sending PINGREQ every half keep-alive and nothing else,
 * as an idle device does.
 *
 * <p>Driven over stdin: {@code CONNECT} opens every connection not open and answers
 * {@code DONE accepted refused failed millis}; {@code STORM} closes them all at once, as a network cut would,
 * and connects them all again, answering the same; {@code COUNT} answers {@code OPEN n PINGS sent answered};
 * {@code EXIT} ends. A refusal is a CONNACK other than accepted, or the node closing the connection before
 * its CONNACK; a failure a TCP connect that did not succeed.
 *
 * <p>{@code java … KeepAliveClient host port first count fleetSize keepAliveSeconds addressOctet}
 */
public final class KeepAliveClient {
    static final int PER_ADDRESS = 50;
    /**
     * Logins under way at once per process: a device that has its TCP connection but is slow to send its
     * CONNECT is closed by the node after {@code mqtt-connect-timeout} (10 s), so a client starved of CPU
     * must not open more than it can log in.
     */
    private static final int CONNECTS_IN_FLIGHT = 64;

    private final LoadFleet fleet;
    private final int first;
    private final Channel[] channels;
    private final int keepAlive;
    private final int octet;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final LongAdder pings = new LongAdder();
    private final LongAdder pongs = new LongAdder();

    private KeepAliveClient(LoadFleet fleet, int first, int count, int keepAlive, int octet) {
        this.fleet = fleet;
        this.first = first;
        this.channels = new Channel[count];
        this.keepAlive = keepAlive;
        this.octet = octet;
    }

    public static void main(String[] args) throws Exception {
        KeepAliveClient c = new KeepAliveClient(LoadFleet.of(Integer.parseInt(args[4])), Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), Integer.parseInt(args[5]), Integer.parseInt(args[6]));
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line.trim()) {
                case "CONNECT" -> System.out.println(c.connectAll(host, port));
                case "STORM" -> {
                    List<ChannelFuture> closing = new ArrayList<>();
                    for (Channel ch : c.channels) {
                        if (ch != null) {
                            closing.add(ch.close());
                        }
                    }
                    for (ChannelFuture f : closing) {
                        f.awaitUninterruptibly();
                    }
                    System.out.println(c.connectAll(host, port));
                }
                case "COUNT" -> System.out.println("OPEN " + c.open() + " PINGS " + c.pings.sum() + " " + c.pongs.sum());
                case "EXIT" -> {
                    c.group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                    System.exit(0);
                }
                default -> System.out.println("? " + line);
            }
            System.out.flush();
        }
        System.exit(0);
    }

    private int open() {
        int n = 0;
        for (Channel ch : channels) {
            if (ch != null && ch.isActive()) {
                n++;
            }
        }
        return n;
    }

    /** Connects every device whose connection is not open; {@code DONE accepted refused failed millis}. */
    private String connectAll(String host, int port) throws InterruptedException {
        long start = System.nanoTime();
        Semaphore slots = new Semaphore(CONNECTS_IN_FLIGHT);
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(channels.length);
        for (int i = 0; i < channels.length; i++) {
            if (channels[i] != null && channels[i].isActive()) {
                accepted.incrementAndGet();
                done.countDown();
                continue;
            }
            slots.acquire();
            int index = i;
            String id = fleet.deviceId(first + i);
            int a = (first + i) / PER_ADDRESS;
            InetSocketAddress local = new InetSocketAddress("127." + octet + "." + (a / 250) + "." + (a % 250 + 1), 0);
            AtomicInteger answered = new AtomicInteger();   // 1 once this attempt is counted
            Runnable release = slots::release;
            ChannelFuture f = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE,
                                    new Replies(() -> {
                                        if (answered.compareAndSet(0, 1)) {
                                            accepted.incrementAndGet();
                                            release.run();
                                            done.countDown();
                                        }
                                    }, () -> {
                                        if (answered.compareAndSet(0, 1)) {
                                            refused.incrementAndGet();
                                            release.run();
                                            done.countDown();
                                        }
                                    }));
                        }
                    }).connect(new InetSocketAddress(host, port), local);
            channels[index] = f.channel();
            f.addListener(cf -> {
                if (!cf.isSuccess()) {
                    if (answered.compareAndSet(0, 1)) {
                        failed.incrementAndGet();
                        release.run();
                        done.countDown();
                    }
                    return;
                }
                f.channel().writeAndFlush(MqttMessageBuilders.connect().clientId(id).username(id)
                        .password(fleet.secret().getBytes(StandardCharsets.UTF_8)).protocolVersion(MqttVersion.MQTT_3_1_1)
                        .keepAlive(keepAlive).cleanSession(true).build());
            });
        }
        boolean all = done.await(120, TimeUnit.SECONDS);
        return "DONE " + accepted.get() + " " + refused.get() + " " + failed.get() + " "
                + (System.nanoTime() - start) / 1_000_000 + (all ? "" : " (some unanswered after 120 s)");
    }

    /** CONNACK, then PINGREQ every half keep-alive for as long as the connection lasts. */
    private final class Replies extends SimpleChannelInboundHandler<MqttMessage> {
        private final Runnable onAccepted;
        private final Runnable onRefused;
        private java.util.concurrent.ScheduledFuture<?> pinger;

        Replies(Runnable onAccepted, Runnable onRefused) {
            this.onAccepted = onAccepted;
            this.onRefused = onRefused;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage m) {
            if (m instanceof MqttConnAckMessage a) {
                if (a.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    onAccepted.run();
                    // spread over the interval, so the fleet's pings do not all fall in one instant
                    long period = keepAlive * 500L;
                    long firstIn = (long) (Math.random() * period);
                    pinger = ctx.executor().scheduleAtFixedRate(() -> {
                        if (ctx.channel().isActive()) {
                            pings.increment();
                            ctx.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false,
                                    MqttQoS.AT_MOST_ONCE, false, 0)));
                        }
                    }, firstIn, period, TimeUnit.MILLISECONDS);
                } else {
                    onRefused.run();
                    ctx.close();
                }
            } else if (m.fixedHeader().messageType() == MqttMessageType.PINGRESP) {
                pongs.increment();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (pinger != null) {
                pinger.cancel(false);
            }
            onRefused.run();   // closed before its CONNACK: refused (after it, this does nothing)
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
