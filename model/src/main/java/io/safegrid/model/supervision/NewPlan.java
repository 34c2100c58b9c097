package io.safegrid.model.supervision;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.List;

/**
 * An inspection plan as the planner writes it. Targets are named, or follow from {@code rule}
 * (both may be given: the union). Each target gets one task due at {@code dueAt}.
 *
 * @param owner       the planning unit (a township or a department); the plan's tasks must lie in its reach
 * @param template    the checklist template it started from, or null
 * @param items       the checklist as edited
 * @param unannounced 四不两直: the enterprise sees the task only after it is done
 */
public record NewPlan(String title, GridPath owner, List<GridPath> targets, TargetRule rule, List<String> inspectors,
                      Instant startsAt, Instant dueAt, String template, List<CheckItem> items, boolean unannounced) {
    public NewPlan {
        targets = targets == null ? List.of() : List.copyOf(targets);
        inspectors = inspectors == null ? List.of() : List.copyOf(inspectors);
        items = items == null ? List.of() : List.copyOf(items);
    }
}
