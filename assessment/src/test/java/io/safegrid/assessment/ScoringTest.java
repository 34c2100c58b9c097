package io.safegrid.assessment;

import static io.safegrid.assessment.Fixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.assessment.score.AssessmentService;
import io.safegrid.model.assessment.Evidence;
import io.safegrid.model.assessment.IndicatorScore;
import io.safegrid.model.assessment.Scorecard;
import io.safegrid.model.assessment.UnitScore;
import io.safegrid.model.grid.GridPath;
import io.safegrid.assessment.indicator.Sources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture's quarter scored by the service must match the figures worked out by hand (docs/assessment.md). */
class ScoringTest {
    @TempDir
    Path dir;

    private Scorecard assess(List<String> veto, double vetoScore, boolean inspections, GridPath scope) throws Exception {
        Sources s = sources(Files.createTempDirectory(dir, "book"), inspections);
        var service = new AssessmentService(source(deployment(config(veto, vetoScore))), () -> s, ZONE,
                new SimpleMeterRegistry());
        return service.assess(scope, F, T);
    }

    private static UnitScore unit(Scorecard c, GridPath p) {
        return c.units().stream().filter(u -> u.unit().equals(p)).findFirst().orElseThrow();
    }

    private static IndicatorScore ind(UnitScore u, String id) {
        return u.indicators().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void townshipOneScoresAsComputedByHand() throws Exception {
        UnitScore t1 = unit(assess(List.of("fatal"), 0, true, CTY), T1);
        // alarms a1..a4: acked after 2, 20, never, 4 min; the nearest-rank median of four is the 2nd: 4 min ≤ 5 min target
        assertThat(ind(t1, "ack-median").value()).isEqualTo(4.0);
        assertThat(ind(t1, "ack-median").goodness()).isEqualTo(1.0);
        assertThat(ind(t1, "ack-within-timeout").goodness()).isEqualTo(0.5);
        assertThat(ind(t1, "ack-within-timeout").evidence()).extracting(Evidence::id).containsExactlyInAnyOrder("a2", "a3");
        assertThat(ind(t1, "county-escalations").goodness()).isEqualTo(0.75);
        assertThat(ind(t1, "hazard-closure").goodness()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(ind(t1, "overdue-hazards").value()).isEqualTo(1.0);
        assertThat(ind(t1, "overdue-hazards").evidence()).containsExactly(new Evidence("hazard", "h2"));
        assertThat(ind(t1, "listed-on-time").goodness()).isEqualTo(1.0);
        assertThat(ind(t1, "inspection-completion").goodness()).isEqualTo(0.75);
        assertThat(ind(t1, "devices-offline").evidence()).containsExactly(new Evidence("device", "s3"));
        assertThat(ind(t1, "devices-offline").goodness()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(ind(t1, "certificates-ignored").goodness()).isEqualTo(0.5);
        assertThat(ind(t1, "certificates-ignored").evidence()).containsExactly(new Evidence("archive", "c1"));
        // 10 + 7.5 + 7.5 + 10 + 6.667 + 10 + 11.25 + 6.667 + 2.5
        assertThat(t1.score()).isEqualTo(72.08);
        assertThat(t1.vetoed()).isFalse();
    }

    @Test
    void aFatalAccidentVetoesTheTownshipItsDepartmentAndTheCountyToTheConfiguredScore() throws Exception {
        Scorecard c = assess(List.of("fatal"), 0, true, CTY);
        assertThat(unit(c, T2).score()).isEqualTo(0.0);
        assertThat(unit(c, T2).vetoedBy()).hasSize(1);
        assertThat(unit(c, COAL).score()).isEqualTo(0.0);
        assertThat(unit(c, V2).vetoed()).isTrue();
        assertThat(c.total().vetoed()).isTrue();
        assertThat(unit(c, T1).rank()).isEqualTo(1);
        assertThat(unit(c, T2).rank()).isEqualTo(2);

        Scorecard sixty = assess(List.of("fatal"), 60, true, CTY);
        assertThat(unit(sixty, T2).score()).isEqualTo(60.0);
    }

    @Test
    void withoutAVetoingSeverityTheWeightedScoreStandsAndRanksFirst() throws Exception {
        Scorecard c = assess(List.of("serious"), 0, true, CTY);
        // 5 + 15 + 10 + 15 + 10 + 0 + 15 + 10 + 5: the one listed hazard (h5) was accepted two days late
        assertThat(unit(c, T2).score()).isEqualTo(85.0);
        assertThat(unit(c, T2).rank()).isEqualTo(1);
        assertThat(unit(c, T1).rank()).isEqualTo(2);
        // the coal department over e1 and e3: acks 2, 10, 20 min (median 10), a2 late and at the county
        assertThat(unit(c, COAL).score()).isEqualTo(81.67);
        assertThat(ind(unit(c, COAL), "listed-on-time").evidence()).containsExactly(new Evidence("hazard", "h5"));
    }

    @Test
    void withoutAnInspectionSourceItsWeightIsLeftOut() throws Exception {
        UnitScore t1 = unit(assess(List.of("fatal"), 0, false, CTY), T1);
        assertThat(ind(t1, "inspection-completion").measured()).isFalse();
        // (72.083 - 11.25) / 85 * 100
        assertThat(t1.score()).isEqualTo(71.57);
    }

    @Test
    void aTownshipScopeScoresItsOwnSubtreeOnly() throws Exception {
        Scorecard c = assess(List.of("fatal"), 0, true, T1);
        assertThat(c.total().unit()).isEqualTo(T1);
        assertThat(c.total().score()).isEqualTo(72.08);
        assertThat(c.units()).extracting(UnitScore::unit).containsExactly(V1);
    }
}
