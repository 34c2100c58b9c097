package io.safegrid.picture;

import io.safegrid.model.device.ZonePurpose;

/**
 * The colours every picture SafeGrid draws uses, BGR, so that an operator sees the same colour for the
 * same thing in the live view, on the video wall and in an alarm's evidence: zones by purpose (a
 * restricted area is told from a post at a glance) and findings in red.
 */
public enum Palette {
    RESTRICTED(0, 255, 255),   // yellow
    DANGER(0, 140, 255),       // orange
    POST(255, 255, 0),         // cyan
    CROWD(255, 0, 255),        // magenta
    FINDING(0, 0, 255),        // red
    TEXT(255, 255, 255),
    STRIP(30, 30, 30),
    PLACEHOLDER(60, 60, 60);

    private final int blue;
    private final int green;
    private final int red;

    Palette(int blue, int green, int red) {
        this.blue = blue;
        this.green = green;
        this.red = red;
    }

    /** B, G, R. */
    public int[] bgr() { return new int[] {blue, green, red}; }

    /** The colour a zone of this purpose is drawn in. */
    public static Palette of(ZonePurpose p) {
        return switch (p) {
            case RESTRICTED -> RESTRICTED;
            case DANGER -> DANGER;
            case POST -> POST;
            case CROWD, PPE -> CROWD;
        };
    }

    org.bytedeco.opencv.opencv_core.Scalar scalar() {
        return new org.bytedeco.opencv.opencv_core.Scalar(blue, green, red, 0);
    }
}
