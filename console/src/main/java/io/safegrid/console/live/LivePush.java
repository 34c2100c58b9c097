package io.safegrid.console.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.safegrid.console.feed.FindingRoutes;
import io.safegrid.console.http.OwnOrigin;
import io.safegrid.console.http.Request;
import io.safegrid.console.http.SecurityHeaders;
import io.safegrid.console.session.Auth;
import io.safegrid.console.session.Principal;
import io.safegrid.console.session.Sessions;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.grid.GridPath;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/live}: a WebSocket per logged-in browser. Alarm events and findings from the bus
 * are pushed to each connection whose user's scope holds their site; the session is checked on
 * every push, so a logout, expiry or config change stops the stream (close 1008).
 */
public final class LivePush implements AutoCloseable {
    public static final String PATH = "/api/v1/live";
    private static final Logger LOG = LoggerFactory.getLogger(LivePush.class);
    private static final AttributeKey<String> TOKEN = AttributeKey.valueOf("safegrid.session");
    private static final AttributeKey<String> USER = AttributeKey.valueOf("safegrid.user");

    private final Sessions sessions;
    private final ObjectMapper json;
    private final OwnOrigin origins;
    private final ChannelGroup channels = new DefaultChannelGroup("console-live", GlobalEventExecutor.INSTANCE);
    private final Counter pushed;
    private final Counter refused;
    private final Counter slow;
    private final Map<String, SubStream> subStreams = new java.util.concurrent.ConcurrentHashMap<>();
    private Subscription alarms;
    private Subscription findings;

    /**
     * Another stream on a path below {@link #PATH} ({@code /api/v1/live/<name>}), behind the same session and
     * origin gate: Netty's WebSocket handshake handler serves one path prefix per connection pipeline.
     */
    public interface SubStream {
        /** The handshake is done; the channel belongs to the sub-stream from now on. */
        void opened(Channel ch, String token, String user);

        /** A text frame the browser sent on it. */
        void text(Channel ch, String text);
    }

    private static final AttributeKey<SubStream> SUB = AttributeKey.valueOf("safegrid.live.sub");

    public LivePush(Sessions sessions, ObjectMapper json, OwnOrigin origins, MeterRegistry registry) {
        this.sessions = sessions;
        this.json = json;
        this.origins = origins;
        this.pushed = registry.counter("safegrid.console.live.pushed");
        this.refused = registry.counter("safegrid.console.live.refused");
        this.slow = registry.counter("safegrid.console.live.slow");
        registry.gauge("safegrid.console.live.connections", channels, ChannelGroup::size);
    }

    public LivePush start(Bus bus) {
        alarms = bus.subscribe(Topic.ALARMS, "console-live", (k, e) -> alarm(e));
        findings = bus.subscribe(Topic.FINDINGS, "console-live", (k, f) -> finding(f));
        return this;
    }

    /** Serves {@code sub} at {@code /api/v1/live/<name>}; before the server starts. */
    public void mount(String name, SubStream sub) {
        subStreams.put(PATH + "/" + name, sub);
    }

    /** Adds the session gate and the WebSocket handshake to a connection's pipeline. */
    public void extend(ChannelPipeline p) {
        p.addLast(new Gate());
        p.addLast(new WebSocketServerProtocolHandler(PATH, null, false, 64 * 1024, false, true));
        p.addLast(new Inbound());
    }

