package io.safegrid.config;

import io.safegrid.model.Level;
import io.safegrid.model.grid.GridKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is told first at each level, and how long each grid level has to acknowledge before the
 * alarm climbs to the next.
 *
 * @param notifyFirst the grid kinds told at once, per level (the enterprise is always told)
 * @param ackTimeout  per level, how long before escalating one step up the grid
 */
public record EscalationPolicy(Map<Level, Set<GridKind>> notifyFirst, Map<Level, Duration> ackTimeout) {

    public EscalationPolicy {
        notifyFirst = Map.copyOf(notifyFirst);
        ackTimeout = Map.copyOf(ackTimeout);
    }

    /** blue → enterprise; yellow → + village, township; orange → + township, department; red → everyone to the county. */
    public static EscalationPolicy defaults() {
        return new EscalationPolicy(Map.of(
                Level.BLUE, Set.of(GridKind.ENTERPRISE),
                Level.YELLOW, Set.of(GridKind.ENTERPRISE, GridKind.VILLAGE, GridKind.TOWNSHIP),
                Level.ORANGE, Set.of(GridKind.ENTERPRISE, GridKind.VILLAGE, GridKind.TOWNSHIP, GridKind.DEPARTMENT),
                Level.RED, Set.copyOf(List.of(GridKind.values()))),
                Map.of(Level.BLUE, Duration.ofMinutes(30), Level.YELLOW, Duration.ofMinutes(15),
                        Level.ORANGE, Duration.ofMinutes(10), Level.RED, Duration.ofMinutes(5)));
    }
}
