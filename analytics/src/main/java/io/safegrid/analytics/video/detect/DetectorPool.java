package io.safegrid.analytics.video.detect;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The detector all cameras of a node share, and how many passes may run at once. A pass runs on
 * the asking camera's thread (no hand-off, no copy of the picture); a camera that finds every
 * slot taken for longer than {@code maxWait} skips detection on that frame, which is counted
 * ({@code safegrid_video_detector_skipped_total}), and its tracks coast on their last boxes: under
 * overload frames lose their detector pass, never their findings.
 */
public final class DetectorPool implements AutoCloseable {
    private final ObjectDetector detector;
    private final String fallbackReason;
    private final Semaphore slots;
    private final int size;
    private final long maxWaitMillis;
    private final Timer passes;
    private final Counter skipped;
    private final Counter failed;
    private volatile ObjectDetector closeUp;

    /**
     * @param fallbackReason why the configured neural detector is not the one in use (the model
     *                       did not load), or null when it is
     */
    public DetectorPool(ObjectDetector detector, String fallbackReason, int size, long maxWaitMillis, MeterRegistry meters) {
        if (size < 1) {
            throw new IllegalArgumentException("detector pool size must be at least 1, got " + size);
        }
        this.detector = detector;
        this.fallbackReason = fallbackReason;
        this.size = size;
        this.slots = new Semaphore(size, true);
        this.maxWaitMillis = maxWaitMillis;
        String name = detector.name();
        passes = Timer.builder("safegrid.video.detector.pass").tag("detector", name)
                .description("one detector pass over one picture").register(meters);
        skipped = Counter.builder("safegrid.video.detector.skipped").tag("detector", name)
                .description("frames that got no detector pass because every slot was busy").register(meters);
        failed = Counter.builder("safegrid.video.detector.errors").tag("detector", name).register(meters);
        Gauge.builder("safegrid.video.detector.fallback", () -> fallbackReason == null ? 0 : 1).tag("detector", name)
                .description("1 while the HOG fallback runs instead of the configured neural detector").register(meters);
    }

    /** A pool of one slot, meters kept to itself: for tools and tests. */
    public static DetectorPool of(ObjectDetector detector) {
        return new DetectorPool(detector, null, 1, 60_000, new SimpleMeterRegistry());
    }

    public ObjectDetector detector() { return detector; }

    public int size() { return size; }

    /** Why the HOG fallback runs, or empty when the configured detector does. */
    public Optional<String> fallbackReason() { return Optional.ofNullable(fallbackReason); }

    /** One pass over {@code bgr}, or empty when no slot freed in time (counted) or the pass failed (counted). */
    public Optional<List<Sighting>> tryDetect(Mat bgr) throws InterruptedException {
        return tryDetect(detector, bgr);
    }

    private Optional<List<Sighting>> tryDetect(ObjectDetector detector, Mat bgr) throws InterruptedException {
        if (!slots.tryAcquire(maxWaitMillis, TimeUnit.MILLISECONDS)) {
            skipped.increment();
            return Optional.empty();
        }
        long t0 = System.nanoTime();
        try {
            return Optional.of(detector.detect(bgr));
        } catch (RuntimeException e) {
            failed.increment();
            org.slf4j.LoggerFactory.getLogger(DetectorPool.class).warn("{} failed: {}", detector.name(), e.toString());
            return Optional.empty();
        } finally {
            passes.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            slots.release();
        }
    }

    public long skipped() { return (long) skipped.count(); }

    /**
     * The same model at a small input for close-ups ({@link #tryCloseUp}): a crop no larger than its
     * input is seen there with every one of its pixels, where the full input would only upscale it, at
     * a fraction of the pass's cost (NanoDet at 224 against 416: about a third).
     */
    public DetectorPool withCloseUps(ObjectDetector small) {
        if (closeUp != null) {
            closeUp.close();
        }
        closeUp = small;
        return this;
    }

    /** The close-up detector, if one was given. */
    public Optional<ObjectDetector> closeUpDetector() { return Optional.ofNullable(closeUp); }

    /**
     * One pass over a crop as {@link #tryDetect}, on the close-up detector when the crop fits its input
     * (same slots, same wait), else on the main one.
     */
    public Optional<List<Sighting>> tryCloseUp(Mat crop) throws InterruptedException {
        ObjectDetector small = closeUp;
        if (small == null || crop.cols() > small.inputSize() || crop.rows() > small.inputSize()) {
            return tryDetect(crop);
        }
        return tryDetect(small, crop);
    }

    @Override
    public void close() {
        detector.close();
        if (closeUp != null) {
            closeUp.close();
        }
    }
}
