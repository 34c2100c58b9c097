package io.safegrid.model.device;

import java.util.List;

/**
 * A polygon on a camera's picture, in normalised coordinates so it survives a change of
 * analysis resolution.
 *
 * @param maxPeople for {@link ZonePurpose#CROWD}: more than this many people is crowding; else 0
 * @param dwellSeconds how long a condition must last in this zone before it is a finding
 * @param object what must be in a restricted or danger zone to count: a detector class
 *        ({@value #PERSON} by default, "car", "truck" …) or {@value #MOTION} for anything that moves
 */
public record Zone(String name, ZonePurpose purpose, List<Point> polygon, int maxPeople, double dwellSeconds,
                   String object) {
    public static final String PERSON = "person";
    /** Anything moving counts (background model), not only a detected object. */
    public static final String MOTION = "motion";

    public Zone(String name, ZonePurpose purpose, List<Point> polygon, int maxPeople, double dwellSeconds) {
        this(name, purpose, polygon, maxPeople, dwellSeconds, PERSON);
    }

    public Zone {
        object = object == null || object.isBlank() ? PERSON : object;
        polygon = List.copyOf(polygon);
        if (polygon.size() < 3) {
            throw new IllegalArgumentException("zone '" + name + "' needs at least 3 points");
        }
    }

    /** Whether anything moving counts here, not only a detected object. */
    public boolean motionOnly() { return MOTION.equals(object); }

    /** Even-odd ray casting; points on the edge may fall either way. */
    public boolean contains(double x, double y) {
        boolean inside = false;
        for (int i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
            Point a = polygon.get(i);
            Point b = polygon.get(j);
            if ((a.y() > y) != (b.y() > y) && x < (b.x() - a.x()) * (y - a.y()) / (b.y() - a.y()) + a.x()) {
                inside = !inside;
            }
        }
        return inside;
    }
}
