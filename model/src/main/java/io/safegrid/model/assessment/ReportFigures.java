package io.safegrid.model.assessment;

import io.safegrid.model.grid.GridPath;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one grid node for a report's period.
 *
 * @param byLevel           alarms per level (red, orange, yellow, blue)
 * @param byKind            alarms per finding kind
 * @param ackMedianMinutes  median time to the first acknowledgement; null when nothing was acknowledged
 * @param ackWithinTimeout  share acknowledged within their level's escalation timeout (1 with no alarms)
 * @param inspectionsDue    -1 where inspection completion is not measured on this node
 */
public record ReportFigures(GridPath node, String name, long alarms, Map<String, Long> byLevel, Map<String, Long> byKind,
                            Double ackMedianMinutes, Double ackP90Minutes, double ackWithinTimeout, long countyEscalations,
                            long hazardsOpened, long hazardsClosed, long hazardsOverdue, int inspectionsDue,
                            int inspectionsDone) {
    public ReportFigures {
        // kept in the maker's order (levels from red down, kinds by name): the files list them so
        byLevel = Collections.unmodifiableMap(new LinkedHashMap<>(byLevel));
        byKind = Collections.unmodifiableMap(new LinkedHashMap<>(byKind));
    }
}
