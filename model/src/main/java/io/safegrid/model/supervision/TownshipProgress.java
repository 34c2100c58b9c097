package io.safegrid.model.supervision;

import io.safegrid.model.grid.GridPath;

/** A plan's completion in one township: tasks due, done (on time), late, and the hazards they raised. */
public record TownshipProgress(GridPath township, int due, int done, int late, int hazardsRaised, int hazardsAccepted) {
}
