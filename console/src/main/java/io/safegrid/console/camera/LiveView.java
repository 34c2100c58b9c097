package io.safegrid.console.camera;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.safegrid.config.ConfigSource;
import io.safegrid.console.http.Request;
import io.safegrid.console.session.Auth;
import io.safegrid.console.session.Principal;
import io.safegrid.console.session.Sessions;
import io.safegrid.model.device.Camera;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.video.VideoFrame;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/cameras/{id}/live.mjpeg}: a camera's live picture as
 * {@code multipart/x-mixed-replace} (what an {@code <img>} plays), with its zones and recent
 * detections drawn on. Needs the session cookie; a camera outside the user's grid scope is 404,
 * like every other object there. One thread renders at most {@link #fps} pictures a second per
 * watched camera, only when there is a new frame or the overlay changed, and shares each picture
 * among that camera's viewers; a viewer that cannot keep up skips pictures instead of queueing them.
 * The session and scope are checked again on every tick, so a logout or config change ends the stream.
 */
public final class LiveView implements AutoCloseable {
    public static final String BOUNDARY = "safegridframe";
    private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);
    private static final Pattern PATH = Pattern.compile("/api/v1/cameras/([^/]+)/live\\.mjpeg");
    /** Without frames, the placeholder is sent again this often (so a late viewer sees something). */
    private static final long PLACEHOLDER_EVERY_NANOS = 2_000_000_000L;

    private final ConfigSource config;
    private final Sessions sessions;
    private final LiveFrames frames;
    private final double fps;
    private final DateTimeFormatter time;
    private final Map<Channel, Viewer> viewers = new ConcurrentHashMap<>();
    private final Map<String, Rendered> rendered = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "console-live-view");
        t.setDaemon(true);
        return t;
    });
    private final Counter sent;
    private final Counter skipped;
    private final Counter refused;
    private final Timer render;

    private record Viewer(String cameraId, String token, String user, Channel channel, long[] lastSent) {
    }

    /** The latest picture of a camera and what it was made from. */
    private record Rendered(long version, byte[] part, long madeNanos) {
    }

    public LiveView(ConfigSource config, Sessions sessions, LiveFrames frames, MeterRegistry registry, double fps, ZoneId zone) {
        this.config = config;
        this.sessions = sessions;
        this.frames = frames;
        this.fps = fps;
        this.time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
        this.sent = Counter.builder("safegrid.console.video.frames.sent").description("live-view pictures written to viewers")
                .register(registry);
        this.skipped = Counter.builder("safegrid.console.video.frames.skipped")
                .description("live-view pictures skipped for a viewer that did not keep up").register(registry);
        this.refused = Counter.builder("safegrid.console.video.refused").description("live-view requests refused")
                .register(registry);
        this.render = Timer.builder("safegrid.console.video.render").description("overlay drawing and JPEG encoding")
                .register(registry);
        registry.gauge("safegrid.console.video.viewers", viewers, Map::size);
        long period = Math.max(50, Math.round(1000 / fps));
        ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /** Adds the live-view handler to a console connection (after aggregation, before routing). */
    public void extend(ChannelPipeline p) {
        p.addLast(new Open());
    }

    public int viewers() { return viewers.size(); }

    /** Whether someone watches this camera now. */
    public boolean watching(String cameraId) {
        return viewers.values().stream().anyMatch(v -> v.cameraId().equals(cameraId));
    }

    private final class Open extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FullHttpRequest req)) {
                ctx.fireChannelRead(msg);
                return;
            }
            Matcher m = PATH.matcher(new QueryStringDecoder(req.uri()).path());
            if (!m.matches()) {
                ctx.fireChannelRead(msg);
                return;
            }
            try {
                open(ctx, req, QueryStringDecoder.decodeComponent(m.group(1)));
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    private void open(ChannelHandlerContext ctx, FullHttpRequest req, String cameraId) {
        if (!req.method().equals(HttpMethod.GET)) {
            refuse(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET");
            return;
        }
        String token = Request.cookie(req.headers().get(HttpHeaderNames.COOKIE), Auth.COOKIE);
        Optional<Principal> user = sessions.use(token);
        if (user.isEmpty()) {
            refuse(ctx, req, HttpResponseStatus.UNAUTHORIZED, "not logged in or session expired");
            return;
        }
        Camera camera = config.current().camera(cameraId).filter(c -> user.get().sees(c.site())).orElse(null);
        if (camera == null) {
            LOG.info("live view of {} refused to {}: not in their scope or no such camera", cameraId, user.get().name());
            refuse(ctx, req, HttpResponseStatus.NOT_FOUND, "no such camera in your scope: " + cameraId);
            return;
        }
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "multipart/x-mixed-replace; boundary=" + BOUNDARY);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store");
        res.headers().set(HttpHeaderNames.PRAGMA, "no-cache");
        io.safegrid.console.http.SecurityHeaders.apply(res.headers());
        HttpUtil.setTransferEncodingChunked(res, true);
        Channel ch = ctx.channel();
        ctx.writeAndFlush(res);
        Viewer v = new Viewer(cameraId, token, user.get().name(), ch, new long[] {-1, 0});
        frames.watch(cameraId);
        viewers.put(ch, v);
        ch.closeFuture().addListener(f -> {
            if (viewers.remove(ch) != null) {
                frames.unwatch(cameraId);
                LOG.info("live view of {} closed for {}", cameraId, v.user());
            }
        });
        LOG.info("live view of {} opened for {} from {}", cameraId, v.user(), ch.remoteAddress());
        ticker.execute(this::tick);   // the first picture now, not a tick later
    }

    /** One round over all viewers: render what changed, send what each has not seen. */
    private synchronized void tick() {
        try {
            long now = System.nanoTime();
            for (Viewer v : viewers.values()) {
                Camera camera = stillAllowed(v);
                if (camera == null) {
                    v.channel().close();
                    continue;
                }
                Rendered r = picture(camera, now);
                boolean placeholderDue = r.version() < 0 && now - v.lastSent()[1] >= PLACEHOLDER_EVERY_NANOS;
                if (r.version() == v.lastSent()[0] && !placeholderDue) {
                    continue;
                }
                if (!v.channel().isWritable()) {
                    skipped.increment();
                    continue;
                }
                v.lastSent()[0] = r.version();
                v.lastSent()[1] = now;
                v.channel().writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(r.part())));
                sent.increment();
            }
        } catch (RuntimeException e) {
            LOG.warn("live view round failed", e);
        }
    }

    /** The camera if the viewer's session is live and the camera still in their scope; else null. */
    private Camera stillAllowed(Viewer v) {
        if (!sessions.valid(v.token())) {
            LOG.info("live view of {} ended for {}: session ended", v.cameraId(), v.user());
            return null;
        }
        Optional<Principal> p = sessions.principal(v.user());
        return config.current().camera(v.cameraId()).filter(c -> p.isPresent() && p.get().sees(c.site())).orElse(null);
    }

    /** The camera's current picture, rendered once per change for all its viewers; version -1 is the placeholder. */
    private Rendered picture(Camera camera, long now) {
        VideoFrame f = frames.latest(camera.id());
        List<Finding> dets = frames.recentDetections(camera.id());
        long version = f == null ? -1 : f.sequence() * 31 + dets.hashCode();
        Rendered old = rendered.get(camera.id());
        if (old != null && old.version() == version && (version >= 0 || now - old.madeNanos() < PLACEHOLDER_EVERY_NANOS)) {
            return old;
        }
        long t0 = System.nanoTime();
        byte[] jpeg = f == null ? Overlay.placeholder(camera, "WAITING FOR VIDEO")
                : Overlay.render(f, camera, dets, camera.id() + "  " + time.format(f.time()));
        render.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        Rendered r = new Rendered(version, part(jpeg), now);
        rendered.put(camera.id(), r);
        return r;
    }

    private static byte[] part(byte[] jpeg) {
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + jpeg.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(jpeg, 0, out, head.length, jpeg.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String why) {
        refused.increment();
        byte[] body = ("{\"error\":\"" + why.replace("\"", "'") + "\",\"status\":" + status.code() + "}")
                .getBytes(StandardCharsets.UTF_8);
        DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        io.safegrid.console.http.SecurityHeaders.apply(res.headers());
        // the request was read whole, so the connection stays usable (clients pool it)
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        var written = ctx.writeAndFlush(res);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        viewers.keySet().forEach(Channel::close);
    }
}
