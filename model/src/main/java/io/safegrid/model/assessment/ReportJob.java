package io.safegrid.model.assessment;

import io.safegrid.model.grid.GridPath;
import java.time.LocalDate;

/**
 * A report being made: a long one (a county month) takes seconds, so it runs in the background and
 * says how far it got.
 *
 * @param state    running, done or failed
 * @param progress 0..1
 * @param phase    what it does now (alarms, hazards, inspections, scores, pdf, xlsx)
 */
public record ReportJob(String id, GridPath node, ReportSpan span, LocalDate day, String state, double progress,
                        String phase, String error) {
    public boolean done() {
        return "done".equals(state);
    }
}
