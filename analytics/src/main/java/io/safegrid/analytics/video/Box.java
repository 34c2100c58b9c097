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
}
