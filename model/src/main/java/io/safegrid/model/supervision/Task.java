package io.safegrid.model.supervision;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.List;

/**
 * One enterprise's inspection in a plan.
 *
 * @param location where the inspector finished it, as the phone reported (free text, e.g. "36.33,111.21 ±20 m")
 */
public record Task(String id, String planId, String planTitle, GridPath target, List<String> inspectors, Instant dueAt,
                   boolean unannounced, boolean done, List<ItemResult> items, String doneBy, Instant doneAt,
                   String location) {
    public Task {
        inspectors = List.copyOf(inspectors);
        items = List.copyOf(items);
    }

    public boolean late() { return done && doneAt.isAfter(dueAt); }
}
