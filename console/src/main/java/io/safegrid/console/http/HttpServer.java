package io.safegrid.console.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP listener on Netty. Handlers run on a small worker pool, not on the event
 * loop, because some of them read from the alarm database.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** Largest request body: a 4,000-character note is under 12 KiB of JSON; nothing the console takes is larger. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** Bodies over {@link #MAX_REQUEST_BYTES} (uploads on routes that allow them) gathered at once in all. */
    public static final int LARGE_BODIES_AT_ONCE = 4;
    /** What any route may allow at most ({@link Router#bodyLimit}): the gatherer's own bound. */
    static final int MAX_ANY_BODY = 128 << 20;
    /** Default connection caps: a busy office behind one NAT address stays well below the first. */
    public static final int MAX_CONNECTIONS_PER_ADDRESS = 256;
    public static final int MAX_CONNECTIONS = 4096;

    private final Router router;
    private final MeterRegistry registry;
    private final java.util.function.Consumer<io.netty.channel.ChannelPipeline> extension;
    private final OwnRequests own;
    private final ConnectionDeadlines deadlines;
    private final ConnectionCaps caps;
    private final java.util.concurrent.Semaphore largeBodies = new java.util.concurrent.Semaphore(LARGE_BODIES_AT_ONCE);
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private EventExecutorGroup handlers;
    private Channel channel;

    public HttpServer(Router router, MeterRegistry registry) {
        this(router, registry, new OwnOrigin(() -> null), Duration.ofSeconds(30), Duration.ofMinutes(2),
                MAX_CONNECTIONS_PER_ADDRESS, MAX_CONNECTIONS, p -> { });
    }

    /**
     * @param origins         what counts as the console's own origin for changing requests
     * @param requestDeadline a request must arrive whole within this of its first byte
     * @param idleDeadline    a kept-alive connection may sit idle this long between requests
     * @param perAddress      most connections held from one client address
     * @param maxConnections  most connections held in all
     * @param extension       adds handlers (the WebSocket upgrade) after request aggregation, before routing
     */
    public HttpServer(Router router, MeterRegistry registry, OwnOrigin origins, Duration requestDeadline,
                      Duration idleDeadline, int perAddress, int maxConnections,
                      java.util.function.Consumer<io.netty.channel.ChannelPipeline> extension) {
        this.router = router;
        this.registry = registry;
        this.extension = extension;
        this.own = new OwnRequests(origins, registry);
        this.deadlines = new ConnectionDeadlines(requestDeadline, idleDeadline, registry);
        this.caps = new ConnectionCaps(perAddress, maxConnections, registry);
    }

    /** Binds and returns the bound port (useful when asked for port 0). */
    public int start(String bindAddress, int port) throws InterruptedException {
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        handlers = new DefaultEventExecutorGroup(4);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(caps)
                                .addLast(deadlines.front())
                                .addLast(new HttpServerCodec())
                                .addLast(deadlines.back())
                                .addLast(new HttpServerKeepAliveHandler())
                                .addLast(new BodyLimits(router, largeBodies, registry))
                                .addLast(new HttpObjectAggregator(MAX_ANY_BODY));
                        extension.accept(ch.pipeline());
                        ch.pipeline().addLast(handlers, new Dispatch());
                    }
                });
        channel = b.bind(bindAddress, port).sync().channel();
        int bound = ((InetSocketAddress) channel.localAddress()).getPort();
        LOG.info("console HTTP listening on {}:{}", bindAddress, bound);
        return bound;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (boss != null) {
            // connections close on the worker loops, whose last events still pass through the handler
            // pool: stop the loops first, then the pool, or those events meet a terminated executor
            boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
            handlers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private final class Dispatch extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            Timer.Sample sample = Timer.start(registry);
            String peer = String.valueOf(ctx.channel().remoteAddress());
            Response res;
            // labels come from route templates only: a path a client makes up must not add a series
            String route = "unmatched";
            if (!req.decoderResult().isSuccess()) {
                res = error(400, "malformed HTTP request");
            } else {
                boolean[] known = {false};
                String path = new io.netty.handler.codec.http.QueryStringDecoder(req.uri()).path();
                Router.Match m = router.match(req.method(), path, known);
                if (m == null) {
                    res = known[0] ? error(405, "method " + req.method() + " not allowed on " + path)
                            : error(404, "no such resource: " + path);
                } else {
                    route = m.template();
                    try {
                        own.check(req.method(), path, req.headers(), peer);
                        res = m.handler().handle(Request.of(req, m.params(), peer));
                    } catch (HttpError e) {
                        res = error(e.status(), e.key(), e.getMessage());
                    } catch (Exception e) {
                        res = failed(req, peer, e);
                    }
                }
            }
            if (res.status() >= 400) {
                Counter.builder("safegrid.console.errors").tag("status", String.valueOf(res.status()))
                        .register(registry).increment();
            }
            sample.stop(Timer.builder("safegrid.console.requests").tag("route", route)
                    .tag("status", String.valueOf(res.status())).register(registry));
            write(ctx, req, res);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                LOG.warn("request from {} too large: {}", ctx.channel().remoteAddress(), cause.getMessage());
            } else {
                LOG.warn("console connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            }
            ctx.close();
        }
    }

    /** What went wrong stays in the log; the client learns only what it can do about it. */
    private static Response failed(FullHttpRequest req, String peer, Exception e) {
        if (StoreFailure.in(e)) {
            LOG.error("console request {} {} from {}: the alarm store failed", req.method(), req.uri(), peer, e);
            return error(503, "storeUnavailable", "the alarm store cannot be reached right now; nothing was changed, try again");
        }
        LOG.error("console request {} {} from {} failed", req.method(), req.uri(), peer, e);
        return error(500, "internal", "internal error: " + e.getClass().getSimpleName());
    }

    public static Response error(int status, String message) {
        return error(status, null, message);
    }

    /** The JSON error every refusal is answered with: {@code {"error": …, "key": …, "status": …}}. */
    public static Response error(int status, String key, String message) {
        return Response.json(status, "{\"error\":" + Json.quote(message)
                + (key == null ? "" : ",\"key\":" + Json.quote(key)) + ",\"status\":" + status + "}");
    }

    private static void write(ChannelHandlerContext ctx, FullHttpRequest req, Response res) {
        byte[] body = req.method().equals(HttpMethod.HEAD) ? new byte[0] : res.body();
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(res.status()), Unpooled.wrappedBuffer(body));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, res.contentType());
        out.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.body().length);
        out.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        SecurityHeaders.apply(out.headers());
        for (Map.Entry<String, String> h : res.headers().entrySet()) {
            out.headers().set(h.getKey(), h.getValue());
        }
        HttpUtil.setKeepAlive(out, HttpUtil.isKeepAlive(req));
        ctx.writeAndFlush(out);
    }

    /** Minimal JSON string quoting for error bodies, so errors never depend on a mapper. */
    static final class Json {
        static String quote(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : (s == null ? "" : s).toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            return b.append('"').toString();
        }
    }

}
