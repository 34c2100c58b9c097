package io.safegrid.picture;

import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import java.util.Optional;

/**
 * One finding as drawn on a picture: its box (pixels of the picture drawn on, or none), the label
 * above it, and the zone it is about (drawn heavier).
 */
public record Mark(Optional<int[]> box, String label, String zone) {

    /** A finding of {@code kind} in {@code zone} (may be null) with a box in the picture's pixels (null: none). */
    public static Mark of(FindingKind kind, String zone, int[] xywh) {
        return new Mark(Optional.ofNullable(xywh), kind.name() + (zone == null ? "" : " @ " + zone), zone);
    }

    /**
     * A finding as published, on a picture {@code width x height}: its {@code box} detail is scaled
     * from the {@code resolution} it was found at. An unreadable box is left out; the zone still counts.
     */
    public static Mark of(Finding f, int width, int height) {
        return of(f.kind(), f.zone(), box(f.details().get("box"), f.details().get("resolution"), width, height));
    }

    /** The {@code box} detail ("x,y,w,h") on a picture {@code width x height}, or null. */
    static int[] box(String box, String resolution, int width, int height) {
        if (box == null) {
            return null;
        }
        String[] p = box.split(",");
        if (p.length != 4) {
            return null;
        }
        try {
            double sx = 1;
            double sy = 1;
            if (resolution != null && resolution.contains("x")) {
                sx = width / Double.parseDouble(resolution.substring(0, resolution.indexOf('x')));
                sy = height / Double.parseDouble(resolution.substring(resolution.indexOf('x') + 1));
            }
            return new int[] {(int) Math.round(Integer.parseInt(p[0].strip()) * sx),
                    (int) Math.round(Integer.parseInt(p[1].strip()) * sy),
                    (int) Math.round(Integer.parseInt(p[2].strip()) * sx),
                    (int) Math.round(Integer.parseInt(p[3].strip()) * sy)};
        } catch (NumberFormatException e) {
            return null;   // a finding from elsewhere with a box we cannot read
        }
    }
}
