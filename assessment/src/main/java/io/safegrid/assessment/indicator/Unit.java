package io.safegrid.assessment.indicator;

import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridPath;

/** A grid node that is scored or reported on: the scope itself, its townships, villages and departments, or a report's rows. */
public record Unit(GridPath path, String name, GridKind kind) {
}
