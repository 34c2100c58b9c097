package io.safegrid.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code assessment:}, the assessment (考核) and the scheduled reports (汇总汇报).
 *
 * @param url           JDBC URL of the accident store; null: an embedded H2 file {@code assessment} in the data dir
 * @param weights       indicator id → weight; the score is out of 100 over the measured indicators' weights
 * @param ackTarget     a median acknowledgement time at or under this earns the full weight
 * @param vetoSeverities accident severities (fatal, serious, minor) that veto a score (一票否决)
 * @param vetoScore     the score a vetoed unit gets
 * @param reports       the reports sent on schedule
 */
public record AssessmentConfig(String url, String user, String password, Map<String, Double> weights,
                               Duration ackTarget, List<String> vetoSeverities, double vetoScore,
                               List<ScheduledReport> reports) {

    /** The indicators, in the order the scorecard and the reports show them. */
    public static final List<String> INDICATORS = List.of("ack-median", "ack-within-timeout", "county-escalations",
            "hazard-closure", "overdue-hazards", "listed-on-time", "inspection-completion", "devices-offline",
            "certificates-ignored");
    public static final List<String> SEVERITIES = List.of("fatal", "serious", "minor");
    public static final List<String> SPANS = List.of("daily", "weekly", "monthly");

    /**
     * A report sent on schedule: of {@code node}, for each of {@code spans}, at {@code hour} (county time)
     * after the span closed, to the node's roster.
     */
    public record ScheduledReport(String node, List<String> spans, int hour) {
        public ScheduledReport {
            spans = List.copyOf(spans);
        }
    }

    public AssessmentConfig {
        weights = Map.copyOf(weights);
        vetoSeverities = List.copyOf(vetoSeverities);
        reports = List.copyOf(reports);
    }

    public static Map<String, Double> defaultWeights() {
        Map<String, Double> w = new LinkedHashMap<>();
        double[] v = {10, 15, 10, 15, 10, 10, 15, 10, 5};
        for (int i = 0; i < INDICATORS.size(); i++) {
            w.put(INDICATORS.get(i), v[i]);
        }
        return w;
    }

    public static AssessmentConfig defaults() {
        return new AssessmentConfig(null, null, null, defaultWeights(), Duration.ofMinutes(5), List.of("fatal"), 0,
                List.of());
    }

    public double weight(String indicator) {
        return weights.getOrDefault(indicator, 0.0);
    }

    @Override
    public String toString() {
        return "AssessmentConfig[" + (url == null ? "embedded" : url) + ", weights " + weights + ", veto "
                + vetoSeverities + " → " + vetoScore + ", " + reports.size() + " scheduled reports]";
    }
}
