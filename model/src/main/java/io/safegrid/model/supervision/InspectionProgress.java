package io.safegrid.model.supervision;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.List;

/**
 * How far the inspection plans of a part of the grid got, as the assessment (考核) and the reports
 * read it. The supervision module implements it from its plans and tasks; the node plugs it in.
 */
public interface InspectionProgress {

    /** The tasks whose target lies in {@code subtree} and that fell due in {@code [from, to)}. */
    Completion completion(GridPath subtree, Instant from, Instant to);

    /**
     * {@code due} tasks, of which {@code done} were done by their due date and {@code late} after it;
     * {@code taskIds} name them all, so a score can link to the records behind it.
     */
    record Completion(int due, int done, int late, List<String> taskIds) {
        public Completion {
            taskIds = List.copyOf(taskIds);
        }

        /** done / due, or 1 where nothing fell due. */
        public double share() {
            return due == 0 ? 1.0 : (double) done / due;
        }
    }
}
