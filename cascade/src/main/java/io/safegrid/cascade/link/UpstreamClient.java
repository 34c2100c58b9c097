package io.safegrid.cascade.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.safegrid.cascade.store.LinkStore;
import io.safegrid.config.CascadeConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The enterprise's end: keeps one connection to the county, introduces itself (peer id, token, and
 * how far it has applied the county's answers), then runs a {@link LinkSession}. Whenever the link
 * drops it reconnects with exponential backoff, from a twentieth of {@code reconnect-max} up to it;
 * the queue meanwhile keeps everything on disk.
 */
public final class UpstreamClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamClient.class);
    /** What the county is called in the store and in meters on an enterprise node. */
    public static final String PEER = "upstream";

    private final CascadeConfig.Upstream upstream;
    private final Duration backoffMax;
    private final Duration backoffMin;
    private final LinkStore store;
    private final Applier applier;
    private final LinkMetrics metrics;
    private final SslContext tls;
    private EventLoopGroup group;
    private volatile boolean closed;
    private volatile LinkSession session;
    private long backoffMillis;

    public UpstreamClient(CascadeConfig.Upstream upstream, Duration reconnectMax, LinkStore store, Applier applier,
                          LinkMetrics metrics) {
        this.upstream = upstream;
        this.backoffMax = reconnectMax;
        this.backoffMin = Duration.ofMillis(Math.max(100, reconnectMax.toMillis() / 20));
        this.store = store;
        this.applier = applier;
        this.metrics = metrics;
        this.backoffMillis = backoffMin.toMillis();
        this.tls = upstream.tls() ? LinkTls.client(upstream) : null;
    }

    public void start(EventLoopGroup group) {
        this.group = group;
        metrics.queue(PEER, store);
        metrics.connected(PEER, false);
        connect();
    }

    /** Something new is queued; sent at once when the link is up, else after the next reconnect. */
    public void wake() {
        LinkSession s = session;
        if (s != null) {
            s.wake();
        }
    }

    public boolean isConnected() {
        return session != null;
    }

    private void connect() {
        if (closed) {
            return;
        }
        ChannelFuture f = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            // host and port: SNI, and the name the county's certificate must carry
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), upstream.host(), upstream.port()));
                            ch.pipeline().addLast("tls-failures", new HandshakeLog(metrics, PEER));
                        }
                        Wire.install(ch.pipeline());
                        ch.pipeline().addLast(new CountyHandler());
                    }
                })
                .connect(upstream.host(), upstream.port());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                LOG.warn("cascade: cannot reach the county at {}:{} ({}); retrying in {} ms", upstream.host(),
                        upstream.port(), done.cause().toString(), backoffMillis);
                retryLater();
            } else {
                f.channel().closeFuture().addListener(c -> retryLater());
            }
        });
    }

    private void retryLater() {
        if (closed) {
            return;
        }
        long wait = backoffMillis;
        backoffMillis = Math.min(backoffMax.toMillis(), backoffMillis * 2);
        try {
            group.schedule(this::connect, wait, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // the node is stopping
        }
    }

    private final class CountyHandler extends SimpleChannelInboundHandler<Frame> {
        private LinkSession mine;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            long applied = store.lastApplied(PEER);
            ctx.writeAndFlush(Frame.hello(upstream.peer(), upstream.token(), applied));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
            if (mine != null) {
                mine.onFrame(f);
                return;
            }
            switch (f.type()) {
                case WELCOME -> {
                    mine = new LinkSession(ctx.channel(), PEER, store, applier, metrics);
                    session = mine;
                    backoffMillis = backoffMin.toMillis();
                    metrics.connected(PEER, true);
                    LOG.info("cascade: linked to the county at {} as '{}'", ctx.channel().remoteAddress(), upstream.peer());
                    mine.start(f.last() == null ? 0 : f.last());
                }
                case DENIED -> {
                    metrics.refused(PEER, "denied");
                    // a wrong token will not fix itself quickly: wait the longest before trying again
                    backoffMillis = backoffMax.toMillis();
                    LOG.error("cascade: the county at {} refused this node as '{}': {}", ctx.channel().remoteAddress(),
                            upstream.peer(), f.reason());
                    ctx.close();
                }
                default -> {
                    metrics.refused(PEER, "bad-frame");
                    LOG.warn("cascade: unexpected {} from the county before WELCOME, closing", f);
                    ctx.close();
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (mine != null) {
                mine.close();
                session = null;
                metrics.connected(PEER, false);
                LOG.warn("cascade: link to the county closed; {} messages queued", store.depth(PEER));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warn("cascade: link to the county failed, closing: {}", cause.toString());
            ctx.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        LinkSession s = session;
        if (s != null) {
            s.close();
        }
    }
}
