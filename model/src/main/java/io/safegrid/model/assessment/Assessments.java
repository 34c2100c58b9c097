package io.safegrid.model.assessment;

import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import java.time.Instant;
import java.util.List;

/**
 * The assessment (考核) as the console uses it; the assessment module implements it and the node
 * plugs it in. Errors: bad input throws {@link IllegalArgumentException}, an unknown accident
 * {@link java.util.NoSuchElementException}.
 */
public interface Assessments {

    /** Scores the subtree and its units for {@code [from, to)} from what the platform measured. */
    Scorecard assess(GridPath scope, Instant from, Instant to);

    /** Records an accident (county users only, checked by the caller); audited. */
    Accident recordAccident(Actor actor, GridPath site, AccidentSeverity severity, int deaths, Instant occurredAt,
                            String description);

    /** Accidents within the subtree that occurred in {@code [from, to)}, newest first. */
    List<Accident> accidents(GridPath subtree, Instant from, Instant to);

    /** Who recorded or changed an accident, oldest first, one line each. */
    List<String> accidentHistory(String id);
}
