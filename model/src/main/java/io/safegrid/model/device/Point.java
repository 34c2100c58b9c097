package io.safegrid.model.device;

/** A point in normalised picture coordinates: (0,0) top left, (1,1) bottom right. */
public record Point(double x, double y) {
    public Point {
        if (x < 0 || x > 1 || y < 0 || y > 1 || Double.isNaN(x) || Double.isNaN(y)) {
            throw new IllegalArgumentException("point (" + x + "," + y + ") is outside 0..1");
        }
    }
}
