package io.safegrid.ingest.camera;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.safegrid.ingest.guard.ReadPause;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted push connection: the Netty side feeds a {@link ChunkInputStream}; the session's
 * thread opens FFmpeg on it (probing waits for data), then hands decoding to the {@link DecodePool},
 * which takes pictures only while enough bytes are buffered, and sleeps until the stream ends.
 * Closing either side ends both.
 */
final class PushSession extends ChannelInboundHandlerAdapter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushSession.class);
    /** Chunks (Netty reads, up to 64 KiB each) buffered before the socket is paused. */
    private static final int BUFFERED_CHUNKS = 64;
    private static final long STALL_MILLIS = 10_000;

    private final CameraFeed feed;
    private final Channel channel;
    private final String format;
    private final ChunkInputStream stream;
    private final DecodePool pool;
    private final Thread decoder;
    private volatile boolean running = true;
    private final long maxPixels;
    /** Reads the declared picture size until FFmpeg has probed the stream; null after. */
    private volatile SpsProbe probe = new SpsProbe();
    private final Runnable tooLarge;

    /**
     * @param pool      decodes in turns with other cameras; null: this session's thread decodes
     * @param maxPixels the largest picture the camera may send; a stream declaring more is refused
     * @param tooLarge  reports a refused stream (counted, logged with a limit)
     */
    PushSession(CameraFeed feed, Channel channel, String format, DecodePool pool, long maxPixels, Runnable tooLarge) {
        this.feed = feed;
        this.maxPixels = maxPixels;
        this.tooLarge = tooLarge;
        this.pool = pool;
        this.channel = channel;
        this.format = format;
        this.stream = new ChunkInputStream(BUFFERED_CHUNKS, STALL_MILLIS,
                () -> channel.eventLoop().execute(() -> ReadPause.release(channel, ReadPause.WORK)));
        this.decoder = new Thread(this::decode, "camera-push-" + feed.camera().id());
        this.decoder.setDaemon(true);
    }

    String cameraId() { return feed.camera().id(); }

    void start() {
        decoder.start();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            byte[] chunk = new byte[buf.readableBytes()];
            buf.readBytes(chunk);
            SpsProbe p = probe;
            if (p != null) {
                p.feed(chunk);
                if (p.largestPixels() > maxPixels) {
                    probe = null;
                    tooLarge.run();
                    stop();
                    return;
                }
            }
            if (!stream.offer(chunk)) {
                ReadPause.hold(ctx.channel(), ReadPause.WORK);
                if (!stream.full()) {
                    ReadPause.release(ctx.channel(), ReadPause.WORK);   // drained meanwhile
                }
            }
        } finally {
            buf.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stream.end();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof io.netty.handler.timeout.IdleStateEvent) {
            LOG.warn("camera {}: push connection from {} sent nothing for a while, closing", cameraId(),
                    ctx.channel().remoteAddress());
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("camera {}: push connection from {} failed: {}", cameraId(), ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void decode() {
        long decoded = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(stream, 0)) {
            g.setFormat(format);
            // a live stream: probe little, or FFmpeg sits on the first seconds before the first picture
            // (fpsprobesize 0: without it FFmpeg waits for 20 frames to guess a frame rate we never use)
            g.setOption("probesize", "32768");
            g.setOption("analyzeduration", "500000");
            g.setOption("fpsprobesize", "0");
            if ("mpeg".equals(format)) {
                // PS (GB/T 28181 relays): the PS demuxer lets streams appear later, so FFmpeg reads to the
                // probe limits whatever it has found; the key frame's SPS alone gives size and pixel format
                g.setOption("probesize", "32");
                g.setOption("analyzeduration", "1");
            }
            StreamDecoder.configure(g, feed);
            // the decoder refuses a picture over the limit (an SPS changing the size mid-stream)
            g.setVideoOption("max_pixels", Long.toString(maxPixels));
            // startUnsafe: start() holds a JVM-wide lock while probing, which would block any
            // recorder in this JVM (a simulator, a test) that this stream is waiting for
            g.startUnsafe();
            probe = null;
            feed.sessionStarted();
            LOG.info("camera {}: push stream from {} open ({} {}x{})", cameraId(), channel.remoteAddress(),
                    g.getVideoCodecName(), g.getImageWidth(), g.getImageHeight());
            try {
                StreamDecoder d = new StreamDecoder(g, feed, () -> running, false, stream::ready);
                if (pool == null) {
                    decoded = d.run();
                } else {
                    DecodePool.Driven driven = pool.drive(d);
                    stream.onInput(driven::wake);
                    driven.wake();   // for input (or the end) that came before the line above
                    decoded = driven.awaitEnd();
                }
            } finally {
                feed.sessionEnded();
            }
            g.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (running) {   // a stopped session (replaced, refused, closing) fails its reads: not the stream's fault
                feed.decodeErrors.increment();
                LOG.warn("camera {}: push stream from {} undecodable: {}", cameraId(), channel.remoteAddress(), e.toString());
            }
        } finally {
            LOG.info("camera {}: push stream from {} ended after {} pictures", cameraId(), channel.remoteAddress(), decoded);
            channel.close();
        }
    }

    /** Ends the session without waiting; safe on an event loop. */
    void stop() {
        running = false;
        stream.close();
        channel.close();
    }

    @Override
    public void close() {
        stop();
        try {
            decoder.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
