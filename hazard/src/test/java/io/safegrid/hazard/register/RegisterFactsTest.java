package io.safegrid.hazard.register;

import static io.safegrid.hazard.register.HazardRegisterContract.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.HazardsConfig;
import io.safegrid.config.demo.DemoCounty;
import io.safegrid.testing.MovingClock;
import io.safegrid.hazard.store.HazardDatabase;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.FiveMeasures;
import io.safegrid.model.hazard.Hazard;
import io.safegrid.model.hazard.HazardFacts;
import io.safegrid.model.hazard.HazardGrade;
import io.safegrid.model.hazard.PhotoUpload;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The register read in bulk: when a hazard was accepted, its deadline, and which periods it was open in. */
class RegisterFactsTest {
    @TempDir
    Path dir;

    @Test
    void anAcceptedHazardCarriesItsAcceptanceAndLeavesLaterPeriods() throws Exception {
        MovingClock clock = new MovingClock(START);
        HazardsConfig d = HazardsConfig.defaults();
        HazardSettings s = new HazardSettings(HazardDatabase.embeddedUrl(dir), null, null, 4096, d.photoTypes(), 5,
                Duration.ofDays(3), Duration.ofDays(1), Duration.ofMinutes(1));
        try (HazardService register = new HazardService(ConfigSource.of(DemoCounty.load(name -> null)), s, clock,
                new SimpleMeterRegistry()).notices(new io.safegrid.hazard.RecordingNotices()).start(false)) {
            Hazard done = register.report(MINE, report(COAL, HazardGrade.LARGER, List.of()));
            Hazard open = register.report(MINE, report(COAL, HazardGrade.GENERAL, List.of()));
            Instant deadline = START.plus(Duration.ofDays(10));
            register.assign(TOWN, done.id(), new FiveMeasures("zhang-hui", "加装双电源切换", 1000L, deadline, "预案"), null);
            register.startRectifying(MINE, done.id(), null);
            register.submit(MINE, done.id(), "已加装", List.of(new PhotoUpload("after", PNG)));
            clock.advance(Duration.ofDays(2));
            register.accept(TOWN, done.id(), "现场核查合格");
            Instant accepted = clock.instant();

            HazardFacts facts = register.facts();
            List<HazardFacts.Fact> got = scan(facts, KECHENG, START.minus(Duration.ofDays(1)), START.plus(Duration.ofDays(30)));
            assertThat(got).extracting(HazardFacts.Fact::id).containsExactlyInAnyOrder(done.id(), open.id());
            HazardFacts.Fact f = got.stream().filter(x -> x.id().equals(done.id())).findFirst().orElseThrow();
            assertThat(f.closedAt()).isEqualTo(accepted);
            assertThat(f.deadline()).isEqualTo(deadline);
            assertThat(f.departments()).containsExactly(EMERGENCY);
            assertThat(got.stream().filter(x -> x.id().equals(open.id())).findFirst().orElseThrow().closedAt()).isNull();

            // a later period: the accepted one is gone, the open one still counts
            assertThat(scan(facts, COUNTY, accepted.plusSeconds(1), accepted.plus(Duration.ofDays(30))))
                    .extracting(HazardFacts.Fact::id).containsExactly(open.id());
            // deeper than the indexed ancestors, and a subtree it is not in
            assertThat(scan(facts, COAL, START, accepted.plusSeconds(1))).hasSize(2);
            assertThat(scan(facts, BRICK, START, accepted.plusSeconds(1))).isEmpty();
        }
    }

    private static List<HazardFacts.Fact> scan(HazardFacts facts, GridPath subtree, Instant from, Instant to) {
        List<HazardFacts.Fact> out = new ArrayList<>();
        facts.scan(subtree, from, to, out::add);
        return out;
    }
}
