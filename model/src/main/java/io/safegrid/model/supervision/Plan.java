package io.safegrid.model.supervision;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.List;

/** A stored inspection plan; {@code targets} are those its tasks were made for. */
public record Plan(String id, String title, GridPath owner, List<GridPath> targets, TargetRule rule,
                   List<String> inspectors, Instant startsAt, Instant dueAt, String template, List<CheckItem> items,
                   boolean unannounced, String createdBy, Instant createdAt) {
    public Plan {
        targets = List.copyOf(targets);
        inspectors = List.copyOf(inspectors);
        items = List.copyOf(items);
    }
}
