package io.safegrid.assessment.score;

import io.safegrid.model.assessment.UnitScore;
import io.safegrid.model.grid.GridKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Ranks scores within each kind of unit (townships among townships, departments among departments), best first; ties share a rank. */
public final class Ranking {
    private Ranking() {
    }

    public static List<UnitScore> rank(List<UnitScore> scores) {
        Map<GridKind, List<UnitScore>> byKind = new EnumMap<>(GridKind.class);
        for (UnitScore s : scores) {
            byKind.computeIfAbsent(s.kind(), k -> new ArrayList<>()).add(s);
        }
        List<UnitScore> out = new ArrayList<>();
        for (List<UnitScore> group : byKind.values()) {
            group.sort(Comparator.comparingDouble(UnitScore::score).reversed().thenComparing(UnitScore::name));
            int rank = 0;
            for (int i = 0; i < group.size(); i++) {
                if (i == 0 || group.get(i).score() != group.get(i - 1).score()) {
                    rank = i + 1;
                }
                out.add(group.get(i).ranked(rank));
            }
        }
        return out;
    }
}
