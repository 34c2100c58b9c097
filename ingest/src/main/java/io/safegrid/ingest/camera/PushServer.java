package io.safegrid.ingest.camera;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeviceAccess;
import io.safegrid.config.IngestLimits;
import io.safegrid.ingest.guard.AuthThrottle;
import io.safegrid.config.log.LimitedLog;
import io.safegrid.ingest.guard.ListenerGuard;
import io.safegrid.ingest.guard.Logins;
import io.safegrid.ingest.guard.NodeConnections;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.grid.GridNode;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.CameraSource;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP port edge boxes push video to: a {@link PushHeader} line, then MPEG-TS (or raw H.264).
 * One stream per camera; a new connection for a camera replaces the old one (the box reconnected).
 */
final class PushServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushServer.class);
    private static final int HEADER_SECONDS = 5;
    private static final int IDLE_SECONDS = 15;
    static final String PROTOCOL = "video-push";

    private final ConfigSource config;
    private final Function<Camera, CameraFeed> feeds;
    private final MeterRegistry meters;
    private final DecodePool pool;
    private final Map<String, PushSession> sessions = new ConcurrentHashMap<>();
    private final LimitedLog refusals = new LimitedLog(LOG, 20);
    private final AuthThrottle logins;
    private ListenerGuard guard;
    private EventLoopGroup group;
    private Channel server;

    /**
     * @param pool decodes the pushed streams; null: a thread per stream
     * @param bus  where credential attack findings go
     */
    PushServer(ConfigSource config, Function<Camera, CameraFeed> feeds, MeterRegistry meters, DecodePool pool, Bus bus,
               Clock clock) {
        this.config = config;
        this.logins = new AuthThrottle(clock, () -> limits().authFailuresPerMinute(),
                id -> config.current().camera(id).map(Camera::site).orElse(null),
                () -> config.current().grid().roots().stream().findFirst().map(GridNode::path).orElse(null), bus, meters);
        this.pool = pool;
        this.feeds = feeds;
        this.meters = meters;
    }

    private IngestLimits limits() { return config.current().node().ingestLimits(); }

    /** Failed-token throttling of this port. */
    AuthThrottle logins() { return logins; }

    ListenerGuard guard() { return guard; }

    int start(String host, int port) throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        guard = new ListenerGuard(PROTOCOL, this::limits, l -> Duration.ofSeconds(HEADER_SECONDS), 
                NodeConnections.shared(limits().reservedFileHandles()), this::refused, logins, meters);
        server = ListenerGuard.waterMarks(new ServerBootstrap(), limits()).group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("guard", guard.handler())
                                .addLast("idle", new IdleStateHandler(HEADER_SECONDS, 0, 0))
                                .addLast("line", new LineBasedFrameDecoder(PushHeader.MAX_LENGTH))
                                .addLast("handshake", new Handshake());
                    }
                })
                .bind(new InetSocketAddress(host, port)).sync().channel();
        int bound = ((InetSocketAddress) server.localAddress()).getPort();
        LOG.info("camera push listening on {}:{}", host, bound);
        return bound;
    }

    /** Counts and logs (with a limit) a refused connection or stream. */
    private void refused(String reason, SocketAddress peer, String detail) {
        Counter.builder("safegrid.camera.push.rejected").tag("reason", reason)
                .description("push connections refused at the header").register(meters).increment();
        refusals.warn("camera push from {} refused: {}", peer, detail);
    }

    private void reject(ChannelHandlerContext ctx, String reason, String detail) {
        refused(reason, ctx.channel().remoteAddress(), detail);
        ctx.writeAndFlush(Unpooled.copiedBuffer("ERR " + detail + "\n", StandardCharsets.UTF_8))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** Reads and checks the header, then hands the connection to a {@link PushSession}. */
    private final class Handshake extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
            PushHeader h;
            try {
                h = PushHeader.parse(line.toString(StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                reject(ctx, "header", e.getMessage());
                return;
            }
            if (!Logins.allowed(ctx.channel(), h.cameraId())) {
                reject(ctx, "throttled", "too many bad tokens for camera '" + h.cameraId() + "' or from this address");
                return;
            }
            Camera camera = config.current().camera(h.cameraId()).orElse(null);
            if (camera == null) {
                Logins.failed(ctx.channel(), h.cameraId());
                reject(ctx, "unknown-camera", "unknown camera '" + h.cameraId() + "'");
                return;
            }
            if (camera.source() == null || camera.source().mode() != CameraSource.Mode.PUSH) {
                reject(ctx, "not-push", "camera '" + h.cameraId() + "' is not configured for push");
                return;
            }
            String secret = config.current().access(camera.id()).map(DeviceAccess::secret).orElse(null);
            if (secret == null || secret.isEmpty()) {
                // check-config refuses this; a deployment built another way must not take video from anyone
                reject(ctx, "no-secret", "camera '" + h.cameraId() + "' has no secret configured");
                return;
            }
            if (!MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), h.token().getBytes(StandardCharsets.UTF_8))) {
                Logins.failed(ctx.channel(), h.cameraId());
                reject(ctx, "token", "bad token for camera '" + h.cameraId() + "'");
                return;
            }
            Logins.succeeded(ctx.channel(), h.cameraId());
            long maxPixels = limits().maxVideoPixels();
            SocketAddress peer = ctx.channel().remoteAddress();
            PushSession session = new PushSession(feeds.apply(camera), ctx.channel(), h.format(), pool, maxPixels,
                    () -> refused("picture-too-large", peer, "camera '" + camera.id() + "' declares a picture over "
                            + maxPixels + " pixels"));
            PushSession old = sessions.put(camera.id(), session);
            if (old != null) {
                LOG.info("camera {}: new push connection replaces the one from {}", camera.id(), "before");
                old.stop();
            }
            ctx.channel().closeFuture().addListener(f -> sessions.remove(camera.id(), session));
            ctx.writeAndFlush(Unpooled.copiedBuffer("OK\n", StandardCharsets.US_ASCII));
            // video may follow the header in the same packet: the line decoder hands what it holds
            // to the session as it is removed
            ctx.pipeline().replace("idle", "idle", new IdleStateHandler(IDLE_SECONDS, 0, 0));
            ctx.pipeline().replace(this, "video", session);
            ctx.pipeline().remove("line");
            session.start();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                reject(ctx, "timeout", "no header within " + HEADER_SECONDS + " s");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                reject(ctx, "header", "header longer than " + PushHeader.MAX_LENGTH + " bytes");
            } else {
                LOG.warn("camera push from {}: {}", ctx.channel().remoteAddress(), cause.toString());
                ctx.close();
            }
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        sessions.values().forEach(PushSession::close);
        sessions.clear();
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
