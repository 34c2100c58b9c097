package io.safegrid.assessment.report;

import io.safegrid.assessment.indicator.Measurement;
import io.safegrid.assessment.indicator.Progress;
import io.safegrid.assessment.indicator.Sources;
import io.safegrid.assessment.indicator.Tally;
import io.safegrid.assessment.indicator.Unit;
import io.safegrid.assessment.score.AssessmentService;
import io.safegrid.config.Deployment;
import io.safegrid.model.Level;
import io.safegrid.model.assessment.Report;
import io.safegrid.model.assessment.ReportFigures;
import io.safegrid.model.assessment.Scorecard;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Makes the figures of a report (汇总汇报): one measurement of the node's subtree counts the node,
 * each of its children (the roll-up: a county's townships, a township's villages, a village's
 * enterprises) and the units the assessment ranks, so a county month reads each alarm once.
 */
public final class ReportMaker {
    private ReportMaker() {
    }

    public static Report make(Deployment d, Sources sources, GridPath node, ReportPeriod period, ZoneId zone,
                              Progress progress, Instant now) {
        GridNode self = d.grid().node(node).orElseThrow(() -> new IllegalArgumentException("no such grid node: " + node));
        Set<Unit> units = new LinkedHashSet<>(Measurement.unitsOf(d.grid(), node));
        List<GridPath> children = new ArrayList<>();
        for (GridNode c : d.grid().children(node)) {
            units.add(Measurement.unit(c));
            children.add(c.path());
        }
        Measurement m = new Measurement(d, node, List.copyOf(units), period.from(), period.to())
                .run(sources, zone, progress, 0.8);
        Scorecard card = AssessmentService.scorecard(d, node, m);
        List<ReportFigures> rows = new ArrayList<>();
        for (GridPath c : children) {
            rows.add(figures(m.tallies().get(c)));
        }
        return new Report(node, self.name(), period.span(), period.first(), period.last(), period.from(), period.to(),
                figures(m.tallies().get(node)), rows, card.units(), now);
    }

    static ReportFigures figures(Tally t) {
        Map<String, Long> byLevel = new LinkedHashMap<>();
        Level[] levels = Level.values();
        for (int i = levels.length - 1; i >= 0; i--) {
            Level l = levels[i];
            byLevel.put(l.name().toLowerCase(Locale.ROOT), t.byLevel[l.ordinal()]);
        }
        Map<String, Long> byKind = new TreeMap<>();
        t.byKind.forEach((k, v) -> byKind.put(k, v[0]));
        double within = t.alarms == 0 ? 1 : (double) t.ackWithinTimeout / t.alarms;
        return new ReportFigures(t.unit.path(), t.unit.name(), t.alarms, byLevel, byKind, round(t.ackMedianMinutes()),
                round(t.ackQuantileMinutes(0.9)), Math.round(within * 10_000) / 10_000.0, t.countyEscalationCount(),
                t.hazardsOpened, t.hazardsClosed, t.overdue(), t.inspections == null ? -1 : t.inspections.due(),
                t.inspections == null ? -1 : t.inspections.done());
    }

    private static Double round(Double minutes) {
        return minutes == null ? null : Math.round(minutes * 10) / 10.0;
    }
}
