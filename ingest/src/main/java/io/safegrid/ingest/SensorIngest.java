package io.safegrid.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutor;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.NodeSettings;
import io.safegrid.config.IngestLimits;
import io.safegrid.ingest.directory.DeviceDirectory;
import io.safegrid.ingest.guard.AuthThrottle;
import io.safegrid.ingest.guard.BodyBudget;
import io.safegrid.ingest.guard.ListenerGuard;
import io.safegrid.ingest.guard.NodeConnections;
import io.safegrid.ingest.http.HttpIngestHandler;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import io.safegrid.ingest.hj212.Hj212FrameDecoder;
import io.safegrid.ingest.hj212.Hj212FrameEncoder;
import io.safegrid.ingest.hj212.Hj212Handler;
import io.safegrid.ingest.camera.SnapshotIntake;
import io.safegrid.ingest.http.HttpIngest;
import io.safegrid.ingest.intake.Acknowledger;
import io.safegrid.ingest.intake.IngestMetrics;
import io.safegrid.ingest.intake.ReadingWindow;
import io.safegrid.ingest.intake.ReadingIntake;
import io.safegrid.ingest.mqtt.MqttIngest;
import io.safegrid.ingest.mqtt.MqttLimits;
import io.safegrid.ingest.session.DeviceSessions;
import io.safegrid.ingest.session.RateLimits;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.judging.Judge;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sensor ingest: the MQTT, HJ 212 and HTTP listeners of {@code node}, device sessions and the
 * offline watch. Readings go to {@code Topic.READINGS} keyed by device id, device online/offline
 * findings to {@code Topic.FINDINGS}. Config reloads apply to new messages at once (devices,
 * secrets, bindings, rate limit); ports are bound once, at {@link #start()}.
 */
public final class SensorIngest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SensorIngest.class);
    /** Loggers in China send DataTime in Beijing time. */
    public static final ZoneId DEFAULT_DATA_ZONE = ZoneId.of("Asia/Shanghai");
    /** An HJ 212 connection silent this long is closed (loggers send at least hourly data). */
    public static final int HJ212_IDLE_SECONDS = 2 * 3600;
    /** An HTTP connection with no request for this long is closed (keep-alive clients reconnect). */
    public static final int HTTP_IDLE_SECONDS = 60;

    /** Replies (PUBACK, 9014) written while reading a burst go out in one flush at the end of the read. */
    private static final int FLUSH_AFTER = 64;

    private final ConfigSource config;
    private final Bus bus;
    private final Clock clock;
    private final ZoneId dataZone;
    private final IngestMetrics metrics;
    private final AtomicReference<DeviceDirectory> directory = new AtomicReference<>();
    private final DeviceSessions sessions;
    private final ReadingIntake intake;
    private final List<Channel> servers = new ArrayList<>();
    private EventLoopGroup group;
    private ScheduledExecutorService scheduler;
    private int mqttPort = -1;
    private int hj212Port = -1;
    private int httpPort = -1;
    private volatile SnapshotIntake snapshots;
    private final AuthThrottle logins;
    private final BodyBudget bodies;
    private final java.util.Map<String, ListenerGuard> guards = new java.util.HashMap<>();

    public SensorIngest(ConfigSource config, Bus bus, MeterRegistry registry, Clock clock) {
        this(config, bus, registry, clock, DEFAULT_DATA_ZONE);
    }

    /** @param dataZone the zone HJ 212 DataTime is read in */
    public SensorIngest(ConfigSource config, Bus bus, MeterRegistry registry, Clock clock, ZoneId dataZone) {
        this.config = config;
        this.bus = bus;
        this.clock = clock;
        this.dataZone = dataZone;
        this.metrics = new IngestMetrics(registry);
        this.directory.set(DeviceDirectory.of(config.current()));
        this.sessions = new DeviceSessions(directory::get, bus, registry, clock);
        RateLimits limits = new RateLimits(clock, () -> directory.get().deployment().node().maxReadingsPerSecondPerDevice());
        ReadingWindow window = new ReadingWindow(clock, () -> config.current().record().retention(),
                () -> config.current().acceptance().maxClockSkew());
        this.intake = new ReadingIntake(bus, limits, sessions, metrics, window);
        this.logins = new AuthThrottle(clock, () -> limits().authFailuresPerMinute(), this::siteOf,
                () -> directory.get().deployment().grid().roots().stream().findFirst().map(GridNode::path).orElse(null),
                bus, registry);
        this.bodies = new BodyBudget(() -> limits().maxInflightBodyBytes());
    }

    /**
     * Acknowledges readings only once {@code acks} keeps them (the journal's {@code GroupCommit});
     * call before {@link #start()}. Without it, a reading is acknowledged once the bus has it.
     */
    public void acknowledgeWith(Acknowledger acks) {
        intake.acknowledgeWith(acks);
    }

    /**
     * Judges every reading taken onto the bus with {@code judge} (the node wires analytics' rules here when
     * both run in this process) and puts its findings on the bus with the readings' backpressure; call
     * before {@link #start()}. Without it ingest judges nothing.
     */
    public void judgeWith(Judge judge) {
        intake.judgeWith(judge);
    }

    private IngestLimits limits() { return directory.get().deployment().node().ingestLimits(); }

    /** Where a login id (device id or HJ 212 MN) belongs, for credential attack findings; null if unknown. */
    private GridPath siteOf(String id) {
        DeviceDirectory dir = directory.get();
        return dir.sensor(id).map(Sensor::site)
                .or(() -> dir.logger(id).flatMap(l -> l.sensorsByFactor().values().stream().findFirst()).map(Sensor::site))
                .orElse(null);
    }

    private ListenerGuard guard(String protocol, java.util.function.Function<IngestLimits, java.time.Duration> loginTimeout) {
        NodeConnections node = NodeConnections.shared(limits().reservedFileHandles());
        return guards.computeIfAbsent(protocol, p -> new ListenerGuard(p, this::limits, loginTimeout, node,
                (reason, peer, detail) -> metrics.rejected(p, reason, peer, detail), logins, metrics.registry()));
    }

    /** The guard of a listener ({@code mqtt}, {@code hj212}, {@code http}), or null when it is off. */
    public ListenerGuard guard(String protocol) { return guards.get(protocol); }

    /** Failed-login throttling shared by every protocol of this ingest. */
    public AuthThrottle logins() { return logins; }

    /** The HTTP body bytes in flight now. */
    public BodyBudget bodies() { return bodies; }

    /** Binds the listeners (port 0: ephemeral, -1: off) and starts the offline watch. */
    public synchronized void start() {
        if (group != null) {
            throw new IllegalStateException("already started");
        }
        Consumer<Deployment> reload = d -> {
            directory.set(DeviceDirectory.of(d));
            LOG.info("ingest follows config reload: {} sensors", d.sensors().size());
        };
        config.onChange(reload);
        NodeSettings n = config.current().node();
        group = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                NioIoHandler.newFactory());
        // one read per connection per turn is the rule with many devices: wake the bus's consumers once a turn, not per reading
        for (EventExecutor loop : group) {
            loop.execute(() -> bus.wakeAfterTurn(loop));
        }
        try {
            ListenerGuard mqtt = guard(MqttIngest.PROTOCOL, IngestLimits::mqttConnectTimeout);
            mqttPort = bind(n, n.mqttPort(), "MQTT", new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    int max = payloadLimit();
                    ch.pipeline().addLast(mqtt.handler());
                    ch.pipeline().addLast(new FlushConsolidationHandler(FLUSH_AFTER, true));
                    ch.pipeline().addLast(new MqttDecoder(max + MqttLimits.OVERHEAD), MqttEncoder.INSTANCE);
                    MqttIngest.addHandlers(ch.pipeline(), directory::get, intake, clock, max);
                }
            });
            ListenerGuard hj212 = guard(Hj212Handler.PROTOCOL, IngestLimits::hj212LoginTimeout);
            hj212Port = bind(n, n.hj212Port(), "HJ 212", new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(hj212.handler());
                    ch.pipeline().addLast(new FlushConsolidationHandler(FLUSH_AFTER, true));
                    ch.pipeline().addLast(new IdleStateHandler(HJ212_IDLE_SECONDS, 0, 0, TimeUnit.SECONDS),
                            new Hj212FrameDecoder(), new Hj212FrameEncoder(),
                            new Hj212Handler(directory::get, intake, clock, dataZone));
                }
            });
            ListenerGuard http = guard(HttpIngestHandler.PROTOCOL, IngestLimits::httpRequestTimeout);
            httpPort = bind(n, n.ingestHttpPort(), "HTTP", new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(http.handler());
                    ch.pipeline().addLast(new IdleStateHandler(HTTP_IDLE_SECONDS, 0, 0, TimeUnit.SECONDS), new HttpServerCodec());
                    HttpIngest.addHandlers(ch.pipeline(), payloadLimit(), directory.get().deployment().node().maxSnapshotBytes(),
                            directory::get, intake, clock, snapshots, SensorIngest.this::limits, bodies);
                }
            });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-sessions");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        try {
            sessions.tick();
            logins.tick();
        } catch (RuntimeException e) {
            LOG.warn("device session check failed", e);
        }
    }

    /**
     * Takes camera snapshot uploads ({@code POST /cameras/{id}/snapshots}) on the HTTP port from now
     * on; give it {@code CameraIntake#snapshots()} when this node also runs camera intake.
     */
    public void acceptSnapshots(SnapshotIntake snapshots) {
        this.snapshots = snapshots;
    }

    private int payloadLimit() { return directory.get().deployment().node().maxPayloadBytes(); }

    private int bind(NodeSettings n, int port, String what, ChannelInitializer<SocketChannel> init) {
        if (port < 0) {
            return -1;
        }
        String host = n.bindAddress() == null ? "0.0.0.0" : n.bindAddress();
        Channel ch = ListenerGuard.waterMarks(new ServerBootstrap(), limits()).group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(init)
                .bind(host, port).syncUninterruptibly().channel();
        servers.add(ch);
        int bound = ((InetSocketAddress) ch.localAddress()).getPort();
        LOG.info("{} ingest listening on {}:{}", what, host, bound);
        return bound;
    }

    /** The bound MQTT port, or -1 when off or not started. */
    public int mqttPort() { return mqttPort; }

    public int hj212Port() { return hj212Port; }

    /** The bound HTTP reading endpoint port. */
    public int httpPort() { return httpPort; }

    /** Online/offline state per device; the node's watch runs {@link DeviceSessions#tick()} every second. */
    public DeviceSessions sessions() { return sessions; }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        for (Channel ch : servers) {
            ch.close().syncUninterruptibly();
        }
        servers.clear();
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
        mqttPort = hj212Port = httpPort = -1;
    }
}
