package io.safegrid.ingest.camera;

import io.safegrid.model.device.CameraSource;
import java.time.Duration;
import java.util.Locale;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps pulling one camera's URL: RTSP (udp or tcp), HTTP MJPEG, HLS, or a file (replayed in real
 * time, in a loop, for demos and tests). A failed or ended stream is reopened after a backoff that
 * doubles from {@code minBackoff} to {@code maxBackoff} and resets once a stream delivers.
 */
final class PullSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PullSession.class);
    /** How long a network read may block before the stream counts as dead. */
    static final long IO_TIMEOUT_MICROS = 5_000_000;
    /**
     * A file that played at least this long and then ended is looped at once: a replayed camera
     * should look live, and a backoff pause at every loop is a hole in its video (with 10 s clips a
     * 1 s backoff would cost a tenth of every camera's pictures). Shorter plays keep the backoff, so a
     * broken file cannot make the session reopen in a tight loop.
     */
    static final long LOOP_AT_ONCE_NANOS = 1_000_000_000L;

    private final CameraFeed feed;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final DecodePool pool;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param pool decodes files in turns with other cameras; null, or a network URL (whose reads block
     *             inside FFmpeg), and this session's own thread decodes
     */
    PullSession(CameraFeed feed, Duration minBackoff, Duration maxBackoff, DecodePool pool) {
        this.feed = feed;
        this.pool = pool;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.thread = new Thread(this::loop, "camera-pull-" + feed.camera().id());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** A file path or file: URL is replayed at its own pace; anything with a scheme is live. */
    static boolean isFile(String url) {
        return url.startsWith("file:") || !url.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
    }

    private void loop() {
        CameraSource src = feed.camera().source();
        String url = src.url().startsWith("file:") ? src.url().substring("file:".length()) : src.url();
        boolean file = isFile(src.url());
        long backoff = minBackoff.toMillis();
        while (running) {
            long decoded = 0;
            boolean ended = false;
            long opened = System.nanoTime();
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(url)) {
                StreamDecoder.configure(g, feed);
                if (url.toLowerCase(Locale.ROOT).startsWith("rtsp")) {
                    g.setOption("rtsp_transport", src.rtspTransport() == null ? "tcp" : src.rtspTransport());
                    g.setOption("timeout", Long.toString(IO_TIMEOUT_MICROS));
                } else if (!file) {
                    g.setOption("rw_timeout", Long.toString(IO_TIMEOUT_MICROS));
                }
                if (!file) {
                    // first picture within about a second: no frame-rate guessing (we thin by time anyway)
                    g.setOption("analyzeduration", "1000000");
                    g.setOption("fpsprobesize", "0");
                    if (url.startsWith("http") && !url.contains(".m3u8")) {
                        // MJPEG carries no timestamps, so FFmpeg would otherwise read megabytes before the first picture
                        g.setOption("probesize", "65536");
                    }
                }
                g.start();
                feed.sessionStarted();
                LOG.info("camera {}: pulling {} ({}x{} {} → {}x{} at {} fps)", feed.camera().id(), redact(url),
                        g.getImageWidth(), g.getImageHeight(), g.getVideoCodecName(),
                        feed.camera().analysis().width(), feed.camera().analysis().height(), feed.camera().analysis().fps());
                try {
                    StreamDecoder decoder = new StreamDecoder(g, feed, () -> running, file, StreamDecoder.ALWAYS);
                    decoded = file && pool != null ? pool.drive(decoder).awaitEnd() : decoder.run();
                } finally {
                    feed.sessionEnded();
                }
                g.stop();
                ended = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                feed.decodeErrors.increment();
                LOG.warn("camera {}: stream {} failed: {}", feed.camera().id(), redact(url), e.toString());
            }
            if (!running) {
                return;
            }
            if (decoded > 0) {
                backoff = minBackoff.toMillis();
            }
            if (file && ended && decoded > 0 && System.nanoTime() - opened >= LOOP_AT_ONCE_NANOS) {
                LOG.debug("camera {}: file ended after {} pictures, replaying it", feed.camera().id(), decoded);
                continue;
            }
            LOG.info("camera {}: stream ended after {} pictures, reopening in {} ms", feed.camera().id(), decoded, backoff);
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, maxBackoff.toMillis());
        }
    }

    /** URLs often carry a password (rtsp://admin:pw@…); never log it. */
    static String redact(String url) {
        return url.replaceAll("://[^/@]*@", "://***@");
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            // a blocked network read returns within the I/O timeout
            thread.join(IO_TIMEOUT_MICROS / 1000 + 2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
