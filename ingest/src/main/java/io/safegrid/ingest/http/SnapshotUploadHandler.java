package io.safegrid.ingest.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.safegrid.ingest.camera.SnapshotIntake;
import io.safegrid.ingest.guard.ReadPause;
import io.safegrid.ingest.intake.ReadingIntake;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /cameras/{id}/snapshots} with {@code Authorization: Bearer <camera secret>} and a JPEG
 * body ({@code Content-Type: image/jpeg}). Answers 202 {@code {"accepted": 1}} once the picture is
 * decoded and handed to the camera's feed; errors are JSON with a reason: 400 not a decodable JPEG,
 * 401 bad token, 404 unknown camera, 405 not POST, 409 not a snapshot camera, 413 too large, 415 not
 * image/jpeg, 503 decoding saturated (with Retry-After). Other paths go on to the reading endpoint.
 * The connection reads nothing more until the answer is out, so answers keep their order.
 */
final class SnapshotUploadHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String PROTOCOL = "snapshot";
    private static final Pattern PATH = Pattern.compile("/cameras/([^/]+)/snapshots");

    private final SnapshotIntake snapshots;
    private final ReadingIntake intake;

    SnapshotUploadHandler(SnapshotIntake snapshots, ReadingIntake intake) {
        super(false);   // requests for other paths are passed on, still owned
        this.snapshots = snapshots;
        this.intake = intake;
    }

    static boolean isSnapshotPath(String uri) {
        return PATH.matcher(new QueryStringDecoder(uri).path()).matches();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        Matcher m = PATH.matcher(new QueryStringDecoder(req.uri()).path());
        if (req.decoderResult().isFailure() || !m.matches()) {
            ctx.fireChannelRead(req);
            return;
        }
        try {
            handle(ctx, req, QueryStringDecoder.decodeComponent(m.group(1)));
        } finally {
            req.release();
        }
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest req, String cameraId) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!req.method().equals(HttpMethod.POST)) {
            fail(ctx, 405, "method", "use POST", keepAlive, "Allow", "POST");
            return;
        }
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            fail(ctx, 401, "unauthorized", "Authorization: Bearer <camera secret> required", keepAlive,
                    "WWW-Authenticate", "Bearer");
            return;
        }
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).strip().startsWith("image/jpeg")) {
            fail(ctx, 415, "unsupported-type", "body must be image/jpeg, got " + (type == null ? "no Content-Type" : type),
                    keepAlive);
            return;
        }
        byte[] jpeg = ByteBufUtil.getBytes(req.content());
        ReadPause.hold(ctx.channel(), ReadPause.WORK);
        snapshots.submit(cameraId, auth.substring(7).trim(), jpeg, r -> ctx.channel().eventLoop().execute(() -> {
            ReadPause.release(ctx.channel(), ReadPause.WORK);
            if (r.accepted()) {
                intake.reply(ctx.channel(), PROTOCOL, () -> JsonResponses.send(ctx, HttpResponseStatus.ACCEPTED,
                        JsonResponses.accepted(1).put("analysed", r.reason().equals("published")), keepAlive));
            } else if (r.status() == 503) {
                fail(ctx, r.status(), r.reason(), r.message(), keepAlive, "Retry-After", "1");
            } else if (r.status() == 401) {
                fail(ctx, r.status(), r.reason(), r.message(), keepAlive, "WWW-Authenticate", "Bearer");
            } else {
                fail(ctx, r.status(), r.reason(), r.message() + " (camera " + cameraId + ")", keepAlive);
            }
        }));
    }

    private void fail(ChannelHandlerContext ctx, int status, String reason, String message, boolean keepAlive,
                      String... headers) {
        intake.metrics().rejected(PROTOCOL, reason, ctx.channel().remoteAddress(), message);
        intake.reply(ctx.channel(), PROTOCOL, () -> JsonResponses.send(ctx, HttpResponseStatus.valueOf(status),
                JsonResponses.error(reason, message), keepAlive, headers));
    }
}