    public void alarm(AlarmEvent e) throws Exception {
        if (e.alarm() == null) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "alarm");
        m.put("event", e);
        push(e.alarm().site(), json.writeValueAsString(m));
    }

    public void finding(Finding f) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "finding");
        m.put("finding", FindingRoutes.view(f));
        push(f.site(), json.writeValueAsString(m));
    }

    private void push(GridPath site, String text) {
        for (Channel ch : channels) {
            String token = ch.attr(TOKEN).get();
            Optional<Principal> user = sessions.valid(token) ? sessions.principal(ch.attr(USER).get()) : Optional.empty();
            if (user.isEmpty()) {
                LOG.info("closing live stream of {}: session ended", ch.attr(USER).get());
                ch.writeAndFlush(new CloseWebSocketFrame(1008, "session ended")).addListener(ChannelFutureListener.CLOSE);
                continue;
            }
            if (user.get().sees(site)) {
                if (!ch.isWritable()) {
                    // a browser that cannot keep up would grow our buffer without bound; dropping it makes
                    // the page reconnect and reload its state, which is better than silently missing events
                    slow.increment();
                    LOG.warn("closing live stream of {}: it does not keep up", ch.attr(USER).get());
                    ch.close();
                    continue;
                }
                ch.writeAndFlush(new TextWebSocketFrame(text));
                pushed.increment();
            }
        }
    }

    public int connections() { return channels.size(); }

    @Override
    public void close() {
        if (alarms != null) {
            alarms.close();
        }
        if (findings != null) {
            findings.close();
        }
        channels.close();
    }

    /** Lets the upgrade through only with a live session cookie; 401 otherwise. */
    private final class Gate extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            String path = msg instanceof FullHttpRequest r ? new QueryStringDecoder(r.uri()).path() : null;
            if (path != null && path.startsWith(PATH + "/") && !subStreams.containsKey(path)) {
                refuse(ctx, msg, HttpResponseStatus.NOT_FOUND, "no such stream");   // never handed to the handshake
                return;
            }
            if (msg instanceof FullHttpRequest req && (path.equals(PATH) || path.startsWith(PATH + "/"))) {
                if (!sameOrigin(req)) {
                    // another site's page must not open a stream with the operator's cookie
                    refuse(ctx, msg, HttpResponseStatus.FORBIDDEN, "cross-origin live stream refused");
                    LOG.warn("refused cross-origin live stream from {} (Origin {})", ctx.channel().remoteAddress(),
                            req.headers().get(HttpHeaderNames.ORIGIN));
                    return;
                }
                String token = Request.cookie(req.headers().get(HttpHeaderNames.COOKIE), Auth.COOKIE);
                Optional<Principal> user = sessions.use(token);
                if (user.isEmpty()) {
                    refuse(ctx, msg, HttpResponseStatus.UNAUTHORIZED, "not logged in or session expired");
                    return;
                }
                ctx.channel().attr(TOKEN).set(token);
                ctx.channel().attr(USER).set(user.get().name());
                ctx.channel().attr(SUB).set(subStreams.get(path));
            }
            ctx.fireChannelRead(msg);
        }

        private void refuse(ChannelHandlerContext ctx, Object msg, HttpResponseStatus status, String why) {
            refused.increment();
            ReferenceCountUtil.release(msg);
            byte[] body = ("{\"error\":\"" + why + "\",\"status\":" + status.code() + "}").getBytes(StandardCharsets.UTF_8);
            DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
            res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            SecurityHeaders.apply(res.headers());
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }

        /** No Origin (non-browser clients) is fine; a browser's Origin, "null" included, must be the console's own. */
        private boolean sameOrigin(FullHttpRequest req) {
            String origin = req.headers().get(HttpHeaderNames.ORIGIN);
            return origin == null || origins.own(origin, req.headers().get(HttpHeaderNames.HOST));
        }
    }

    /** Joins the push group once the handshake is done. The browser only listens; what it sends is dropped. */
    private final class Inbound extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            SubStream sub = ctx.channel().attr(SUB).get();
            if (sub != null && frame instanceof TextWebSocketFrame t) {
                sub.text(ctx.channel(), t.text());
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            SubStream sub = ctx.channel().attr(SUB).get();
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete && sub != null) {
                sub.opened(ctx.channel(), ctx.channel().attr(TOKEN).get(), ctx.channel().attr(USER).get());
            } else if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                channels.add(ctx.channel());
                LOG.info("live stream opened for {} from {}", ctx.channel().attr(USER).get(), ctx.channel().remoteAddress());
            }
            super.userEventTriggered(ctx, evt);
        }
    }
}
