package io.safegrid.model.redline;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.List;

/**
 * An enterprise under red-line management.
 *
 * @param level     the grid node of the unit that listed it: only that level or one above may remove it
 * @param handOffTo the authority a 除名 hand-off went to, with {@code handOffRef} its letter number; else null
 */
public record RedLineEntry(String id, GridPath site, GridPath level, String ruleId, String reason,
                           List<String> violationIds, EntryState state, String listedBy, Instant listedAt,
                           Instant updatedAt, String handOffTo, String handOffRef) {
    public RedLineEntry {
        violationIds = List.copyOf(violationIds);
    }
}
