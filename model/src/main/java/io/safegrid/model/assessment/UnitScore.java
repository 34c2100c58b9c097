package io.safegrid.model.assessment;

import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridPath;
import java.util.List;

/**
 * The score of one township, department or village for a period.
 *
 * @param score    0..100: the weighted indicators, or the veto's score when vetoed
 * @param vetoedBy the accidents that vetoed it (一票否决); empty when not vetoed
 * @param rank     1 = best among the units of its kind in the scorecard
 */
public record UnitScore(GridPath unit, String name, GridKind kind, double score, List<String> vetoedBy, int rank,
                        List<IndicatorScore> indicators) {
    public UnitScore {
        vetoedBy = List.copyOf(vetoedBy);
        indicators = List.copyOf(indicators);
    }

    public boolean vetoed() {
        return !vetoedBy.isEmpty();
    }

    public UnitScore ranked(int rank) {
        return new UnitScore(unit, name, kind, score, vetoedBy, rank, indicators);
    }
}
