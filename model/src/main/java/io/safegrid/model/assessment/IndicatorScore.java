package io.safegrid.model.assessment;

import java.util.List;

/**
 * One indicator of one unit and period, as measured.
 *
 * @param id          the indicator, as the configuration's weights name it (e.g. {@code hazard-closure})
 * @param measured    false where nothing could be measured (no port, no devices): its weight is left out
 * @param value       the figure shown: a share 0..1, a count or minutes, as the indicator says
 * @param goodness    0..1, how much of its weight the unit earned
 * @param weight      the configured weight
 * @param points      the points it adds to the score out of 100
 * @param numerator   what was counted (e.g. hazards closed) …
 * @param denominator … out of how many
 * @param evidence    the records that counted against the unit, at most {@link #EVIDENCE_LIMIT}
 * @param evidenceTotal how many there were in all
 */
public record IndicatorScore(String id, boolean measured, double value, double goodness, double weight, double points,
                             long numerator, long denominator, List<Evidence> evidence, long evidenceTotal) {
    public static final int EVIDENCE_LIMIT = 50;

    public IndicatorScore {
        evidence = List.copyOf(evidence);
    }
}
