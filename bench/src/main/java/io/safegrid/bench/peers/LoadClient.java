package io.safegrid.bench.peers;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
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
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.safegrid.node.load.LoadFleet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One load process of {@link PeerIngestBench}: {@code count} MQTT 3.1.1 device connections from device
 * {@code first} of a {@link LoadFleet}, each publishing single-reading JSON ({@code {"value":…,"ts":…}},
 * as the simulated devices send) as fast as its socket takes it: at QoS 0 until TCP pushes back, at QoS 1
 * with up to {@link #WINDOW} unacknowledged PUBLISHes per device. A target slower than this offer shows
 * its ceiling. Each event loop pumps its own channels, writing a burst of packets as one buffer, so one
 * core offers far more than one core of a broker takes.
 *
 * <p>Driven over stdin by the bench: {@code RUN 0|1} starts publishing at that QoS, {@code RATE n} caps
 * this process's offer at n PUBLISHes a second, {@code PAUSE} stops
 * and answers {@code SENT n ACKED m} (since the last answer), {@code MARK}
 * answers the same without stopping, {@code EXIT} disconnects. It prints {@code READY} once all are connected.
 * {@code java … LoadClient host port first count}
 */
public final class LoadClient {
    /** Unacknowledged QoS 1 PUBLISHes per device (Paho's default in-flight limit). */
    static final int WINDOW = 10;
    /** Packets written per channel per turn of the pump. */
    private static final int BURST = 32;
    private static final int CONNECTS_IN_FLIGHT = 128;

    private final LoadFleet fleet;
    private final int first;
    private final Device[] devices;
    private final EventLoopGroup group;
    private final LongAdder sent = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private volatile int qos = -1;
    /** PUBLISHes per second this process may send, 0 for as many as the sockets take. */
    private volatile double cap;
    private volatile long capFrom;
    private final LongAdder sentSinceCap = new LongAdder();
    /** Where the next turn of the pump begins (touched only on the one event loop). */
    private int nextDevice;
    /** Payload bodies, refreshed every 100 ms so {@code ts} stays current without formatting per packet. */
    private volatile byte[][] payloads;

    /** One device connection and its QoS 1 bookkeeping (touched only on its event loop). */
    private static final class Device {
        final byte[] topic;
        Channel channel;
        int inFlight;
        int nextId;

        Device(String topic) { this.topic = topic.getBytes(StandardCharsets.UTF_8); }
    }

    private LoadClient(LoadFleet fleet, int first, int count) {
        this.fleet = fleet;
        this.first = first;
        this.devices = new Device[count];
        for (int i = 0; i < count; i++) {
            devices[i] = new Device(fleet.topic(first + i));
        }
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        refreshPayloads();
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int first = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        int total = args.length > 4 ? Integer.parseInt(args[4]) : first + count;
        LoadClient c = new LoadClient(LoadFleet.of(total), first, count);
        c.connect(host, port);
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("RUN ")) {
                c.run(Integer.parseInt(line.substring(4).trim()));
            } else if (line.startsWith("RATE ")) {
                c.cap(Double.parseDouble(line.substring(5).trim()));
            } else if (line.equals("MARK")) {
                System.out.println("SENT " + c.sent.sumThenReset() + " ACKED " + c.acked.sumThenReset());
                System.out.flush();
            } else if (line.equals("PAUSE")) {
                c.pause();
                System.out.println("SENT " + c.sent.sumThenReset() + " ACKED " + c.acked.sumThenReset());
                System.out.flush();
            } else if (line.equals("EXIT")) {
                break;
            }
        }
        c.close();
        System.exit(0);
    }

    private void connect(String host, int port) throws Exception {
        Semaphore slots = new Semaphore(CONNECTS_IN_FLIGHT);
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < devices.length; i++) {
            slots.acquire();
            Device d = devices[i];
            String id = fleet.deviceId(first + i);
            CompletableFuture<Void> accepted = new CompletableFuture<>();
            accepted.whenComplete((v, e) -> slots.release());
            all.add(accepted);
            ChannelFuture f = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    // small buffers: what a target has not read waits here, not in megabytes of socket buffer
                    // that it would still be draining in the next phase
                    .option(ChannelOption.SO_SNDBUF, 32 * 1024)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new io.netty.channel.WriteBufferWaterMark(8 * 1024, 32 * 1024))
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, new Replies(d, accepted));
                        }
                    }).connect(host, port);
            f.addListener(cf -> {
                if (!cf.isSuccess()) {
                    failed.incrementAndGet();
                    accepted.completeExceptionally(cf.cause());
                    return;
                }
                d.channel = f.channel();
                d.channel.writeAndFlush(MqttMessageBuilders.connect().clientId(id).username(id)
                        .password(fleet.secret().getBytes(StandardCharsets.UTF_8)).protocolVersion(MqttVersion.MQTT_3_1_1)
                        .keepAlive(600).cleanSession(true).build());
            });
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(240, TimeUnit.SECONDS);
    }

    /** CONNACK and PUBACKs from the target. */
    private final class Replies extends SimpleChannelInboundHandler<MqttMessage> {
        private final Device d;
        private final CompletableFuture<Void> accepted;

        Replies(Device d, CompletableFuture<Void> accepted) {
            this.d = d;
            this.accepted = accepted;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage m) {
            if (m instanceof MqttConnAckMessage a) {
                if (a.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                    accepted.complete(null);
                } else {
                    accepted.completeExceptionally(new IllegalStateException("refused: " + a.variableHeader().connectReturnCode()));
                }
            } else if (m.fixedHeader().messageType() == MqttMessageType.PUBACK) {
                d.inFlight--;
                acked.increment();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            accepted.completeExceptionally(new IllegalStateException("connection closed"));
        }
    }

    /**
     * Offers at most {@code perSecond} from now on. A broker that reads every PUBLISH off its sockets
     * and queues it in memory for its consumer (HiveMQ does) never pushes back at QoS 0: offered without
     * a cap its queue grew by hundreds of thousands of messages a second until the heap ran out.
     */
    private void cap(double perSecond) {
        sentSinceCap.reset();
        capFrom = System.nanoTime();
        cap = perSecond;
    }

    private void run(int q) {
        cap = 0;
        qos = q;
        for (io.netty.util.concurrent.EventExecutor e : group) {
            EventLoop loop = (EventLoop) e;
            loop.execute(() -> pump(loop));
        }
        Thread refresher = new Thread(() -> {
            while (qos >= 0) {
                refreshPayloads();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }, "payloads");
        refresher.setDaemon(true);
        refresher.start();
    }

    private void pause() throws InterruptedException {
        qos = -1;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until && anyInFlight()) {
            Thread.sleep(10);
        }
    }

    private boolean anyInFlight() throws InterruptedException {
        CompletableFuture<Boolean> any = new CompletableFuture<>();
        group.next().execute(() -> {
            for (Device d : devices) {
                if (d.inFlight > 0) {
                    any.complete(true);
                    return;
                }
            }
            any.complete(false);
        });
        try {
            return any.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    /** One turn over this loop's channels, then again after the loop has done its I/O. */
    private void pump(EventLoop loop) {
        int q = qos;
        if (q < 0) {
            return;
        }
        byte[][] bodies = payloads;
        int written = 0;
        double c = cap;
        long budget = c <= 0 ? Long.MAX_VALUE
                : (long) (c * (System.nanoTime() - capFrom) / 1e9) - sentSinceCap.sum();
        // a turn cut short by the cap goes on where it stopped: starting at the first device each turn, a capped
        // offer came from the first few hundred devices only
        int start = nextDevice;
        int visited = 0;
        for (; visited < devices.length; visited++) {
            if (written >= budget) {
                break;
            }
            Device d = devices[(start + visited) % devices.length];
            Channel ch = d.channel;
            if (ch == null || ch.eventLoop() != loop || !ch.isActive() || !ch.isWritable()) {
                continue;
            }
            int n = q == 0 ? BURST : Math.min(BURST, WINDOW - d.inFlight);
            if (n <= 0) {
                continue;
            }
            ByteBuf buf = ch.alloc().ioBuffer(n * (d.topic.length + 48));
            for (int k = 0; k < n; k++) {
                byte[] body = bodies[(written + k) & (bodies.length - 1)];
                int remaining = 2 + d.topic.length + (q == 1 ? 2 : 0) + body.length;
                buf.writeByte(q == 1 ? 0x32 : 0x30);
                writeLength(buf, remaining);
                buf.writeShort(d.topic.length).writeBytes(d.topic);
                if (q == 1) {
                    d.nextId = d.nextId % 65535 + 1;
                    buf.writeShort(d.nextId);
                }
                buf.writeBytes(body);
            }
            if (q == 1) {
                d.inFlight += n;
            }
            written += n;
            ch.writeAndFlush(buf, ch.voidPromise());
        }
        nextDevice = (start + visited) % devices.length;
        sent.add(written);
        sentSinceCap.add(written);
        if (written == 0) {
            loop.schedule(() -> pump(loop), 200, TimeUnit.MICROSECONDS);
        } else {
            loop.execute(() -> pump(loop));
        }
    }

    private static void writeLength(ByteBuf buf, int len) {
        do {
            int b = len % 128;
            len /= 128;
            buf.writeByte(len > 0 ? b | 0x80 : b);
        } while (len > 0);
    }

    private void refreshPayloads() {
        long ts = System.currentTimeMillis();
        byte[][] p = new byte[64][];
        for (int i = 0; i < p.length; i++) {
            p[i] = String.format(Locale.ROOT, "{\"value\":%.4f,\"ts\":%d}", 20 + i * 0.0625, ts).getBytes(StandardCharsets.UTF_8);
        }
        payloads = p;
    }

    private void close() {
        for (Device d : devices) {
            if (d.channel != null && d.channel.isActive()) {
                d.channel.writeAndFlush(MqttMessageBuilders.disconnect().build());
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
