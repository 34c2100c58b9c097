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
 *                  {@value #NANODET} (built in), {@value #HOG} (OpenCV's people detector, no
 *                  model), or the name of one of {@code models}; {@value #NANODET_INT8}: NanoDet with
 *                  int8 convolutions (about 2.5 times as fast, slightly noisier scores)
 * @param score     least score (0..1) a built-in detector's sighting needs
 * @param poolSize  detector passes that may run at once, over all cameras
 * @param maxWait   how long a camera waits for a free pass before its frame goes without one (counted)
 * @param keepAlive a whole-picture pass at least this often while nothing moves
 * @param detectInterval least time between two motion-driven passes of one camera (0: every analysed
 *                  frame with motion); more cameras per core, findings up to this much later
 * @param models    YOLO-format ONNX models (helmets, vests, smoking …) cameras may add
 * @param workWidth width of the working copy the colour analyzers (fire, crowding) look at, in pixels
 */
public record VideoConfig(String detector, double score, int poolSize, Duration maxWait, Duration keepAlive,
                          Duration detectInterval, List<ModelDef> models, int workWidth) {
    public static final String NANODET = "nanodet";
    public static final String HOG = "hog";
    public static final String NANODET_INT8 = "nanodet-int8";
    public static final int DEFAULT_WORK_WIDTH = 160;

    public VideoConfig {
        models = List.copyOf(models);
    }

    /** The default work width. */
    public VideoConfig(String detector, double score, int poolSize, Duration maxWait, Duration keepAlive,
                       Duration detectInterval, List<ModelDef> models) {
        this(detector, score, poolSize, maxWait, keepAlive, detectInterval, models, DEFAULT_WORK_WIDTH);
    }

    public static VideoConfig defaults() {
        return new VideoConfig(NANODET, 0.4, 1, Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ZERO, List.of());
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
