package io.safegrid.ingest.camera;

import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one opened stream into a {@link CameraFeed}, a few pictures per {@link #turn}, so that
 * a {@link DecodePool} can drive many cameras on few threads ({@link #run} drives it on the
 * caller's thread instead, for sources whose reads block inside FFmpeg).
 *
 * <p>Every picture must be decoded (H.264 P-frames need their predecessors), but only the ones the
 * feed will publish are handed over as pictures (scaled to the analysis size if the stream's differs,
 * and copied out of the decoder): at 5 of 25 fps four pictures in five are thrown away.
 */
final class StreamDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(StreamDecoder.class);
    /** Two pictures in a row each this long after the one before end the session (the pull then reopens it). */
    static final long STALLED_NANOS = 4_000_000_000L;
    /** Errors in a row after which the stream is given up (and, for pulls, reopened). */
    private static final int MAX_ERRORS_IN_A_ROW = 50;
    /** Turn result: call again as soon as there is input ({@link Input#ready}). */
    static final long WAIT_FOR_INPUT = -1;
    /** Turn result: the stream ended, failed or was stopped. */
    static final long ENDED = -2;

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    /** Where the grabber's bytes come from, as far as scheduling is concerned. */
    interface Input {
        /** Whether the next picture can be grabbed without waiting on the network for long. */
        boolean ready();
    }

    /** Input that never makes a grab wait long: a file, or FFmpeg's own network reads. */
    static final Input ALWAYS = () -> true;

    private final FFmpegFrameGrabber grabber;
    private final CameraFeed feed;
    private final BooleanSupplier running;
    private final boolean pace;
    private final Input input;
    private long decoded;
    private int errors;
    private long firstTs = Long.MIN_VALUE;
    private long startNanos;
    private long lastTs = Long.MIN_VALUE;
    /** Pictures since the file was opened or rewound: a play that yields none is not looped. */
    private long decodedThisPlay;
    private long lastDueNanos;
    private boolean rewindDue;
    private long nextPlayNanos;
    private long intervalMicros = 40_000;
    /** A paced picture decoded ahead of its time, waiting to be handed over. */
    private Frame held;
    private boolean heldConverted;
    /** Set by {@link #run}: reads block inside FFmpeg, so a long gap between pictures is the source's. */
    private boolean blockingReads;
    private long lastPicture = System.nanoTime();
    private boolean stalledBefore;

    /**
     * @param pace  when true (files), hand each picture over when its time has come, as a live camera
     *              would, and play the file again from its start when it ends
     * @param input tells whether a grab would block (push streams fed from a socket)
     */
    StreamDecoder(FFmpegFrameGrabber grabber, CameraFeed feed, BooleanSupplier running, boolean pace, Input input) {
        this.grabber = grabber;
        this.feed = feed;
        this.running = running;
        this.pace = pace;
        this.input = input;
    }

    /**
     * Sets what every grabber of ours needs: I420 at the camera's analysis size, one decoder thread.
     * I420 is what H.264 decodes to: at the stream's own size FFmpeg hands the picture over with no
     * conversion at all (BGR would cost a colour conversion per analysed picture, ~0.15 ms at 640x360, and
     * twice the bytes), and analysis takes its grey straight from the Y plane. An odd analysis size
     * (I420 needs even sides) stays BGR.
     */
    static void configure(FFmpegFrameGrabber g, CameraFeed feed) {
        int w = feed.camera().analysis().width();
        int h = feed.camera().analysis().height();
        g.setPixelFormat(w % 2 == 0 && h % 2 == 0 ? avutil.AV_PIX_FMT_YUV420P : avutil.AV_PIX_FMT_BGR24);
        g.setImageWidth(w);
        g.setImageHeight(h);
        // many cameras share few cores: FFmpeg's own frame threads would only add latency and memory
        g.setVideoOption("threads", "1");
    }

    CameraFeed feed() { return feed; }

    long decoded() { return decoded; }

    boolean ready() { return input.ready(); }

    /**
     * Decodes up to {@code maxPictures} pictures.
     *
     * @return {@link #ENDED}, {@link #WAIT_FOR_INPUT}, or the {@code System.nanoTime()} at which to call
     *         again (now or earlier: at once, after other cameras have had their turn)
     */
    long turn(int maxPictures) {
        for (int n = 0; n < maxPictures; n++) {
            if (!running.getAsBoolean()) {
                return ENDED;
            }
            if (held != null) {
                long due = dueNanos(held.timestamp);
                if (due > System.nanoTime()) {
                    return due;
                }
                feed.accept(held, heldConverted);
                held = null;
            }
            if (rewindDue) {
                rewindDue = false;
                if (!rewind()) {
                    return ENDED;
                }
            }
            if (!input.ready()) {
                return WAIT_FOR_INPUT;
            }
            // convert only if this picture will be due (predicted from the last timestamp and interval)
            boolean convert = lastTs == Long.MIN_VALUE || feed.wants(lastTs + intervalMicros);
            Frame f;
            try {
                f = grabber.grabFrame(false, true, convert, false, false);
            } catch (Exception e) {
                feed.decodeErrors.increment();
                if (++errors >= MAX_ERRORS_IN_A_ROW) {
                    LOG.warn("camera {}: giving up the stream after {} errors in a row: {}", feed.camera().id(), errors,
                            e.toString());
                    return ENDED;
                }
                continue;
            }
            if (f == null) {
                if (pace && decodedThisPlay > 0) {
                    // the last picture is still held (and is the grabber's own Frame): rewind once it is out
                    rewindDue = true;
                    continue;
                }
                return ENDED;
            }
            decodedThisPlay++;
            errors = 0;
            decoded++;
            if (blockingReads && !pace && stalledTwice()) {
                // pictures only trickle out, one per read timeout: over RTP/UDP a session can outlive its
                // source, and a restarted source is only decoded properly through a fresh session
                LOG.warn("camera {}: stream stalled twice in a row, reopening", feed.camera().id());
                return ENDED;
            }
            if (lastTs != Long.MIN_VALUE && f.timestamp > lastTs) {
                intervalMicros = Math.min(f.timestamp - lastTs, 1_000_000);
            }
            lastTs = f.timestamp;
            if (pace) {
                held = f;
                heldConverted = convert;
            } else {
                feed.accept(f, convert);
            }
        }
        return System.nanoTime();
    }

    /** Whether this picture and the one before each came after a gap of {@link #STALLED_NANOS}. */
    private boolean stalledTwice() {
        long now = System.nanoTime();
        boolean stalled = now - lastPicture > STALLED_NANOS;
        lastPicture = now;
        boolean twice = stalled && stalledBefore;
        stalledBefore = stalled;
        return twice;
    }

    private long dueNanos(long ts) {
        if (firstTs == Long.MIN_VALUE) {
            firstTs = ts;
            // after a rewind the first picture follows the last one by one interval, as a live camera's would
            startNanos = Math.max(System.nanoTime(), nextPlayNanos);
        }
        lastDueNanos = startNanos + (ts - firstTs) * 1000;
        return lastDueNanos;
    }

    /**
     * A file has ended: seek back to its start and play it again in the same session. Reopening
     * instead would probe the file again and, on close, make JavaCV trim the C heap
     * ({@code malloc_trim}), which hands every thread's free pages back to the kernel: with dozens
     * of replayed cameras that costs about an eighth of the node's CPU in page faults and TLB flushes.
     *
     * @return false if the file cannot seek (the session then ends and the pull reopens it)
     */
    private boolean rewind() {
        try {
            grabber.setTimestamp(0);
        } catch (Exception e) {
            LOG.debug("camera {}: cannot rewind, reopening: {}", feed.camera().id(), e.toString());
            return false;
        }
        decodedThisPlay = 0;
        firstTs = Long.MIN_VALUE;
        nextPlayNanos = lastDueNanos + intervalMicros * 1000;
        lastTs = Long.MIN_VALUE;
        feed.clockRestarted();
        return true;
    }

    /**
     * Drives the stream on the calling thread until it ends: for sources whose reads block inside
     * FFmpeg (RTSP, HTTP, HLS), which would hold a shared pool thread.
     *
     * @return the number of pictures decoded
     */
    long run() throws InterruptedException {
        blockingReads = true;
        lastPicture = System.nanoTime();
        while (true) {
            long next = turn(Integer.MAX_VALUE);
            if (next == ENDED) {
                return decoded;
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } else if (next == WAIT_FOR_INPUT) {
                Thread.sleep(5);
            }
        }
    }
}
