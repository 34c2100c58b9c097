package io.safegrid.cascade.link;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The link's encoding: a 4-byte big-endian length, then UTF-8 JSON. Grid paths travel as strings,
 * times as ISO-8601; unknown fields are ignored so that either end can be upgraded first.
 */
public final class Wire {
    /** A finding with a JPEG snapshot is the largest message; 16 MiB leaves a wide margin. */
    public static final int MAX_FRAME = 16 << 20;
    /** The largest message body the forwarder queues, leaving room for the frame around it. */
    public static final int MAX_MESSAGE = MAX_FRAME - 4096;
    /** With nothing to say for this long, a side sends a PING; with nothing heard for 3x, it hangs up. */
    public static final int PING_SECONDS = 10;

    public static final ObjectMapper JSON = mapper();

    private Wire() {
    }

    private static ObjectMapper mapper() {
        return new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /** Adds framing, JSON and keep-alive to a fresh channel's pipeline. */
    public static void install(ChannelPipeline p) {
        p.addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4));
        p.addLast(new LengthFieldPrepender(4));
        p.addLast(new Codec());
        p.addLast(new IdleStateHandler(PING_SECONDS * 3, PING_SECONDS, 0, TimeUnit.SECONDS));
        p.addLast(new KeepAlive());
    }

    /** Pings a quiet link and hangs up on a silent one, so a dead peer is noticed even without traffic. */
    static final class KeepAlive extends io.netty.channel.ChannelDuplexHandler {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof io.netty.handler.timeout.IdleStateEvent e) {
                if (e.state() == io.netty.handler.timeout.IdleState.READER_IDLE) {
                    org.slf4j.LoggerFactory.getLogger(Wire.class).warn("cascade link {}: nothing heard for {} s, closing",
                            ctx.channel().remoteAddress(), PING_SECONDS * 3);
                    ctx.close();
                } else if (e.state() == io.netty.handler.timeout.IdleState.WRITER_IDLE) {
                    ctx.writeAndFlush(Frame.ping());
                }
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Frame f && f.type() == Frame.Type.PING) {
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }

    public static byte[] encode(Message m) {
        try {
            return JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode " + m.kind() + ": " + e.getMessage(), e);
        }
    }

    static final class Codec extends MessageToMessageCodec<ByteBuf, Frame> {
        @Override
        protected void encode(ChannelHandlerContext ctx, Frame f, List<Object> out) throws IOException {
            ByteBuf buf = ctx.alloc().buffer();
            try (ByteBufOutputStream os = new ByteBufOutputStream(buf)) {
                JSON.writeValue((java.io.OutputStream) os, f);
            } catch (IOException | RuntimeException e) {
                buf.release();
                throw e;
            }
            out.add(buf);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buf, List<Object> out) throws IOException {
            Frame f = JSON.readValue((java.io.InputStream) new ByteBufInputStream(buf), Frame.class);
            if (f == null || f.type() == null) {
                throw new IOException("a frame without a type");
            }
            out.add(f);
        }
    }
}
