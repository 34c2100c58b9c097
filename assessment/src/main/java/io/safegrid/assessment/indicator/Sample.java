package io.safegrid.assessment.indicator;

import io.safegrid.model.assessment.Evidence;
import io.safegrid.model.assessment.IndicatorScore;
import java.util.ArrayList;
import java.util.List;

/** The records that counted against a unit for one indicator: the first few kept to link to, all counted. */
public final class Sample {
    private final String kind;
    private final List<Evidence> kept = new ArrayList<>();
    private long total;

    public Sample(String kind) {
        this.kind = kind;
    }

    public void add(String id) {
        total++;
        if (kept.size() < IndicatorScore.EVIDENCE_LIMIT) {
            kept.add(new Evidence(kind, id));
        }
    }

    public List<Evidence> kept() { return List.copyOf(kept); }

    public long total() { return total; }
}
