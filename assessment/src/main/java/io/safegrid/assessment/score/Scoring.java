package io.safegrid.assessment.score;

import io.safegrid.assessment.indicator.Sample;
import io.safegrid.assessment.indicator.Tally;
import io.safegrid.config.AssessmentConfig;
import io.safegrid.model.assessment.Evidence;
import io.safegrid.model.assessment.IndicatorScore;
import io.safegrid.model.assessment.UnitScore;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a unit's tally into its score: each indicator earns a share ("goodness", 0..1) of its weight,
 * the score is the earned weight over the measured indicators' weights, out of 100; a vetoing
 * accident (一票否决) sets it to the configured veto score instead. See docs/assessment.md for each
 * indicator's formula.
 */
public final class Scoring {
    /** The ack-median value when half or more alarms were never acknowledged. */
    public static final double NEVER = -1;

    private final AssessmentConfig config;

    public Scoring(AssessmentConfig config) {
        this.config = config;
    }

    public UnitScore score(Tally t) {
        List<Measured> m = new ArrayList<>();
        Double median = t.ackMedianMinutes();
        double target = config.ackTarget().toMillis() / 60_000.0;
        // unacknowledged alarms count as never acknowledged: half or more of them and the median is "never"
        m.add(new Measured("ack-median", true, median == null ? (t.alarms == 0 ? 0 : NEVER) : median,
                t.alarms == 0 ? 1 : median == null ? 0 : Math.min(1, target / Math.max(median, 1e-9)),
                t.ackCount, t.alarms, t.lateAcks));
        m.add(share("ack-within-timeout", t.ackWithinTimeout, t.alarms, t.lateAcks));
        m.add(againstTotal("county-escalations", t.countyEscalationCount(), t.alarms, t.countyEscalations, true));
        m.add(share("hazard-closure", t.hazardsClosed, t.hazards, t.hazardsLeftOpen));
        m.add(againstTotal("overdue-hazards", t.overdue(), t.hazards, t.overdueHazards, true));
        m.add(share("listed-on-time", t.listedOnTime, t.listedDue, t.listedLate));
        if (t.inspections == null) {
            m.add(Measured.absent("inspection-completion"));
        } else {
            Sample tasks = new Sample("task");
            t.inspections.taskIds().forEach(tasks::add);
            m.add(new Measured("inspection-completion", true, t.inspections.share(), t.inspections.share(),
                    t.inspections.done(), t.inspections.due(), tasks));
        }
        m.add(againstTotal("devices-offline", t.offlineDevices.size(), t.devices, t.offline, t.devices > 0));
        if (t.ignoringEnterprises == null) {
            m.add(Measured.absent("certificates-ignored"));
        } else {
            m.add(againstTotal("certificates-ignored", t.ignoringEnterprises.size(), t.enterprises,
                    t.ignoredCertificates, t.enterprises > 0));
        }
        double weights = 0;
        double earned = 0;
        for (Measured x : m) {
            if (x.measured) {
                weights += config.weight(x.id);
                earned += config.weight(x.id) * x.goodness;
            }
        }
        List<IndicatorScore> out = new ArrayList<>();
        for (Measured x : m) {
            double w = config.weight(x.id);
            double points = x.measured && weights > 0 ? 100 * w * x.goodness / weights : 0;
            out.add(new IndicatorScore(x.id, x.measured, x.value, x.goodness, w, round(points), x.numerator, x.denominator,
                    x.evidence == null ? List.<Evidence>of() : x.evidence.kept(), x.evidence == null ? 0 : x.evidence.total()));
        }
        double score = weights > 0 ? 100 * earned / weights : 100;
        List<String> vetoedBy = t.vetoes.kept().stream().map(Evidence::id).toList();
        if (!vetoedBy.isEmpty()) {
            score = config.vetoScore();
        }
        return new UnitScore(t.unit.path(), t.unit.name(), t.unit.kind(), round(score), vetoedBy, 0, out);
    }

    /** Two decimals: what the console, the PDF and the spreadsheet show, so they agree to the digit. */
    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static Measured share(String id, long good, long of, Sample against) {
        double s = of == 0 ? 1 : (double) good / of;
        return new Measured(id, true, s, s, good, of, against);
    }

    /** A count of bad things against a total: the goodness is the share that was not bad. */
    private static Measured againstTotal(String id, long bad, long of, Sample against, boolean measured) {
        if (!measured) {
            return Measured.absent(id);
        }
        double g = of == 0 ? 1 : Math.max(0, 1 - (double) bad / of);
        return new Measured(id, true, bad, g, bad, of, against);
    }

    private record Measured(String id, boolean measured, double value, double goodness, long numerator, long denominator,
                            Sample evidence) {
        static Measured absent(String id) {
            return new Measured(id, false, 0, 0, 0, 0, null);
        }
    }
}
