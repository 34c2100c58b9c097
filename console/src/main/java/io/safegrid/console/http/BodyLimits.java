package io.safegrid.console.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request body's limit by route, before the body is gathered: {@link HttpServer#MAX_REQUEST_BYTES}
 * unless the route allows more ({@link Router#bodyLimit}: photo and document uploads). A body over
 * its route's limit is refused with 413 from its declared length, or as soon as more has come
 * (chunked), and the connection closed. At most {@code largeAtOnce} bodies over the default are
 * gathered at a time in the whole console (one more gets 503), so unfinished uploads hold at most
 * that many times the largest limit. One instance per connection.
 */
final class BodyLimits extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(BodyLimits.class);

    private final Router router;
    private final Semaphore large;
    private final Counter refused;
    private final Counter busy;
    private long limit;
    private long seen;
    private boolean holding;
    private boolean discarding;

    BodyLimits(Router router, Semaphore large, MeterRegistry registry) {
        this.router = router;
        this.large = large;
        refused = Counter.builder("safegrid.console.bodies.refused").tag("reason", "too-large").register(registry);
        busy = Counter.builder("safegrid.console.bodies.refused").tag("reason", "uploads-busy").register(registry);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            release();
            discarding = false;
            seen = 0;
            limit = router.bodyLimit(req.method(), new QueryStringDecoder(req.uri()).path());
            long declared;
            try {
                declared = HttpUtil.getContentLength(req, -1L);
            } catch (NumberFormatException malformed) {
                ctx.fireChannelRead(msg);   // the router answers the malformed head with 400
                return;
            }
            if (declared > limit) {
                refuse(ctx, msg, 413, "requestTooLarge", "the request body of " + declared + " bytes is over this route's "
                        + limit + "-byte limit");
                return;
            }
            if (limit > HttpServer.MAX_REQUEST_BYTES && (declared < 0 || declared > HttpServer.MAX_REQUEST_BYTES)) {
                if (!large.tryAcquire()) {
                    busy.increment();
                    refuse(ctx, msg, 503, "uploadsBusy", "too many uploads at once; try again in a moment");
                    return;
                }
                holding = true;
            }
        }
        if (discarding) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpContent c) {
            seen += c.content().readableBytes();
            if (seen > limit) {
                refuse(ctx, msg, 413, "requestTooLarge", "the request body is over this route's " + limit + "-byte limit");
                return;
            }
            if (msg instanceof LastHttpContent) {
                release();
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void refuse(ChannelHandlerContext ctx, Object msg, int status, String key, String message) {
        ReferenceCountUtil.release(msg);
        release();
        discarding = true;
        if (status == 413) {
            refused.increment();
        }
        LOG.warn("request from {} refused ({}): {}", ctx.channel().remoteAddress(), status, message);
        byte[] body = HttpServer.error(status, key, message).body();
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        out.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        SecurityHeaders.apply(out.headers());
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }

    private void release() {
        if (holding) {
            holding = false;
            large.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        release();
        super.channelInactive(ctx);
    }
}
