package io.safegrid.ingest.camera;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decodes one opened stream into a {@link CameraFeed} until it ends, fails or is stopped. */
final class StreamDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(StreamDecoder.class);
    /** Two pictures in a row each this long after the one before end the session (the pull then reopens it). */
    static final long STALLED_NANOS = 4_000_000_000L;
    /** Errors in a row after which the stream is given up (and, for pulls, reopened). */
    private static final int MAX_ERRORS_IN_A_ROW = 50;

    static {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
    }

    private StreamDecoder() {
    }

    /** Sets what every grabber of ours needs: BGR at the camera's analysis size. */
    static void configure(FFmpegFrameGrabber g, CameraFeed feed) {
        g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        g.setImageWidth(feed.camera().analysis().width());
        g.setImageHeight(feed.camera().analysis().height());
    }

    /**
     * Reads pictures until end of stream or {@code running} says stop.
     *
     * @param pace when true (files), hold each picture until its time has come, as a live camera would
     * @return the number of pictures decoded
     */
    static long run(FFmpegFrameGrabber g, CameraFeed feed, java.util.function.BooleanSupplier running, boolean pace)
            throws InterruptedException {
        long decoded = 0;
        int errors = 0;
        long startNanos = System.nanoTime();
        long firstTs = Long.MIN_VALUE;
        long lastPicture = System.nanoTime();
        boolean stalledBefore = false;
        while (running.getAsBoolean()) {
            Frame f;
            try {
                f = g.grabImage();
            } catch (Exception e) {
                feed.decodeErrors.increment();
                if (++errors >= MAX_ERRORS_IN_A_ROW) {
                    LOG.warn("camera {}: giving up the stream after {} errors in a row: {}", feed.camera().id(), errors,
                            e.toString());
                    break;
                }
                continue;
            }
            if (f == null) {
                break;
            }
            errors = 0;
            decoded++;
            long now = System.nanoTime();
            boolean stalled = now - lastPicture > STALLED_NANOS;
            lastPicture = now;
            if (!pace && stalled && stalledBefore) {
                // pictures only trickle out, one per read timeout: over RTP/UDP a session can outlive its
                // source, and a restarted source is only decoded properly through a fresh session
                LOG.warn("camera {}: stream stalled twice in a row, reopening", feed.camera().id());
                break;
            }
            stalledBefore = stalled;
            if (pace) {
                if (firstTs == Long.MIN_VALUE) {
                    firstTs = f.timestamp;
                }
                long dueNanos = startNanos + (f.timestamp - firstTs) * 1000;
                long wait = dueNanos - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            feed.accept(f);
        }
        return decoded;
    }
}
