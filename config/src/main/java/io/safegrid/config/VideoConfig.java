package io.safegrid.config;

import io.safegrid.model.Level;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code video:}, how the node's cameras find objects.
 *
 * @param detector  the object detector every camera's people and intrusion analyzers use:
 *                  {@value #NANODET_INT8} (built in, int8 convolutions: the default),
 *                  {@value #NANODET_M} or {@value #NANODET} (the same in float: about 2.2 times the
 *                  CPU, slightly steadier scores), {@value #HOG} (OpenCV's people detector, no
 *                  model), or the name of one of {@code models}
 * @param score     least score (0..1) a built-in detector's sighting needs to start a track
 * @param poolSize  detector passes that may run at once, over all cameras
 * @param maxWait   how long a camera waits for a free pass before its frame goes without one (counted)
 * @param keepAlive a whole-picture pass at least this often while nothing moves
 * @param detectInterval least time between two motion-driven passes of one camera (0: every analysed
 *                  frame with motion); more cameras per core, findings up to this much later
 * @param models    YOLO-format ONNX models (helmets, vests, smoking …) cameras may add
 * @param workWidth width of the working copy the colour analyzers (fire, crowding) look at, in pixels
 * @param evidence  how a built-in detector's tracks are judged on their scores
 */
public record VideoConfig(String detector, double score, int poolSize, Duration maxWait, Duration keepAlive,
                          Duration detectInterval, List<ModelDef> models, int workWidth, Evidence evidence) {
    public static final String NANODET = "nanodet";
    public static final String HOG = "hog";
    public static final String NANODET_INT8 = "nanodet-int8";
    /** NanoDet-m in float, by its model's name (the same as {@value #NANODET}). */
    public static final String NANODET_M = "nanodet-m";
    public static final int DEFAULT_WORK_WIDTH = 160;

    public VideoConfig {
        models = List.copyOf(models);
    }

    /** The default work width. */
    public VideoConfig(String detector, double score, int poolSize, Duration maxWait, Duration keepAlive,
                       Duration detectInterval, List<ModelDef> models) {
        this(detector, score, poolSize, maxWait, keepAlive, detectInterval, models, DEFAULT_WORK_WIDTH);
    }

    /** The default evidence. */
    public VideoConfig(String detector, double score, int poolSize, Duration maxWait, Duration keepAlive,
                       Duration detectInterval, List<ModelDef> models, int workWidth) {
        this(detector, score, poolSize, maxWait, keepAlive, detectInterval, models, workWidth, Evidence.defaults());
    }

    public static VideoConfig defaults() {
        return new VideoConfig(NANODET_INT8, 0.4, 1, Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ZERO, List.of());
    }

    /** Whether {@code detector} names the built-in NanoDet in float. */
    public static boolean nanoDetFloat(String detector) {
        return NANODET.equals(detector) || NANODET_M.equals(detector);
    }

    /** The same settings with another detector. */
    public VideoConfig withDetector(String name) {
        return new VideoConfig(name, score, poolSize, maxWait, keepAlive, detectInterval, models, workWidth, evidence);
    }

    /**
     * How tracks of the built-in detector are judged on the scores of their sightings, not on one
     * sighting (Frigate's confirmation, ByteTrack's low-score association). A sighting at
     * {@code score} or more may start a track; one between {@code lowScore} and {@code score} only
     * continues a confirmed track (a worker half hidden behind another keeps his track) and never
     * starts one. A track counts once the median of its last {@code history} scores (fewer than
     * three padded with zeros, so it needs two sightings) reaches {@code confirmScore}; once
     * confirmed it stays so until it ends.
     *
     * @param nmsIou overlap above which the less sure of two boxes of one class is dropped as a duplicate
     */
    public record Evidence(double lowScore, double confirmScore, int history, double nmsIou) {
        public static Evidence defaults() { return new Evidence(0.25, 0.45, 5, 0.6); }
    }

    public Optional<ModelDef> model(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /**
     * A YOLO ONNX model from a vendor.
     *
     * @param inputSize its square input side
     * @param classes   its class names, in its order
     * @param raise     which class raises which finding
     */
    public record ModelDef(String name, Path file, int inputSize, List<String> classes, double score, List<Raise> raise) {
        public ModelDef {
            classes = List.copyOf(classes);
            raise = List.copyOf(raise);
        }
    }

    /**
     * A sighting of {@code object} (a class of the model) raises {@code kind} at {@code level} once
     * it has lasted {@code dwell}, anywhere in the picture or only inside the camera's zones of
     * {@code purpose} (null: anywhere).
     */
    public record Raise(String object, FindingKind kind, Level level, ZonePurpose purpose, Duration dwell) { }
}
