package io.safegrid.analytics.video.detect;

/**
 * How {@link TfjsToOnnx} writes convolutions: in float ({@link #NONE}); in float with every
 * activation also a graph output, to measure their ranges on pictures ({@link #PROBE}); or with int8
 * weights and uint8 activations at the measured {@code ranges} (per activation in the order the
 * converter meets them: min, max), which ONNX Runtime runs as integer convolutions.
 */
public record Int8(boolean probe, float[][] ranges) {
    public static final Int8 NONE = new Int8(false, null);
    public static final Int8 PROBE = new Int8(true, null);

    public static Int8 ranges(float[][] ranges) {
        return new Int8(false, ranges);
    }
}
