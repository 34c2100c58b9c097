package io.safegrid.ingest.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.safegrid.config.IngestLimits;
import io.safegrid.ingest.camera.SnapshotIntake;
import io.safegrid.ingest.directory.DeviceDirectory;
import io.safegrid.ingest.guard.BodyBudget;
import io.safegrid.ingest.guard.ListenerGuard;
import io.safegrid.ingest.guard.Logins;
import io.safegrid.ingest.intake.ReadingIntake;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judges each request on its head, before any of its body is held: a bad or over-limit
 * Content-Length, a token that is no device's (readings) or not the camera's (snapshots), and too
 * many failed logins are answered at once and the body is never read. While the body streams in it
 * enforces the path's limit on chunked bodies too (the reading limit everywhere but the snapshot
 * path), the node's {@link BodyBudget} (503 when spent) and a deadline for the whole request (408).
 * Sits between the HTTP codec and the aggregator.
 */
final class HttpRequestGuard extends ChannelInboundHandlerAdapter {
    private static final Pattern SNAPSHOT_PATH = Pattern.compile("/cameras/([^/]+)/snapshots");

    private final Supplier<IngestLimits> limits;
    private final int maxPayloadBytes;
    private final int maxSnapshotBytes;
    private final Supplier<DeviceDirectory> directory;
    private final SnapshotIntake snapshots;
    private final ReadingIntake intake;
    private final BodyBudget budget;

    private boolean discarding;
    private boolean inRequest;
    private String protocol = HttpIngestHandler.PROTOCOL;
    private long limit;
    private long received;
    private long taken;
    private ScheduledFuture<?> deadline;

    /** @param snapshots the snapshot intake, or null when this port takes no snapshots */
    HttpRequestGuard(Supplier<IngestLimits> limits, int maxPayloadBytes, int maxSnapshotBytes,
                     Supplier<DeviceDirectory> directory, SnapshotIntake snapshots, ReadingIntake intake, BodyBudget budget) {
        this.limits = limits;
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxSnapshotBytes = maxSnapshotBytes;
        this.directory = directory;
        this.snapshots = snapshots;
        this.intake = intake;
        this.budget = budget;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (discarding) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req && !head(ctx, req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpContent c) {
            long n = c.content().readableBytes();
            received += n;
            if (received > limit) {
                c.release();
                refuse(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too-large", "request body over " + limit + " bytes");
                return;
            }
            if (n > 0 && !budget.tryTake(n)) {
                c.release();
                refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "busy", "too many request bodies in flight; try again",
                        "Retry-After", "1");
                return;
            }
            taken += n;
            if (c instanceof LastHttpContent) {
                endRequest();
                try {
                    ctx.fireChannelRead(msg);
                } finally {
                    giveBack();   // the request has been handled: its body is copied or released
                }
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Checks a request's head; false when it was refused (and the connection is ending). */
    private boolean head(ChannelHandlerContext ctx, HttpRequest req) {
        if (req.decoderResult().isFailure()) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad-request", "malformed HTTP request: "
                    + req.decoderResult().cause().getMessage());
            return false;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        Matcher snapshot = snapshots == null ? null : SNAPSHOT_PATH.matcher(path);
        boolean isSnapshot = snapshot != null && snapshot.matches();
        protocol = isSnapshot ? SnapshotUploadHandler.PROTOCOL : HttpIngestHandler.PROTOCOL;
        limit = isSnapshot ? maxSnapshotBytes : maxPayloadBytes;
        received = 0;
        String length = req.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        long declared = 0;
        if (length != null) {
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared < 0 || req.headers().getAll(HttpHeaderNames.CONTENT_LENGTH).size() > 1) {
                refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad-content-length", "Content-Length is not one whole number");
                return false;
            }
        }
        // who it is first: a stranger learns nothing, not even the limits
        if (req.method().equals(HttpMethod.POST) && (isSnapshot || path.equals(HttpIngestHandler.PATH))
                && !authorised(ctx, req, isSnapshot ? QueryStringDecoder.decodeComponent(snapshot.group(1)) : null)) {
            return false;
        }
        if (declared > limit) {
            refuse(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too-large", "request body over " + limit + " bytes");
            return false;
        }
        inRequest = true;
        long timeout = limits.get().httpRequestTimeout().toMillis();
        deadline = ctx.executor().schedule(() -> timedOut(ctx), timeout, TimeUnit.MILLISECONDS);
        return true;
    }

    /** The token, checked before the body: a device's secret for readings, the camera's for its snapshots. */
    private boolean authorised(ChannelHandlerContext ctx, HttpRequest req, String cameraId) {
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        String what = cameraId == null ? "device secret" : "camera secret";
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            refuse(ctx, HttpResponseStatus.UNAUTHORIZED, "unauthorized", "Authorization: Bearer <" + what + "> required",
                    "WWW-Authenticate", "Bearer");
            return false;
        }
        if (!Logins.allowed(ctx.channel(), cameraId)) {
            refuse(ctx, HttpResponseStatus.TOO_MANY_REQUESTS, "throttled", "too many failed logins; try again later",
                    "Retry-After", "60");
            return false;
        }
        String token = auth.substring(7).trim();
        if (cameraId == null) {
            if (!directory.get().knowsSecret(token)) {
                Logins.failed(ctx.channel(), null);
                refuse(ctx, HttpResponseStatus.UNAUTHORIZED, "unauthorized", "unknown device or wrong token",
                        "WWW-Authenticate", "Bearer");
                return false;
            }
            ListenerGuard.authenticated(ctx.channel());   // which device it is, the body says; the handler checks
            return true;
        }
        SnapshotIntake.Result refused = snapshots.authorise(cameraId, token);
        if (refused != null) {
            if (refused.status() == 401 || refused.status() == 404) {
                Logins.failed(ctx.channel(), cameraId);
            }
            refuse(ctx, HttpResponseStatus.valueOf(refused.status()), refused.reason(), refused.message(),
                    refused.status() == 401 ? new String[] {"WWW-Authenticate", "Bearer"} : new String[0]);
            return false;
        }
        Logins.succeeded(ctx.channel(), cameraId);
        return true;
    }

    private void timedOut(ChannelHandlerContext ctx) {
        if (inRequest && !discarding) {
            refuse(ctx, HttpResponseStatus.REQUEST_TIMEOUT, "request-timeout",
                    "request not complete within " + limits.get().httpRequestTimeout().toSeconds() + " s");
        }
    }

    /** Answers, reads nothing more, and ends the connection once the answer is out. */
    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String reason, String message,
                        String... headers) {
        discarding = true;
        endRequest();
        giveBack();
        intake.metrics().rejected(protocol, reason, ctx.channel().remoteAddress(), message);
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = HttpHeaderNames.CONNECTION.toString();
        all[headers.length + 1] = HttpHeaderValues.CLOSE.toString();
        intake.reply(ctx.channel(), protocol, () -> JsonResponses.send(ctx, status, JsonResponses.error(reason, message),
                true, all).addListener(f -> LimitedAggregator.endAfterResponse(ctx)));
    }

    private void endRequest() {
        inRequest = false;
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void giveBack() {
        if (taken > 0) {
            budget.give(taken);
            taken = 0;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        endRequest();
        giveBack();
        super.channelInactive(ctx);
    }
}
