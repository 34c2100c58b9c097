package io.safegrid.analytics.video;

/** A rectangle in analysis pixels; kept as plain ints so findings never hold native memory. */
public record Box(int x, int y, int width, int height) {

    public int area() { return width * height; }

    public double centreX() { return x + width / 2.0; }

    public double bottomY() { return y + height; }

    public double centreY() { return y + height / 2.0; }

    /** The smallest box holding both. */
    public Box union(Box o) {
        int x0 = Math.min(x, o.x);
        int y0 = Math.min(y, o.y);
        int x1 = Math.max(x + width, o.x + o.width);
        int y1 = Math.max(y + height, o.y + o.height);
        return new Box(x0, y0, x1 - x0, y1 - y0);
    }

    /** Whether {@code b} lies wholly inside this box. */
    public boolean holds(Box b) {
        return b.x >= x && b.y >= y && b.x + b.width <= x + width && b.y + b.height <= y + height;
    }

    /** Whether the point lies inside this box (edges included). */
    public boolean holds(double px, double py) {
        return px >= x && px <= x + width && py >= y && py <= y + height;
    }
}
