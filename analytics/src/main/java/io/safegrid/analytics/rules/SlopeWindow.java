package io.safegrid.analytics.rules;

/**
 * The most recent samples within a time window (at most {@link #CAPACITY}) in a ring, and their
 * least-squares line. Times are kept relative to the oldest sample so the sums stay precise.
 */
final class SlopeWindow {
    static final int CAPACITY = 64;
    private final long windowMs;
    private final long[] times = new long[CAPACITY];
    private final double[] values = new double[CAPACITY];
    private int start;
    private int size;
    private double slopePerMs = Double.NaN;
    private double fitted = Double.NaN;

    SlopeWindow(long windowMs) {
        this.windowMs = windowMs;
    }

    void add(long t, double v) {
        if (size > 0 && t <= times[(start + size - 1) % CAPACITY]) {
            return; // out of order or duplicate time: no new information for a slope
        }
        if (size == CAPACITY) {
            start = (start + 1) % CAPACITY;
            size--;
        }
        times[(start + size) % CAPACITY] = t;
        values[(start + size) % CAPACITY] = v;
        size++;
        while (size > 1 && t - times[start] > windowMs) {
            start = (start + 1) % CAPACITY;
            size--;
        }
        fit();
    }

    private void fit() {
        if (size < 2) {
            slopePerMs = Double.NaN;
            fitted = Double.NaN;
            return;
        }
        long t0 = times[start];
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < size; i++) {
            int k = (start + i) % CAPACITY;
            double x = times[k] - t0;
            double y = values[k];
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double d = size * sxx - sx * sx;
        if (d == 0) {
            slopePerMs = Double.NaN;
            fitted = Double.NaN;
            return;
        }
        slopePerMs = (size * sxy - sx * sy) / d;
        double intercept = (sy - slopePerMs * sx) / size;
        fitted = intercept + slopePerMs * (times[(start + size - 1) % CAPACITY] - t0);
    }

    int size() { return size; }

    /** Milliseconds between the oldest and the newest sample. */
    long span() { return size < 2 ? 0 : times[(start + size - 1) % CAPACITY] - times[start]; }

    /** Units per millisecond; NaN with fewer than two samples. */
    double slopePerMs() { return slopePerMs; }

    /** The line's value at the newest sample. */
    double fitted() { return fitted; }

    void clear() {
        size = 0;
        start = 0;
        slopePerMs = Double.NaN;
        fitted = Double.NaN;
    }
}
