package io.safegrid.ingest.camera;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeviceAccess;
import io.safegrid.model.device.Camera;
import io.safegrid.model.device.CameraSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JPEG pictures uploaded by snapshot cameras ({@code source.mode: snapshot}): checks the camera and
 * its token, decodes the JPEG off the network threads (a small bounded pool: a full pool answers
 * "busy" instead of queueing without end) and hands the picture to the camera's feed, so the
 * analyzers see a slow frame stream and the loss watch sees it arrive.
 */
public final class SnapshotIntake implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotIntake.class);

    /** What became of an upload: an HTTP status, a short reason for the counter, and a message for the uploader. */
    public record Result(int status, String reason, String message) {
        public boolean accepted() { return status == 202; }
    }

    private final ConfigSource config;
    private final Function<Camera, CameraFeed> feeds;
    private final Counter accepted;
    private final Timer decode;
    private final ThreadPoolExecutor pool;

    SnapshotIntake(ConfigSource config, Function<Camera, CameraFeed> feeds, MeterRegistry meters, int threads, int queue) {
        this.config = config;
        this.feeds = feeds;
        this.accepted = Counter.builder("safegrid.camera.snapshots.accepted")
                .description("JPEG snapshots decoded and taken in").register(meters);
        this.decode = Timer.builder("safegrid.camera.snapshot.decode")
                .description("time to decode and scale one uploaded JPEG").register(meters);
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "camera-snapshot-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Checks who is uploading; null when the camera may upload, else the refusal. Cheap: call it
     * before reading a large body when possible.
     */
    public Result authorise(String cameraId, String token) {
        Camera c = config.current().camera(cameraId).orElse(null);
        if (c == null) {
            return new Result(404, "unknown-camera", "no camera '" + cameraId + "'");
        }
        if (c.source() == null || c.source().mode() != CameraSource.Mode.SNAPSHOT) {
            return new Result(409, "not-snapshot-camera", "camera '" + cameraId + "' is not configured for snapshot upload");
        }
        DeviceAccess a = config.current().access().get(cameraId);
        if (token == null || a == null || a.secret() == null || !MessageDigest.isEqual(
                a.secret().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            return new Result(401, "unauthorized", "wrong or missing token for camera '" + cameraId + "'");
        }
        return null;
    }

    /**
     * Authorises, decodes and publishes one snapshot; {@code done} gets the result on a pool
     * thread (or at once when the upload is refused before decoding).
     */
    public void submit(String cameraId, String token, byte[] jpeg, Consumer<Result> done) {
        Result refused = authorise(cameraId, token);
        if (refused != null) {
            done.accept(refused);
            return;
        }
        try {
            pool.execute(() -> done.accept(take(cameraId, jpeg)));
        } catch (RejectedExecutionException e) {
            done.accept(new Result(503, "busy", "snapshot decoding is saturated; retry shortly"));
        }
    }

    /** Decodes and hands over now, on the caller's thread. */
    Result take(String cameraId, byte[] jpeg) {
        Camera c = config.current().camera(cameraId).orElse(null);
        if (c == null) {
            return new Result(404, "unknown-camera", "no camera '" + cameraId + "'");
        }
        int w = c.analysis().width();
        int h = c.analysis().height();
        byte[] bgr;
        long t0 = System.nanoTime();
        try {
            bgr = JpegPicture.decode(jpeg, w, h);
        } catch (JpegPicture.BadPicture e) {
            return new Result(400, "bad-jpeg", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("camera {}: snapshot of {} bytes failed to decode", cameraId, jpeg.length, e);
            return new Result(400, "bad-jpeg", "JPEG could not be decoded");
        } finally {
            decode.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
        boolean published = feeds.apply(c).acceptSnapshot(bgr, w, h);
        accepted.increment();
        return new Result(202, published ? "published" : "over-fps",
                published ? "snapshot taken" : "snapshot taken; over the camera's analysis fps, not analysed");
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
