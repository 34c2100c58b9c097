package io.safegrid.hazard.deadline;

import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whom a running deadline tells, and when. Step 0 ("near"): the responsible person and the site's
 * roster, {@code warnBefore} ahead of the deadline. Step 1 ("overdue-1"): the first supervising
 * level above the site (its township) at the deadline. Step k: the k-th supervising level (the
 * county next), {@code climbAfter} after the step before. Supervising levels are the ancestors of
 * kind township and county; villages keep their own rosters for alarms but do not review hazards.
 */
public final class NoticeLadder {
    private final Duration warnBefore;
    private final Duration climbAfter;

    public NoticeLadder(Duration warnBefore, Duration climbAfter) {
        this.warnBefore = warnBefore;
        this.climbAfter = climbAfter;
    }

    /** The supervising levels above {@code site}, nearest first. */
    public static List<GridPath> levels(Grid grid, GridPath site) {
        List<GridPath> out = new ArrayList<>();
        for (GridPath p = site.parent(); p != null; p = p.parent()) {
            Optional<GridKind> kind = grid.node(p).map(GridNode::kind);
            if (kind.isEmpty() || kind.get() == GridKind.TOWNSHIP || kind.get() == GridKind.COUNTY) {
                out.add(p);
            }
        }
        return out;
    }

    /** The township above {@code site} (the first supervising level), or null at the top. */
    public static GridPath township(Grid grid, GridPath site) {
        List<GridPath> l = levels(grid, site);
        return l.isEmpty() ? null : l.get(0);
    }

    /** When step {@code step} is due for {@code deadline}; null when the ladder has no such step. */
    public Instant at(Instant deadline, int step, int levels) {
        if (deadline == null || step > levels) {
            return null;
        }
        if (step == 0) {
            return deadline.minus(warnBefore);
        }
        return deadline.plus(climbAfter.multipliedBy(step - 1L));
    }

    public static String stepName(int step) {
        return step == 0 ? "near" : "overdue-" + step;
    }
}
