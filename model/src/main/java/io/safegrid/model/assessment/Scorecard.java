package io.safegrid.model.assessment;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.List;

/**
 * The assessment of a subtree for {@code [from, to)}: the subtree's own score, then its townships,
 * departments and villages, each kind ranked best first.
 */
public record Scorecard(GridPath scope, Instant from, Instant to, UnitScore total, List<UnitScore> units) {
    public Scorecard {
        units = List.copyOf(units);
    }
}
