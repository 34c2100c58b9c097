package io.safegrid.model.hazard;

import io.safegrid.model.grid.GridPath;
import java.util.Set;

/**
 * A filter over hazards, newest reported first. Null or empty means "any".
 *
 * @param subtree    hazards at this grid node or below
 * @param department also hazards of sites this industry department is responsible for (OR with subtree)
 * @param overdue    only those past their deadline that counts (true) or not (false)
 * @param listed     only those under 挂牌督办 (true)
 */
public record HazardQuery(GridPath subtree, GridPath department, Set<HazardGrade> grades, Set<HazardState> states,
                          Boolean overdue, Boolean listed, int offset, int limit) {
    public static final int MAX_LIMIT = 500;

    public HazardQuery {
        grades = grades == null ? Set.of() : Set.copyOf(grades);
        states = states == null ? Set.of() : Set.copyOf(states);
        offset = Math.max(0, offset);
        limit = limit <= 0 ? 50 : Math.min(limit, MAX_LIMIT);
    }

    public static HazardQuery within(GridPath subtree) {
        return new HazardQuery(subtree, null, null, null, null, null, 0, 50);
    }
}
