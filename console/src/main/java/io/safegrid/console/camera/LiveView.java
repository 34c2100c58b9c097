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
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.safegrid.config.ConfigSource;
import io.safegrid.console.http.Request;
import io.safegrid.console.live.LivePush;
import io.safegrid.console.session.Auth;
import io.safegrid.console.session.Principal;
import io.safegrid.console.session.Sessions;
import io.safegrid.model.device.Camera;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.video.VideoFrame;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
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
 * Cameras' live pictures with their zones and recent detections drawn on, two ways:
 * {@code GET /api/v1/cameras/{id}/live.mjpeg} streams one camera as {@code multipart/x-mixed-replace}
 * (what an {@code <img>} plays), and the video wall's WebSocket {@code /api/v1/live/wall} carries the
 * pictures of every camera the page asks for ({@code {"watch":[ids]}}) over one connection, each a
 * binary message: one byte n, the camera id in n bytes of UTF-8, then the JPEG. Both need the session
 * cookie; a camera outside the user's grid scope is 404 (MJPEG) or ignored (wall), like every other
 * object there. One thread renders at most {@link #fps} pictures a second per watched camera, only when
 * there is a new frame or the overlay changed, and shares each picture among all that camera's viewers
 * whichever way they watch; a viewer that cannot keep up skips pictures instead of queueing them. At
 * most {@code console.wall.max-viewers} connections are served at once. The session and scope are
 * checked again on every tick, so a logout or config change ends the stream.
 */
public final class LiveView implements AutoCloseable, LivePush.SubStream {
    public static final String BOUNDARY = "safegridframe";
    private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);
    private static final Pattern PATH = Pattern.compile("/api/v1/cameras/([^/]+)/live\\.mjpeg");
    /** Without frames, the placeholder is sent again this often (so a late viewer sees something). */
    private static final long PLACEHOLDER_EVERY_NANOS = 2_000_000_000L;
    /** Most cameras one wall connection may watch (the largest wall has 16 tiles). */
    static final int MAX_WALL_CAMERAS = 16;
    /** WebSocket close code "try again later", sent with the {@code full} message. */
    static final int TRY_AGAIN_LATER = 1013;

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
    private final java.util.function.IntSupplier maxViewers;

    /**
     * One connection: an MJPEG stream of one camera or a wall socket of several. {@code cameras} maps each
     * watched camera to {version, nanos} of the last picture sent (guarded by the viewer).
     */
    private record Viewer(String token, String user, Channel channel, boolean wall, Map<String, long[]> cameras) {
        String describe() { return (wall ? "wall " : "live view of ") + cameras.keySet(); }
    }

    /** The latest picture of a camera, as an MJPEG part and as a wall message, and what it was made from. */
    private record Rendered(long version, byte[] part, byte[] wallMessage, long madeNanos) {
    }

    public LiveView(ConfigSource config, Sessions sessions, LiveFrames frames, MeterRegistry registry, double fps, ZoneId zone) {
        this.config = config;
        this.maxViewers = () -> config.current().console().wallMaxViewers();
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
        registry.gauge("safegrid.console.video.streams", viewers, v -> v.values().stream().mapToInt(x -> x.cameras().size()).sum());
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
        return viewers.values().stream().anyMatch(v -> {
            synchronized (v) {
                return v.cameras().containsKey(cameraId);
            }
        });
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
        if (full()) {
            refuse(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "videoFull", "this node serves at most "
                    + maxViewers.getAsInt() + " video viewers at once");
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
        Viewer v = new Viewer(token, user.get().name(), ch, false, new LinkedHashMap<>(Map.of(cameraId, new long[] {-1, 0})));
        frames.watch(cameraId);
        join(v);
        LOG.info("live view of {} opened for {} from {}", cameraId, v.user(), ch.remoteAddress());
    }

    private boolean full() {
        return viewers.size() >= maxViewers.getAsInt();
    }

    private void join(Viewer v) {
        Channel ch = v.channel();
        viewers.put(ch, v);
        ch.closeFuture().addListener(f -> {
            if (viewers.remove(ch) != null) {
                synchronized (v) {
                    v.cameras().keySet().forEach(frames::unwatch);
                }
                LOG.info("{} closed for {}", v.describe(), v.user());
            }
        });
        ticker.execute(this::tick);   // the first picture now, not a tick later
    }

    /** A wall socket is open (its session and origin were checked by the live push's gate). */
    @Override
    public void opened(Channel ch, String token, String user) {
        if (full()) {
            refused.increment();
            LOG.warn("video wall of {} refused: {} viewers already (console.wall.max-viewers)", user, viewers.size());
            ch.writeAndFlush(new TextWebSocketFrame("{\"type\":\"full\",\"max\":" + maxViewers.getAsInt() + "}"));
            ch.writeAndFlush(new CloseWebSocketFrame(TRY_AGAIN_LATER, "video viewers full"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        join(new Viewer(token, user, ch, true, new LinkedHashMap<>()));
        LOG.info("video wall opened for {} from {}", user, ch.remoteAddress());
    }

    /** {@code {"watch":[camera ids]}}: the wall's tiles now; cameras outside the user's scope are left out. */
    @Override
    public void text(Channel ch, String text) {
        Viewer v = viewers.get(ch);
        if (v == null) {
            return;
        }
        List<String> wanted;
        try {
            com.fasterxml.jackson.databind.JsonNode msg = WATCH_JSON.readTree(text);
            wanted = new java.util.ArrayList<>();
            msg.path("watch").forEach(id -> wanted.add(id.asText()));
        } catch (java.io.IOException e) {
            LOG.info("video wall of {}: unreadable message ignored", v.user());
            return;
        }
        Optional<Principal> p = sessions.principal(v.user());
        List<String> allowed = wanted.stream().distinct().limit(MAX_WALL_CAMERAS)
                .filter(id -> p.isPresent() && config.current().camera(id).filter(c -> p.get().sees(c.site())).isPresent())
                .toList();
        synchronized (v) {
            for (String id : List.copyOf(v.cameras().keySet())) {
                if (!allowed.contains(id)) {
                    v.cameras().remove(id);
                    frames.unwatch(id);
                }
            }
            for (String id : allowed) {
                if (v.cameras().putIfAbsent(id, new long[] {-1, 0}) == null) {
                    frames.watch(id);
                }
            }
        }
        ticker.execute(this::tick);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper WATCH_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** One round over all viewers: render what changed, send what each has not seen. */
    private synchronized void tick() {
        try {
            long now = System.nanoTime();
            for (Viewer v : viewers.values()) {
                synchronized (v) {
                    send(v, now);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("live view round failed", e);
        }
    }

    private void send(Viewer v, long now) {
        if (!sessions.valid(v.token())) {
            LOG.info("{} ended for {}: session ended", v.describe(), v.user());
            v.channel().close();
            return;
        }
        Optional<Principal> p = sessions.principal(v.user());
        for (Map.Entry<String, long[]> e : v.cameras().entrySet()) {
            Camera camera = config.current().camera(e.getKey()).filter(c -> p.isPresent() && p.get().sees(c.site())).orElse(null);
            if (camera == null) {
                LOG.info("{} ended for {}: {} left their scope", v.describe(), v.user(), e.getKey());
                v.channel().close();
                return;
            }
            long[] last = e.getValue();
            Rendered r = picture(camera, now);
            boolean placeholderDue = r.version() < 0 && now - last[1] >= PLACEHOLDER_EVERY_NANOS;
            if (r.version() == last[0] && !placeholderDue) {
                continue;
            }
            if (!v.channel().isWritable()) {
                skipped.increment();
                continue;
            }
            last[0] = r.version();
            last[1] = now;
            v.channel().writeAndFlush(v.wall() ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(r.wallMessage()))
                    : new DefaultHttpContent(Unpooled.wrappedBuffer(r.part())));
            sent.increment();
        }
    }

    /** The camera's current picture, rendered once per change for all its viewers; version -1 is the placeholder. */
    private Rendered picture(Camera camera, long now) {
        VideoFrame f = frames.latest(camera.id());
        try {
            List<Finding> dets = frames.recentDetections(camera.id());
            long version = f == null ? -1 : f.sequence() * 31 + dets.hashCode();
            Rendered old = rendered.get(camera.id());
            if (old != null && old.version() == version && (version >= 0 || now - old.madeNanos() < PLACEHOLDER_EVERY_NANOS)) {
                return old;
            }
            long t0 = System.nanoTime();
            byte[] jpeg = f == null ? LivePicture.placeholder(camera, "WAITING FOR VIDEO")
                    : LivePicture.render(f, camera, dets, camera.id() + "  " + time.format(f.time()));
            render.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            Rendered r = new Rendered(version, part(jpeg), wallMessage(camera.id(), jpeg), now);
            rendered.put(camera.id(), r);
            return r;
        } finally {
            if (f != null) {
                f.release();
            }
        }
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

    /** One byte n, the camera id in n bytes, the JPEG: how the wall tells the cameras' pictures apart. */
    static byte[] wallMessage(String cameraId, byte[] jpeg) {
        byte[] id = cameraId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 255) {
            throw new IllegalArgumentException("camera id longer than 255 bytes: " + cameraId);
        }
        byte[] out = new byte[1 + id.length + jpeg.length];
        out[0] = (byte) id.length;
        System.arraycopy(id, 0, out, 1, id.length);
        System.arraycopy(jpeg, 0, out, 1 + id.length, jpeg.length);
        return out;
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String why) {
        refuse(ctx, req, status, null, why);
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String key, String why) {
        refused.increment();
        byte[] body = ("{\"error\":\"" + why.replace("\"", "'") + "\"" + (key == null ? "" : ",\"key\":\"" + key + "\"")
                + ",\"status\":" + status.code() + "}").getBytes(StandardCharsets.UTF_8);
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
