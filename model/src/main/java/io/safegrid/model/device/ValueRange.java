package io.safegrid.model.device;

/** The range a sensor can physically measure; readings outside it mean a faulty sensor. */
public record ValueRange(double min, double max) {
    public ValueRange {
        if (!(min < max)) {
            throw new IllegalArgumentException("range min " + min + " must be below max " + max);
        }
    }

    public boolean contains(double v) { return v >= min && v <= max; }
}
