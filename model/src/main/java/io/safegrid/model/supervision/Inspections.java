package io.safegrid.model.supervision;

import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import io.safegrid.model.hazard.HazardGrade;
import io.safegrid.model.hazard.Photo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Supervision in PDCA cycles: plans (计划), tasks done on site (实施), re-inspection and completion
 * (检查), and the items that keep failing (改进). The supervision module implements it; the console
 * checks grid scope first, the service the rules that depend on role and state.
 *
 * <p>Errors as the hazard register's: {@link java.util.NoSuchElementException} for an unknown id,
 * {@link io.safegrid.model.hazard.HazardRefused} for a refused action, and then nothing was written.
 */
public interface Inspections {

    List<Checklist> templates();

    Plan createPlan(Actor actor, NewPlan plan);

    Optional<Plan> plan(String id);

    /** Plans whose owner lies in {@code subtree}, or whose tasks do; newest first. */
    List<Plan> plans(GridPath subtree);

    Optional<Task> task(String id);

    /** Tasks of a plan, or (planId null) tasks whose target lies in {@code subtree}; due first. */
    List<Task> tasks(String planId, GridPath subtree);

    Task check(Actor actor, String taskId, int item, ItemCheck check);

    /** Finishes the task: every item checked, the time (the service's clock) and the location recorded. */
    Task complete(Actor actor, String taskId, String location);

    /** 一键转隐患: a failed item becomes a hazard in the register, carrying its text, note and photos. */
    Task raiseHazard(Actor actor, String taskId, int item, HazardGrade grade);

    /** 复查: accepts (销号) or rejects the rectification of a hazard raised from this item. */
    Reinspection reinspect(Actor actor, String taskId, int item, boolean accepted, String note);

    List<Reinspection> reinspections(String taskId);

    /** A plan's completion per township, the hazards it raised and how many were accepted. */
    List<TownshipProgress> progress(String planId);

    /** Items that failed at {@code minEnterprises} or more enterprises in {@code subtree} within {@code [from, to)}. */
    List<Improvement> improvements(GridPath subtree, Instant from, Instant to, int minEnterprises);

    Optional<Photo> photo(String taskId, String photoId);

    Instant now();
}
