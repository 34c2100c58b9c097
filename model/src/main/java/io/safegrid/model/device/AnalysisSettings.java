package io.safegrid.model.device;

import java.util.Set;

/**
 * How hard to look at one camera.
 *
 * @param fps       frames analysed per second (the rest are dropped before analysis)
 * @param width     analysis width in pixels; frames are scaled to it
 * @param height    analysis height in pixels
 * @param analyzers which analyzers run, e.g. {@code intrusion}, {@code people}, {@code fire}, {@code tamper}
 * @param models    vendors' models (named in the deployment's {@code video.models}) that also look at this camera
 */
public record AnalysisSettings(double fps, int width, int height, Set<String> analyzers, java.util.List<String> models) {
    public AnalysisSettings {
        analyzers = Set.copyOf(analyzers);
        models = models == null ? java.util.List.of() : java.util.List.copyOf(models);
    }

    public AnalysisSettings(double fps, int width, int height, Set<String> analyzers) {
        this(fps, width, height, analyzers, java.util.List.of());
    }
}
