package io.safegrid.cascade.link;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.safegrid.cascade.store.LinkStore;
import io.safegrid.config.CascadeConfig;
import io.safegrid.config.auth.PasswordHash;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The county's end: accepts enterprise links, checks each peer's token against the PBKDF2 hash in
 * config (read at every handshake, so a reloaded peer list applies to the next connection), and
 * runs one {@link LinkSession} per peer — a new connection from the same peer replaces the old one,
 * which is what a reconnect after a half-open socket looks like.
 */
public final class LinkServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LinkServer.class);
    private static final int HELLO_TIMEOUT_SECONDS = 10;
    /** Links not yet authenticated, in all and from one address (an enterprise links once; NAT may share an address). */
    static final int MAX_HANDSHAKES = 256;
    static final int MAX_HANDSHAKES_PER_ADDRESS = 16;
    /** HELLOs waiting for their PBKDF2 check (~0.2 s each); more are refused rather than queued without bound. */
    static final int MAX_VERIFY_QUEUE = 32;

    private final Supplier<CascadeConfig> config;
    private final LinkStore store;
    private final Applier applier;
    private final LinkMetrics metrics;
    private final Map<String, LinkSession> sessions = new ConcurrentHashMap<>();
    /** The SHA-256 of a token that already passed PBKDF2 against a hash, so reconnects do not pay 200 ms of CPU each. */
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    private final ExecutorService verifier = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(MAX_VERIFY_QUEUE), r -> {
                Thread t = new Thread(r, "cascade-verify");
                t.setDaemon(true);
                return t;
            });
    private final HandshakeLimit handshakes;
    private Channel server;

    public LinkServer(Supplier<CascadeConfig> config, LinkStore store, Applier applier, LinkMetrics metrics) {
        this.config = config;
        this.store = store;
        this.applier = applier;
        this.metrics = metrics;
        this.handshakes = new HandshakeLimit(MAX_HANDSHAKES, MAX_HANDSHAKES_PER_ADDRESS, metrics);
    }

    /** Connections that have not authenticated yet. */
    int pendingHandshakes() { return handshakes.pending(); }

    /** Binds; port 0 picks a free one (see {@link #port()}). Over TLS when the config has a certificate. */
    public void start(EventLoopGroup group, String bindAddress, int port) throws InterruptedException {
        CascadeConfig.ServerTls tlsConfig = config.get().tls();
        SslContext tls = tlsConfig == null ? null : LinkTls.server(tlsConfig);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(HandshakeLimit.NAME, handshakes.handler());
                        if (tls != null) {
                            // a handshake that fails (a plain client, a bad certificate) closes the connection
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                            ch.pipeline().addLast("tls-failures", new HandshakeLog(metrics, "unknown"));
                        }
                        // also bounds a handshake that never completes: until it does, nothing is read
                        ch.pipeline().addLast("hello-timeout", new ReadTimeoutHandler(HELLO_TIMEOUT_SECONDS));
                        Wire.install(ch.pipeline());
                        ch.pipeline().addLast(new PeerHandler());
                    }
                })
                .bind(new InetSocketAddress(bindAddress, port)).sync().channel();
        LOG.info("cascade: listening for enterprise links on {}{}", server.localAddress(),
                tls == null ? " (plain TCP)" : " over TLS with " + tlsConfig.cert());
    }

    public int port() {
        return server == null ? -1 : ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Something new is queued for the peer; sent at once when its link is up, else when it reconnects. */
    public void wake(String peer) {
        LinkSession s = sessions.get(peer);
        if (s != null) {
            s.wake();
        }
    }

    public boolean isConnected(String peer) {
        return sessions.containsKey(peer);
    }

    private final class PeerHandler extends SimpleChannelInboundHandler<Frame> {
        private volatile LinkSession session;
        private boolean helloSeen;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
            LinkSession s = session;
            if (s != null) {
                s.onFrame(f);
                return;
            }
            if (helloSeen) {
                return; // frames before our WELCOME are a protocol error, but the verdict is already on its way
            }
            if (f.type() != Frame.Type.HELLO || f.peer() == null || f.token() == null) {
                deny(ctx, "unknown", "bad-frame", "expected HELLO with peer and token first, got " + f);
                return;
            }
            helloSeen = true;
            try {
                verifier.execute(() -> verify(ctx, f));
            } catch (RejectedExecutionException busy) {
                if (!verifier.isShutdown()) {
                    metrics.refused(f.peer(), "busy");
                }
                ctx.close();
            }
        }

        private void verify(ChannelHandlerContext ctx, Frame hello) {
            Optional<CascadeConfig.Peer> peer = config.get().peer(hello.peer());
            if (peer.isEmpty()) {
                deny(ctx, "unknown", "auth", "unknown peer '" + hello.peer() + "'");
                return;
            }
            if (!tokenMatches(peer.get(), hello.token())) {
                deny(ctx, peer.get().id(), "auth", "wrong token for peer '" + hello.peer() + "'");
                return;
            }
            String id = peer.get().id();
            ctx.executor().execute(() -> accept(ctx, id, hello.last() == null ? 0 : hello.last()));
        }

        private void accept(ChannelHandlerContext ctx, String id, long peerApplied) {
            if (!ctx.channel().isActive()) {
                return;
            }
            long ourApplied;
            try {
                ourApplied = store.lastApplied(id);
            } catch (java.sql.SQLException e) {
                LOG.error("cascade {}: cannot read the link store, refusing the link for now", id, e);
                ctx.close();
                return;
            }
            ctx.pipeline().remove("hello-timeout");
            ctx.pipeline().remove(HandshakeLimit.NAME);
            LinkSession s = new LinkSession(ctx.channel(), id, store, applier, metrics);
            LinkSession old = sessions.put(id, s);
            if (old != null) {
                LOG.warn("cascade {}: new link from {} replaces the one from {}", id, ctx.channel().remoteAddress(),
                        old.channel().remoteAddress());
                old.close();
            }
            session = s;
            metrics.queue(id, store);
            metrics.connected(id, true);
            ctx.writeAndFlush(Frame.welcome(ourApplied));
            LOG.info("cascade {}: enterprise link from {} authenticated; county has applied up to {}", id,
                    ctx.channel().remoteAddress(), ourApplied);
            s.start(peerApplied);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            LinkSession s = session;
            if (s != null) {
                s.close();
                if (sessions.remove(s.peer(), s)) {
                    metrics.connected(s.peer(), false);
                    LOG.warn("cascade {}: enterprise link from {} closed", s.peer(), ctx.channel().remoteAddress());
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LinkSession s = session;
            String who = s == null ? String.valueOf(ctx.channel().remoteAddress()) : s.peer();
            if (cause instanceof io.netty.handler.timeout.ReadTimeoutException) {
                LOG.warn("cascade: {} sent no HELLO within {} s, closing", who, HELLO_TIMEOUT_SECONDS);
            } else {
                metrics.refused(s == null ? "unknown" : s.peer(), "bad-frame");
                LOG.warn("cascade: link from {} failed, closing: {}", who, cause.toString());
            }
            ctx.close();
        }
    }

    private void deny(ChannelHandlerContext ctx, String peer, String reason, String detail) {
        metrics.refused(peer, reason);
        LOG.error("cascade: link from {} refused: {}", ctx.channel().remoteAddress(), detail);
        ctx.writeAndFlush(Frame.denied(reason.equals("auth") ? "authentication failed" : detail))
                .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
    }

    private boolean tokenMatches(CascadeConfig.Peer peer, String token) {
        byte[] digest = sha256(peer.tokenHash() + "\n" + token);
        byte[] known = verified.get(peer.id());
        if (known != null && MessageDigest.isEqual(known, digest)) {
            return true;
        }
        if (PasswordHash.verify(token.toCharArray(), peer.tokenHash())) {
            verified.put(peer.id(), digest);
            return true;
        }
        return false;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        sessions.values().forEach(LinkSession::close);
        sessions.clear();
        verifier.shutdownNow();
    }
}
