package io.safegrid.assessment.report;

import io.safegrid.model.assessment.ReportFigures;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of a figures row, shared by the PDF and the spreadsheet so both print the same
 * numbers, in the same order, as the API gives them.
 */
final class Cells {
    static final List<String> KEYS = List.of("report.alarms", "report.ackMedian", "report.ackWithin",
            "report.countyEscalations", "report.hazardsOpened", "report.hazardsClosed", "report.hazardsOverdue",
            "report.inspectionsDue", "report.inspectionsDone");

    private Cells() {
    }

    /** Each column's value: a Long, a Double, or a String for "never" and "not measured". */
    static List<Object> values(ReportFigures f, ReportTexts t) {
        List<Object> out = new ArrayList<>();
        out.add(f.alarms());
        out.add(f.ackMedianMinutes() != null ? (Object) f.ackMedianMinutes()
                : f.alarms() == 0 ? "-" : t.t("report.never"));
        out.add(f.ackWithinTimeout());
        out.add(f.countyEscalations());
        out.add(f.hazardsOpened());
        out.add(f.hazardsClosed());
        out.add(f.hazardsOverdue());
        out.add(f.inspectionsDue() < 0 ? t.t("report.notMeasured") : (Object) (long) f.inspectionsDue());
        out.add(f.inspectionsDone() < 0 ? t.t("report.notMeasured") : (Object) (long) f.inspectionsDone());
        return out;
    }

    static String text(Object v) {
        return String.valueOf(v);
    }
}
