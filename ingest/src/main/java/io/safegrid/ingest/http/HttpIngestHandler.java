package io.safegrid.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.safegrid.ingest.directory.DeviceDirectory;
import io.safegrid.ingest.guard.Logins;
import io.safegrid.ingest.intake.ReadingIntake;
import io.safegrid.ingest.json.PayloadException;
import io.safegrid.ingest.json.ReadingPayloads;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.reading.Reading;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code POST /api/v1/readings} with {@code Authorization: Bearer <device secret>} and a body
 * {@code {"deviceId": "...", "readings": [...]}} (or {@code "value"} for one reading). Answers
 * 202 {@code {"accepted": n}} once the readings are on the bus; errors are JSON with a reason:
 * 400 bad JSON or payload, 401 bad token, 404/405 wrong path or method, 413 too large, 429 over
 * the device's rate (with Retry-After).
 */
public final class HttpIngestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    public static final String PROTOCOL = "http";
    public static final String PATH = "/api/v1/readings";
    /** When a device refused for a full disk should try again: the disk is looked at several times a second. */
    static final String RETRY_AFTER_SECONDS = "5";

    private final Supplier<DeviceDirectory> directory;
    private final ReadingIntake intake;
    private final Clock clock;
    private final int maxPayloadBytes;

    public HttpIngestHandler(Supplier<DeviceDirectory> directory, ReadingIntake intake, Clock clock) {
        this(directory, intake, clock, Integer.MAX_VALUE);
    }

    /** {@code maxPayloadBytes}: for when the aggregator in front allows more (snapshot uploads share it). */
    public HttpIngestHandler(Supplier<DeviceDirectory> directory, ReadingIntake intake, Clock clock, int maxPayloadBytes) {
        this.directory = directory;
        this.intake = intake;
        this.clock = clock;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (req.decoderResult().isFailure()) {
            fail(ctx, HttpResponseStatus.BAD_REQUEST, "bad-request", "malformed HTTP request", false);
            return;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        if (!path.equals(PATH)) {
            fail(ctx, HttpResponseStatus.NOT_FOUND, "not-found", "no endpoint " + path + "; POST " + PATH, keepAlive);
            return;
        }
        if (!req.method().equals(HttpMethod.POST)) {
            fail(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "method", "use POST", keepAlive, "Allow", "POST");
            return;
        }
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            fail(ctx, HttpResponseStatus.UNAUTHORIZED, "unauthorized", "Authorization: Bearer <device secret> required",
                    keepAlive, "WWW-Authenticate", "Bearer");
            return;
        }
        if (req.content().readableBytes() > maxPayloadBytes) {
            fail(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too-large", "request body over " + maxPayloadBytes + " bytes",
                    false);
            return;
        }
        JsonNode body;
        try {
            body = ReadingPayloads.parseTree(ByteBufUtil.getBytes(req.content()));
        } catch (PayloadException e) {
            fail(ctx, HttpResponseStatus.BAD_REQUEST, e.reason(), e.getMessage(), keepAlive);
            return;
        }
        JsonNode id = body.isObject() ? body.get("deviceId") : null;
        if (id == null || !id.isTextual()) {
            fail(ctx, HttpResponseStatus.BAD_REQUEST, "bad-payload", "body must be an object with \"deviceId\"", keepAlive);
            return;
        }
        String deviceId = id.asText();
        DeviceDirectory dir = directory.get();
        if (!dir.authenticates(deviceId, auth.substring(7).trim())) {
            Logins.failed(ctx.channel(), deviceId);
            fail(ctx, HttpResponseStatus.UNAUTHORIZED, "unauthorized", "unknown device or wrong token", keepAlive,
                    "WWW-Authenticate", "Bearer");
            return;
        }
        Logins.succeeded(ctx.channel(), deviceId);
        Sensor sensor = dir.sensor(deviceId).orElseThrow();
        List<Reading> readings;
        try {
            readings = ReadingPayloads.readings(body, sensor, clock.instant());
            intake.check(readings);
        } catch (PayloadException e) {
            HttpResponseStatus st = e.reason().equals("batch-too-large") ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
            fail(ctx, st, e.reason(), e.getMessage(), keepAlive);
            return;
        }
        if (!intake.admit(deviceId, readings.size())) {
            fail(ctx, HttpResponseStatus.TOO_MANY_REQUESTS, "rate-limited",
                    readings.size() + " readings over the device's readings/s limit", keepAlive, "Retry-After", "1");
            return;
        }
        int n = readings.size();
        intake.publish(ctx.channel(), PROTOCOL, deviceId, readings,
                () -> JsonResponses.send(ctx, HttpResponseStatus.ACCEPTED, JsonResponses.accepted(n), keepAlive),
                // judged but not kept (a full disk): the device sends the request again later
                refusal -> JsonResponses.send(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE,
                        JsonResponses.error(refusal.reason(), refusal.detail()), keepAlive, "Retry-After", RETRY_AFTER_SECONDS));
    }

    private void fail(ChannelHandlerContext ctx, HttpResponseStatus status, String reason, String message, boolean keepAlive,
                      String... headers) {
        intake.metrics().rejected(PROTOCOL, reason, ctx.channel().remoteAddress(), message);
        intake.reply(ctx.channel(), PROTOCOL,
                () -> JsonResponses.send(ctx, status, JsonResponses.error(reason, message), keepAlive, headers));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // counted, and logged through the rejection log's limit: a client can make these at will
        intake.metrics().rejected(PROTOCOL, "connection-error", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
