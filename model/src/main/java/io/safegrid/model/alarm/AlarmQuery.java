package io.safegrid.model.alarm;

import io.safegrid.model.Level;
import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.Set;

/**
 * A filter over alarms, newest raised first. Null or empty means "any".
 *
 * @param subtree only alarms at this grid node or below it (a user's scope)
 * @param from    raised at or after
 * @param to      raised before
 * @param limit   page size, 1..500 (default 50)
 */
public record AlarmQuery(GridPath subtree, Set<Level> levels, Set<AlarmState> states, Instant from, Instant to,
                         int offset, int limit) {
    public static final int MAX_LIMIT = 500;

    public AlarmQuery {
        levels = levels == null ? Set.of() : Set.copyOf(levels);
        states = states == null ? Set.of() : Set.copyOf(states);
        offset = Math.max(0, offset);
        limit = limit <= 0 ? 50 : Math.min(limit, MAX_LIMIT);
    }

    /** Everything, first page. */
    public static AlarmQuery all() {
        return new AlarmQuery(null, null, null, null, null, 0, 50);
    }

    /** Open alarms (not closed) within a subtree. */
    public static AlarmQuery open(GridPath subtree) {
        return new AlarmQuery(subtree, null, Set.of(AlarmState.RAISED, AlarmState.ACKNOWLEDGED, AlarmState.CLEARED),
                null, null, 0, 50);
    }

    public AlarmQuery page(int newOffset, int newLimit) {
        return new AlarmQuery(subtree, levels, states, from, to, newOffset, newLimit);
    }
}
