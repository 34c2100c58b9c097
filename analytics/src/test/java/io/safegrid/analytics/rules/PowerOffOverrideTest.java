package io.safegrid.analytics.rules;

import static io.safegrid.analytics.rules.RuleFixtures.CH4;
import static io.safegrid.analytics.rules.RuleFixtures.MINE;
import static io.safegrid.analytics.rules.RuleFixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.MetricDef;
import io.safegrid.config.RuleDef;
import io.safegrid.model.Level;
import io.safegrid.model.device.Protocol;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.device.ValueRange;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.reading.DataFlag;
import io.safegrid.model.reading.Period;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.reading.Statistic;
import io.safegrid.testing.Deployments;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The power-off controller's feed still on at the working face's power-off limit (AQ 1029 T1: 1.5 %). */
class PowerOffOverrideTest {
    static final Instant T0 = Instant.parse("2026-11-29T02:00:00Z");
    static final Sensor FEED = new Sensor("feed-t1", "T1 馈电", MINE, "feed", null, new ValueRange(0, 1), "feed", Protocol.MQTT);
    static final Sensor OTHER_FEED = new Sensor("feed-t2", "T2 馈电", MINE, "feed", null, new ValueRange(0, 1), "feed", Protocol.MQTT);
    final RuleEngine engine = new RuleEngine(new SimpleMeterRegistry());
    final List<Finding> out = new ArrayList<>();

    @BeforeEach
    void load() {
        RuleDef override = new RuleDef("override", RuleDef.Type.POWER_OFF_OVERRIDE, "feed", List.of(), null, null, null,
                Duration.ofSeconds(2), null, null, null, null, null, null, null,
                List.of(new RuleDef.FeedBinding("feed-t1", "ch4-t1", 1.5)));
        engine.reload(Deployments.from(deployment(List.of(override)))
                .metric(new MetricDef("feed", "馈电状态", "Power feed", null, new ValueRange(0, 1), null))
                .sensor(FEED).sensor(OTHER_FEED).build());
    }

    private List<Finding> read(Sensor s, double value, int seconds) throws InterruptedException {
        out.clear();
        engine.evaluate(new Reading(s.id(), MINE, s.metric(), value, T0.plusSeconds(seconds), Period.REALTIME,
                Statistic.VALUE, DataFlag.N, null), out::add);
        return List.copyOf(out);
    }

    @Test
    void powerLeftOnPastTwoSecondsAtTheLimitIsAnOverrideUntilCut() throws Exception {
        assertThat(read(FEED, 1, 0)).as("no methane known yet").isEmpty();
        assertThat(read(CH4, 1.6, 1)).noneMatch(f -> f.kind() == FindingKind.POWER_OFF_OVERRIDE);
        assertThat(read(FEED, 1, 2)).as("the controller has 2 s").isEmpty();
        assertThat(read(FEED, 1, 3)).isEmpty();
        assertThat(read(OTHER_FEED, 1, 5)).as("a feed bound to no methane sensor").isEmpty();
        assertThat(read(FEED, 1, 4)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.POWER_OFF_OVERRIDE);
            assertThat(f.condition()).isEqualTo(Condition.ACTIVE);
            assertThat(f.level()).isEqualTo(Level.RED);
            assertThat(f.sourceId()).isEqualTo("feed-t1");
            assertThat(f.threshold()).isEqualTo(1.5);
            assertThat(f.details()).containsEntry("methaneSensor", "ch4-t1").containsEntry("methane", "1.6");
        });
        assertThat(read(FEED, 1, 6)).as("raised once").isEmpty();
        assertThat(read(FEED, 0, 7)).singleElement().extracting(Finding::condition).isEqualTo(Condition.CLEARED);

        // cut within the 2 s: none
        assertThat(read(FEED, 1, 10)).isEmpty();
        assertThat(read(FEED, 0, 11)).isEmpty();
        // restored while the methane is still at the limit: an override again; clears once the methane is below it
        assertThat(read(CH4, 1.5, 20)).noneMatch(f -> f.kind() == FindingKind.POWER_OFF_OVERRIDE);
        assertThat(read(FEED, 1, 21)).isEmpty();
        assertThat(read(FEED, 1, 24)).singleElement().extracting(Finding::condition).isEqualTo(Condition.ACTIVE);
        assertThat(read(CH4, 0.9, 25)).noneMatch(f -> f.kind() == FindingKind.POWER_OFF_OVERRIDE);
        assertThat(read(FEED, 1, 26)).singleElement().extracting(Finding::condition).isEqualTo(Condition.CLEARED);
        // below the limit power may stay on
        assertThat(read(FEED, 1, 40)).isEmpty();
        assertThat(read(FEED, 1, 60)).isEmpty();
    }
}
