package io.safegrid.model.hazard;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The hazard register read in bulk, as the assessment (考核) and the reports count it. The hazard
 * module implements it on its tables; the node plugs it in.
 */
public interface HazardFacts {

    /** Hazards within {@code subtree} reported before {@code to} and not accepted before {@code from}. */
    void scan(GridPath subtree, Instant from, Instant to, Consumer<Fact> sink);

    /**
     * @param closedAt       when it was accepted (销号), or null while open
     * @param deadline       the rectification deadline, or null
     * @param listedDeadline the 挂牌督办 deadline, or null when not listed
     */
    record Fact(String id, GridPath site, List<GridPath> departments, HazardGrade grade, Instant reportedAt,
                Instant closedAt, Instant deadline, Instant listedDeadline) {
        public Fact {
            departments = departments == null ? List.of() : List.copyOf(departments);
        }

        /** The deadline that counts: the listing's when listed. */
        public Instant effectiveDeadline() {
            return listedDeadline != null ? listedDeadline : deadline;
        }

        /** Still open at {@code at}. */
        public boolean openAt(Instant at) {
            return !reportedAt.isAfter(at) && (closedAt == null || closedAt.isAfter(at));
        }
    }
}
