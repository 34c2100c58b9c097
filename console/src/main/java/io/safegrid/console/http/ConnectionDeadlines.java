package io.safegrid.console.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A console connection may not hold a socket and a buffer for nothing: a request must arrive whole
 * (head and body) within {@code request} of its first byte, or of the connection opening, and a
 * kept-alive connection may sit idle between requests for at most {@code idle}. Streams the
 * console itself serves (the live WebSocket, the MJPEG live view) are exempt once they started.
 * This closes slowloris-style clients that drip a header or never finish a body.
 */
public final class ConnectionDeadlines {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionDeadlines.class);
    private static final AttributeKey<State> STATE = AttributeKey.valueOf("safegrid.console.deadline");

    private final Duration request;
    private final Duration idle;
    private final Counter slow;
    private final Counter idled;

    public ConnectionDeadlines(Duration request, Duration idle, MeterRegistry registry) {
        this.request = request;
        this.idle = idle;
        this.slow = Counter.builder("safegrid.console.connections.closed").tag("reason", "slow-request")
                .description("connections closed because a request did not arrive whole in time").register(registry);
        this.idled = Counter.builder("safegrid.console.connections.closed").tag("reason", "idle")
                .description("kept-alive connections closed after sitting idle").register(registry);
    }

    /** Goes before the HTTP codec: starts the request clock on the first bytes of a request. */
    public ChannelInboundHandlerAdapter front() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                state(ctx).arm(ctx, request, slow, "no whole request within " + request.toSeconds() + " s");
                super.channelActive(ctx);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                State s = state(ctx);
                if (msg instanceof ByteBuf && !s.inRequest && !s.streaming
                        && ctx.pipeline().get(HttpServerCodec.class) != null) {
                    s.inRequest = true;
                    s.arm(ctx, request, slow, "no whole request within " + request.toSeconds() + " s");
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                state(ctx).cancel();
                super.channelInactive(ctx);
            }
        };
    }

    /** Goes right after the HTTP codec: stops the clock when a request is whole, notices streamed answers. */
    public ChannelDuplexHandler back() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof LastHttpContent) {
                    State s = state(ctx);
                    s.inRequest = false;
                    s.arm(ctx, idle, idled, "idle for " + idle.toSeconds() + " s");
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
                if (msg instanceof HttpResponse r && !(msg instanceof FullHttpResponse)
                        && r.status().code() == 200) {
                    State s = state(ctx);
                    s.streaming = true;   // a stream the console serves (MJPEG) has no end to wait for
                    s.cancel();
                }
                super.write(ctx, msg, promise);
            }
        };
    }

    private static State state(ChannelHandlerContext ctx) {
        State s = ctx.channel().attr(STATE).get();
        if (s == null) {
            s = new State();
            ctx.channel().attr(STATE).set(s);
        }
        return s;
    }

    /** Per connection; touched only on its event loop. */
    private static final class State {
        boolean inRequest;
        boolean streaming;
        ScheduledFuture<?> timer;

        void arm(ChannelHandlerContext ctx, Duration after, Counter counter, String why) {
            cancel();
            timer = ctx.executor().schedule(() -> {
                // after a WebSocket upgrade the HTTP codec is gone: the live stream keeps its connection
                if (streaming || ctx.pipeline().get(HttpServerCodec.class) == null || !ctx.channel().isActive()) {
                    return;
                }
                counter.increment();
                LOG.debug("closing console connection from {}: {}", ctx.channel().remoteAddress(), why);
                ctx.close();
            }, after.toNanos(), TimeUnit.NANOSECONDS);
        }

        void cancel() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
    }
}
