package io.safegrid.analytics.rules;

import static io.safegrid.analytics.rules.RuleFixtures.CH4;
import static io.safegrid.analytics.rules.RuleFixtures.METHANE;
import static io.safegrid.analytics.rules.RuleFixtures.MINE;
import static io.safegrid.analytics.rules.RuleFixtures.deployment;
import static io.safegrid.analytics.rules.RuleFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.RuleDef;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.reading.DataFlag;
import io.safegrid.model.reading.Period;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.reading.Statistic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleEngineTest {
    private static final Instant T0 = Instant.parse("2026-11-29T02:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RuleEngine engine = new RuleEngine(registry);
    private final List<Finding> out = new ArrayList<>();

    private List<Finding> feed(String device, String metric, double value, int secondsFromStart, DataFlag flag)
            throws InterruptedException {
        out.clear();
        engine.evaluate(new Reading(device, MINE, metric, value, T0.plusSeconds(secondsFromStart), Period.REALTIME,
                Statistic.VALUE, flag, null), out::add);
        return List.copyOf(out);
    }

    private List<Finding> ch4(double value, int s) throws InterruptedException {
        return feed(CH4.id(), "ch4", value, s, DataFlag.N);
    }

    @Test
    void methaneRaisesAtEachLevelChangeAndClearsOnlyBelowTheClearValue() throws Exception {
        engine.reload(deployment(List.of(METHANE)));

        assertThat(ch4(0.5, 0)).isEmpty();
        List<Finding> yellow = ch4(0.8, 10);
        assertThat(yellow).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.THRESHOLD);
            assertThat(f.level()).isEqualTo(Level.YELLOW);
            assertThat(f.condition()).isEqualTo(Condition.ACTIVE);
            assertThat(f.value()).isEqualTo(0.8);
            assertThat(f.threshold()).isEqualTo(0.75);
            assertThat(f.rule()).isEqualTo("methane-working-face");
            assertThat(f.sourceId()).isEqualTo("ch4-t1");
            assertThat(f.site()).isEqualTo(MINE);
            assertThat(f.details()).containsEntry("metric", "ch4").containsEntry("unit", "%")
                    .containsEntry("gridPath", MINE.toString());
            assertThat(f.message()).contains("甲烷").contains("Methane").contains("三级(黄色)预警").contains("0.8");
        });
        assertThat(ch4(0.9, 20)).as("same level: nothing new").isEmpty();
        assertThat(ch4(1.6, 30)).singleElement().satisfies(f -> {
            assertThat(f.level()).isEqualTo(Level.RED);
            assertThat(f.threshold()).isEqualTo(1.5);
        });
        assertThat(ch4(1.2, 40)).singleElement().extracting(Finding::level).isEqualTo(Level.ORANGE);
        assertThat(ch4(0.72, 50)).as("below yellow but above clear: stays yellow").singleElement()
                .extracting(Finding::level, Finding::condition).containsExactly(Level.YELLOW, Condition.ACTIVE);
        assertThat(ch4(0.71, 60)).isEmpty();
        assertThat(ch4(0.69, 70)).singleElement().satisfies(f -> {
            assertThat(f.condition()).isEqualTo(Condition.CLEARED);
            assertThat(f.threshold()).isEqualTo(0.7);
        });
        assertThat(ch4(0.72, 80)).as("hysteresis: no re-raise below the yellow limit").isEmpty();
    }

    @Test
    void invalidFlagsAreNotJudgedAndStatisticsAreSkipped() throws Exception {
        engine.reload(deployment(List.of(METHANE)));
        assertThat(feed(CH4.id(), "ch4", 2.0, 0, DataFlag.C)).as("calibrating").isEmpty();
        assertThat(feed(CH4.id(), "ch4", 2.0, 1, DataFlag.M)).as("maintenance").isEmpty();
        engine.evaluate(new Reading(CH4.id(), MINE, "ch4", 2.0, T0, Period.MINUTE, Statistic.AVG, DataFlag.N, null),
                out::add);
        assertThat(out).isEmpty();
        assertThat(feed("nobody", "ch4", 2.0, 2, DataFlag.N)).isEmpty();
        assertThat(registry.get("safegrid.rules.readings").tag("outcome", "unknown-device").counter().count())
                .isEqualTo(1);
        assertThat(ch4(2.0, 3)).singleElement().extracting(Finding::level).isEqualTo(Level.RED);
    }

    @Test
    void minimumDurationSuppressesSpikes() throws Exception {
        RuleDef r = rule("ch4-slow", RuleDef.Type.THRESHOLD, Map.of(Level.ORANGE, 1.0), null, Duration.ofSeconds(30),
                null, null, null, null, null, null);
        engine.reload(deployment(List.of(r)));
        assertThat(ch4(1.2, 0)).isEmpty();
        assertThat(ch4(0.5, 10)).as("a spike that fell back").isEmpty();
        assertThat(ch4(1.2, 20)).isEmpty();
        assertThat(ch4(1.3, 40)).isEmpty();
        assertThat(ch4(1.3, 50)).singleElement().extracting(Finding::level).isEqualTo(Level.ORANGE);
    }

    @Test
    void belowLimitsForOxygen() throws Exception {
        RuleDef r = new RuleDef("o2-low", RuleDef.Type.THRESHOLD, "ch4", List.of(), null,
                Map.of(Level.ORANGE, 19.5, Level.RED, 18.0), 19.8, null, null, null, null, null, null, null, null);
        engine.reload(deployment(List.of(r)));
        assertThat(ch4(20.9, 0)).isEmpty();
        assertThat(ch4(17.5, 10)).singleElement().extracting(Finding::level).isEqualTo(Level.RED);
        assertThat(ch4(19.7, 20)).singleElement().extracting(Finding::level, Finding::condition)
                .containsExactly(Level.ORANGE, Condition.ACTIVE);
        assertThat(ch4(19.9, 30)).singleElement().extracting(Finding::condition).isEqualTo(Condition.CLEARED);
    }

    @Test
    void rateOfChangeIsJudgedOverAWindowNotBetweenTwoNoisyReadings() throws Exception {
        RuleDef r = rule("ch4-rate", RuleDef.Type.RATE_OF_CHANGE, null, null, null, 0.3, null, null, null, null,
                Level.ORANGE);
        engine.reload(deployment(List.of(r)));
        // a quiet sensor with ±0.02 jitter every second: steps of 2.4 %/min, but no real trend
        for (int s = 0; s < 120; s++) {
            assertThat(ch4(0.30 + (s % 2 == 0 ? 0.02 : -0.02), s)).as("jitter at %d s", s).isEmpty();
        }
        // then a steady climb of 0.6 %/min: raised once the window sees it, with the slope as value
        List<Finding> raised = new java.util.ArrayList<>();
        for (int s = 120; s < 240; s++) {
            raised.addAll(ch4(0.30 + (s - 120) * 0.01, s));
        }
        assertThat(raised).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.RATE_OF_CHANGE);
            assertThat(f.level()).isEqualTo(Level.ORANGE);
            assertThat(f.condition()).isEqualTo(Condition.ACTIVE);
            assertThat(f.value()).isBetween(0.3, 0.6);
        });
        // flat again: cleared once the window has forgotten the climb
        List<Finding> cleared = new java.util.ArrayList<>();
        for (int s = 240; s < 360; s++) {
            cleared.addAll(ch4(1.5, s));
        }
        assertThat(cleared).singleElement().extracting(Finding::condition).isEqualTo(Condition.CLEARED);
    }

    @Test
    void stuckAndOutOfRangeSensor() throws Exception {
        RuleDef r = rule("ch4-fault", RuleDef.Type.SENSOR_FAULT, null, null, null, null, Duration.ofMinutes(10), null,
                null, null, null);
        engine.reload(deployment(List.of(r)));
        assertThat(ch4(0.31, 0)).isEmpty();
        assertThat(ch4(0.31, 300)).isEmpty();
        assertThat(ch4(0.31, 599)).isEmpty();
        assertThat(ch4(0.31, 600)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.SENSOR_FAULT);
            assertThat(f.details()).containsEntry("cause", "stuck");
        });
        assertThat(ch4(0.32, 610)).singleElement().extracting(Finding::condition).isEqualTo(Condition.CLEARED);
        assertThat(ch4(55, 620)).as("outside 0..40").singleElement()
                .satisfies(f -> assertThat(f.details()).containsEntry("cause", "out-of-range"));
        assertThat(ch4(0.3, 630)).singleElement().extracting(Finding::condition).isEqualTo(Condition.CLEARED);
        assertThat(feed(CH4.id(), "ch4", 0.3, 640, DataFlag.D)).singleElement()
                .satisfies(f -> assertThat(f.details()).containsEntry("cause", "flag-D"));
    }

    @Test
    void trendWarnsBeforeTheLimitIsCrossed() throws Exception {
        RuleDef trend = rule("ch4-trend", RuleDef.Type.TREND, Map.of(Level.ORANGE, 1.0), null, null, null, null,
                Duration.ofMinutes(10), null, null, Level.ORANGE);
        engine.reload(deployment(List.of(trend, METHANE)));
        // flat at 0.4 for a while: no warning
        for (int s = 0; s <= 300; s += 30) {
            assertThat(ch4(0.4, s)).isEmpty();
        }
        // then rising 0.02 % per 30 s = 0.04 %/min: from 0.42 it reaches 1.0 in about 14 min
        Finding warning = null;
        double v = 0.4;
        int s = 300;
        while (warning == null && v < 1.0) {
            s += 30;
            v += 0.02;
            warning = ch4(v, s).stream().filter(f -> f.kind() == FindingKind.TREND).findFirst().orElse(null);
        }
        assertThat(warning).as("trend warning").isNotNull();
        assertThat(warning.value()).as("warned before the limit").isLessThan(0.75);
        assertThat(warning.level()).isEqualTo(Level.ORANGE);
        assertThat(warning.threshold()).isEqualTo(1.0);
        Instant projected = Instant.parse(warning.details().get("projectedCrossingAt"));
        assertThat(projected).isBetween(warning.time().plus(Duration.ofMinutes(8)), warning.time().plus(Duration.ofMinutes(10)));
        // levelling off clears the warning
        List<Finding> later = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            s += 30;
            later.addAll(ch4(v, s));
        }
        assertThat(later).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.TREND);
            assertThat(f.condition()).isEqualTo(Condition.CLEARED);
        });
    }

    @Test
    void compositeMethaneRisingWhileFanOff() throws Exception {
        RuleDef r = rule("ch4-fan-off", RuleDef.Type.COMPOSITE, null, null, null, null, null, Duration.ofMinutes(2),
                "fan", 0.0, Level.RED);
        engine.reload(deployment(List.of(r)));
        assertThat(feed("fan-1", "fan", 1, 0, DataFlag.N)).isEmpty();
        assertThat(ch4(0.3, 0)).isEmpty();
        assertThat(ch4(0.35, 10)).isEmpty();
        assertThat(ch4(0.4, 20)).as("rising but the fan runs").isEmpty();
        assertThat(feed("fan-1", "fan", 0, 25, DataFlag.N)).isEmpty();
        assertThat(ch4(0.45, 30)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.COMPOSITE);
            assertThat(f.level()).isEqualTo(Level.RED);
            assertThat(f.details()).containsEntry("otherMetric", "fan");
        });
        assertThat(feed("fan-1", "fan", 1, 35, DataFlag.N)).isEmpty();
        assertThat(ch4(0.5, 40)).singleElement().extracting(Finding::condition).isEqualTo(Condition.CLEARED);
    }

    @Test
    void reloadKeepsActiveStateAndClearsRemovedRules() throws Exception {
        engine.reload(deployment(List.of(METHANE)));
        assertThat(ch4(1.2, 0)).singleElement().extracting(Finding::level).isEqualTo(Level.ORANGE);
        // same rule, raised limits: the alarm is not raised again, it follows the new limits
        RuleDef stricter = new RuleDef(METHANE.id(), RuleDef.Type.THRESHOLD, "ch4", List.of(),
                Map.of(Level.YELLOW, 0.5, Level.ORANGE, 0.8, Level.RED, 1.0), null, 0.4, null, null, null, null, null,
                null, null, null);
        engine.reload(deployment(List.of(stricter)));
        assertThat(ch4(1.2, 10)).singleElement().extracting(Finding::level, Finding::condition)
                .containsExactly(Level.RED, Condition.ACTIVE);
        assertThat(ch4(1.2, 20)).isEmpty();
        engine.reload(deployment(List.of()));
        engine.reload(deployment(List.of()));
        assertThat(ch4(1.2, 30)).singleElement().satisfies(f -> {
            assertThat(f.condition()).isEqualTo(Condition.CLEARED);
            assertThat(f.rule()).isEqualTo(METHANE.id());
        });
    }

    @Test
    void invalidRulesAreRejectedNotFatal() {
        RuleDef noLimits = rule("bad", RuleDef.Type.THRESHOLD, null, null, null, null, null, null, null, null, null);
        RuleDef noHorizon = rule("bad-trend", RuleDef.Type.TREND, Map.of(Level.RED, 1.0), null, null, null, null,
                null, null, null, null);
        engine.reload(deployment(List.of(noLimits, noHorizon, METHANE)));
        assertThat(engine.rejected()).hasSize(2);
        assertThat(engine.evaluatorCount()).isEqualTo(1);
    }
}
