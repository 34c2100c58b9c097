package io.safegrid.ingest.camera;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.device.Camera;
import io.safegrid.model.video.AnalysisRate;
import io.safegrid.model.video.FramePixels;
import io.safegrid.model.video.VideoFrame;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacv.Frame;

/**
 * One camera's side of the intake, whatever the source: turns decoded pictures into
 * {@link VideoFrame}s at the camera's analysis fps, and remembers when the last picture came so the
 * loss watch can tell. Survives reconnects, so stream time and sequence keep rising across them
 * and analytics' dwell timers stay meaningful.
 */
final class CameraFeed {
    private final Camera camera;
    private final Bus bus;
    private final Clock clock;
    final Counter framesIn;
    final Counter published;
    final Counter dropped;
    final Counter decodeErrors;
    final Counter connects;
    private final AtomicInteger sessions = new AtomicInteger();
    private final MeterRegistry meters;
    private final Gauge up;

    /** A stream picture after this long without one is held back until a second confirms the stream is live. */
    static final long STALL_NANOS = 3_000_000_000L;

    private volatile long lastFrameNanos;
    private long heldBackAt = Long.MIN_VALUE / 2;
    private final long createdNanos = System.nanoTime();
    private long sequence;
    private double streamOffset = Double.NaN;
    private double lastStreamTime;
    private final AnalysisRate rate;
    private long lastWallNanos;

    CameraFeed(Camera camera, Bus bus, MeterRegistry meters, Clock clock) {
        this.camera = camera;
        this.bus = bus;
        this.clock = clock;
        this.rate = new AnalysisRate(camera.analysis().fps());
        String id = camera.id();
        framesIn = Counter.builder("safegrid.camera.frames.in").tag("camera", id)
                .description("pictures decoded from the camera").register(meters);
        published = Counter.builder("safegrid.camera.frames.published").tag("camera", id)
                .description("pictures put on the frames topic").register(meters);
        dropped = Counter.builder("safegrid.camera.frames.dropped").tag("camera", id)
                .description("pictures decoded but not published, to keep to the analysis fps").register(meters);
        decodeErrors = Counter.builder("safegrid.camera.decode.errors").tag("camera", id)
                .description("undecodable packets and failed stream opens").register(meters);
        connects = Counter.builder("safegrid.camera.connects").tag("camera", id)
                .description("streams opened (pull) or accepted (push)").register(meters);
        this.meters = meters;
        this.up = Gauge.builder("safegrid.camera.up", sessions, s -> s.get() > 0 ? 1 : 0).tag("camera", id)
                .description("1 while a stream is open").register(meters);
    }

    Camera camera() { return camera; }

    /** The camera's config changed or it was removed: its gauge must not point here any more. */
    void retire() {
        meters.remove(up);
    }

    /** A stream has opened; its timestamps restart, ours continue. */
    synchronized void sessionStarted() {
        sessions.incrementAndGet();
        connects.increment();
        streamOffset = Double.NaN;
    }

    /**
     * The same session's timestamps start again (a replayed file was rewound): the camera's clock
     * continues from its last picture by the real gap, as after a reconnect.
     */
    synchronized void clockRestarted() {
        streamOffset = Double.NaN;
    }

    void sessionEnded() {
        sessions.decrementAndGet();
    }

    boolean streaming() { return sessions.get() > 0; }

    /** Nanos (System.nanoTime) of the last decoded picture, or of the feed's creation. */
    long lastFrameNanos() {
        long l = lastFrameNanos;
        return l == 0 ? createdNanos : l;
    }

    boolean everReceived() { return lastFrameNanos != 0; }

    /** Stream time of a picture with this grabber timestamp, continuing the camera's clock across reconnects. */
    private double streamTimeOf(double ts, long now) {
        if (Double.isNaN(streamOffset)) {
            // continue the camera's clock across reconnects: last time plus the real gap
            double gap = lastWallNanos == 0 ? 0 : (now - lastWallNanos) / 1e9;
            streamOffset = lastStreamTime + gap - ts;
        }
        return Math.max(ts + streamOffset, lastStreamTime);
    }

