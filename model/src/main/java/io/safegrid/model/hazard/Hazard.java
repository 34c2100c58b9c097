package io.safegrid.model.hazard;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.List;

/**
 * One hidden hazard (隐患) as it stands now; {@link HazardRegister#timeline} has how it got here.
 *
 * @param site        the grid node (enterprise or site) it belongs to
 * @param departments the industry departments responsible for the site (the vertical line), copied at report time
 * @param sourceRef   the alarm or finding id it was raised from, else null
 * @param supervision the 挂牌督办 listing, or null
 */
public record Hazard(String id, GridPath site, List<GridPath> departments, String place, HazardSource source,
                     String sourceRef, HazardGrade grade, String category, String description, HazardState state,
                     FiveMeasures five, Supervision supervision, String reportedBy, Instant reportedAt,
                     Instant updatedAt, List<PhotoRef> photos) {
    public Hazard {
        departments = departments == null ? List.of() : List.copyOf(departments);
        photos = photos == null ? List.of() : List.copyOf(photos);
        five = five == null ? FiveMeasures.none() : five;
    }

    /** The deadline that counts: the supervision's when listed, else the rectification deadline. */
    public Instant effectiveDeadline() {
        return supervision != null && supervision.deadline() != null ? supervision.deadline() : five.deadline();
    }

    /** Open and past the deadline that counts (a hazard waiting for review is not the enterprise's delay). */
    public boolean overdue(Instant now) {
        Instant d = effectiveDeadline();
        return state.open() && state != HazardState.SUBMITTED && d != null && now.isAfter(d);
    }
}
