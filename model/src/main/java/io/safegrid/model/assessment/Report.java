package io.safegrid.model.assessment;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A report (汇总汇报) of one grid node: its own figures, one row per child (village → township →
 * county roll-up) and the assessment ranking of its units.
 */
public record Report(GridPath node, String name, ReportSpan span, LocalDate first, LocalDate last, Instant from,
                     Instant to, ReportFigures total, List<ReportFigures> children, List<UnitScore> ranking,
                     Instant madeAt) {
    public Report {
        children = List.copyOf(children);
        ranking = List.copyOf(ranking);
    }
}