    /**
     * Whether a picture with this grabber timestamp would be published, so is worth converting.
     * True after a reconnect, when the stream's clock is not yet known.
     */
    synchronized boolean wants(long tsMicros) {
        if (Double.isNaN(streamOffset)) {
            return true;
        }
        return rate.due(tsMicros / 1e6 + streamOffset);
    }

    /**
     * Takes one decoded picture and publishes it if it is due. {@code converted} says whether the
     * grabber scaled it to BGR at the analysis size; a due picture that was not (the decoder guessed
     * its time wrong) is skipped, and the next one is taken instead. Returns whether it was published.
     */
    synchronized boolean accept(Frame f, boolean converted) {
        long now = System.nanoTime();
        if (lastFrameNanos != 0 && now - lastFrameNanos >= STALL_NANOS && now - heldBackAt >= STALL_NANOS) {
            // when a source dies, FFmpeg's read times out and the decoder flushes the pictures it held
            // for reordering: old pictures that would hide the video loss. A live source that really
            // came back sends a second picture at once, which is taken; one picture per timeout is not video.
            heldBackAt = now;
            dropped.increment();
            return false;
        }
        if (!due(f.timestamp / 1e6, converted)) {
            return false;
        }
        boolean i420 = f.imageChannels == 1;
        // I420 goes into native memory once, read in place from then on; the rare BGR picture stays an array
        FramePixels pixels = i420 ? I420Copy.toNative(f) : bgrPixels(f);
        if (pixels == null) {
            decodeErrors.increment();
            return false;
        }
        try {
            publish(i420 ? VideoFrame.Format.I420 : VideoFrame.Format.BGR, pixels, f.imageWidth, f.imageHeight);
        } finally {
            pixels.release();   // the bus holds it for each reader now
        }
        return true;
    }

    /**
     * Takes one uploaded snapshot, already decoded and scaled to the analysis size. A snapshot has
     * no stream clock of its own, so its stream time is the time it arrived.
     */
    synchronized boolean acceptSnapshot(byte[] bgr, int width, int height) {
        if (!due((System.nanoTime() - createdNanos) / 1e9, true)) {
            return false;
        }
        publish(VideoFrame.Format.BGR, FramePixels.of(bgr), width, height);
        return true;
    }

    /**
     * Counts the picture, moves the camera's clock to it, and says whether the analysis fps wants it
     * (a due picture that was not converted is skipped; the next one is taken instead).
     */
    private boolean due(double ts, boolean converted) {
        long now = System.nanoTime();
        framesIn.increment();
        lastFrameNanos = now;
        double streamTime = streamTimeOf(ts, now);
        lastStreamTime = streamTime;
        lastWallNanos = now;
        if (!converted || !rate.take(streamTime)) {
            dropped.increment();
            return false;
        }
        return true;
    }

    private void publish(VideoFrame.Format format, FramePixels pixels, int width, int height) {
        VideoFrame frame = new VideoFrame(camera.id(), camera.site(), clock.instant(), sequence++, lastStreamTime,
                width, height, format, pixels);
        bus.offer(Topic.FRAMES, camera.id(), frame);   // frames topic drops the oldest, never refuses
        published.increment();
    }


    private static FramePixels bgrPixels(Frame f) {
        byte[] b = toBgr(f);
        return b == null ? null : FramePixels.of(b);
    }

    /** Packs the picture's rows (FFmpeg pads them) into width*height*3 bytes. */
    static byte[] toBgr(Frame f) {
        if (f.image == null || f.imageChannels != 3 || f.imageDepth != Frame.DEPTH_UBYTE) {
            return null;
        }
        int w = f.imageWidth;
        int h = f.imageHeight;
        int row = w * 3;
        ByteBuffer src = ((ByteBuffer) f.image[0]).duplicate();
        byte[] out = new byte[row * h];
        for (int y = 0; y < h; y++) {
            src.position(y * f.imageStride);
            src.get(out, y * row, row);
        }
        return out;
    }
}
