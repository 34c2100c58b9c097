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
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.reading.DataFlag;
import io.safegrid.model.reading.Period;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.reading.Statistic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** After a restart rule state starts empty: taken up again from the alarms alerting holds open. */
class RuleStateResumeTest {
    private static final Instant T0 = Instant.parse("2026-11-29T02:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static List<Finding> feed(RuleEngine engine, double value, int s) throws InterruptedException {
        List<Finding> out = new ArrayList<>();
        engine.evaluate(new Reading(CH4.id(), MINE, "ch4", value, T0.plusSeconds(s), Period.REALTIME, Statistic.VALUE,
                DataFlag.N, null), out::add);
        return out;
    }

    /** The alarm alerting would hold for a finding (as the store gives it back after the restart). */
    private static Alarm alarmOf(Finding f, AlarmState state) {
        return new Alarm("a-1", f.alarmKey(), f.kind(), f.level(), f.level(), state, state == AlarmState.ACKNOWLEDGED,
                f.sourceId(), f.site(), f.rule(), f.message(), f.value(), f.value(), f.threshold(), 1, f.time(), f.time(),
                f.time(), null);
    }

    private RuleEngine restartedWith(List<RuleDef> rules, Alarm... open) {
        RuleEngine engine = new RuleEngine(registry);
        engine.reload(deployment(rules));
        engine.resume(List.of(open));
        return engine;
    }

    @Test
    void theFirstNormalReadingAfterARestartClearsARedMethaneAlarm() throws Exception {
        RuleEngine before = new RuleEngine(registry);
        before.reload(deployment(List.of(METHANE)));
        Finding red = feed(before, 1.6, 0).get(0);
        assertThat(red.level()).isEqualTo(Level.RED);

        RuleEngine after = restartedWith(List.of(METHANE), alarmOf(red, AlarmState.RAISED));
        assertThat(feed(after, 0.4, 60)).singleElement().satisfies(f -> {
            assertThat(f.condition()).isEqualTo(Condition.CLEARED);
            assertThat(f.level()).isEqualTo(Level.RED);
            assertThat(f.alarmKey()).isEqualTo(red.alarmKey());
        });
        assertThat(registry.get("safegrid.rules.resumed").tag("outcome", "resumed").counter().count()).isEqualTo(1);
    }

    @Test
    void aReadingStillOverTheLimitAfterARestartRaisesNothingTwiceAndAFallStillCounts() throws Exception {
        RuleEngine before = new RuleEngine(registry);
        before.reload(deployment(List.of(METHANE)));
        Finding red = feed(before, 1.6, 0).get(0);

        RuleEngine after = restartedWith(List.of(METHANE), alarmOf(red, AlarmState.ACKNOWLEDGED));
        assertThat(feed(after, 1.7, 60)).as("still red: nothing new").isEmpty();
        assertThat(feed(after, 1.2, 70)).singleElement().extracting(Finding::level, Finding::condition)
                .containsExactly(Level.ORANGE, Condition.ACTIVE);
    }

    @Test
    void aBelowLimitAlarmIsTakenUpOnItsOwnSide() throws Exception {
        RuleDef o2 = new RuleDef("o2-low", RuleDef.Type.THRESHOLD, "ch4", List.of(), Map.of(Level.RED, 25.0),
                Map.of(Level.ORANGE, 19.5, Level.RED, 18.0), 19.8, null, null, null, null, null, null, null, null);
        RuleEngine before = new RuleEngine(registry);
        before.reload(deployment(List.of(o2)));
        Finding low = feed(before, 17.5, 0).get(0);

        RuleEngine after = restartedWith(List.of(o2), alarmOf(low, AlarmState.RAISED));
        assertThat(feed(after, 19.0, 60)).singleElement().extracting(Finding::level, Finding::condition)
                .containsExactly(Level.ORANGE, Condition.ACTIVE);
        assertThat(feed(after, 20.9, 70)).singleElement().extracting(Finding::condition).isEqualTo(Condition.CLEARED);
    }

    @Test
    void aSensorFaultClearsOnTheFirstGoodReading() throws Exception {
        RuleDef fault = rule("ch4-fault", RuleDef.Type.SENSOR_FAULT, Map.of(), null, null, null, null, null, null, null,
                Level.BLUE);
        RuleEngine before = new RuleEngine(registry);
        before.reload(deployment(List.of(fault)));
        Finding f = feed(before, 99, 0).get(0);

        RuleEngine after = restartedWith(List.of(fault), alarmOf(f, AlarmState.RAISED));
        assertThat(feed(after, 0.3, 60)).singleElement().extracting(Finding::condition).isEqualTo(Condition.CLEARED);
    }

    @Test
    void anAlarmWhoseRuleIsGoneOrThatIsClearedIsLeftAlone() throws Exception {
        RuleEngine before = new RuleEngine(registry);
        before.reload(deployment(List.of(METHANE)));
        Finding red = feed(before, 1.6, 0).get(0);

        RuleEngine noRule = restartedWith(List.of(), alarmOf(red, AlarmState.RAISED));
        assertThat(feed(noRule, 0.4, 60)).isEmpty();
        assertThat(registry.get("safegrid.rules.resumed").tag("outcome", "no-such-rule").counter().count()).isEqualTo(1);
        RuleEngine cleared = restartedWith(List.of(METHANE), alarmOf(red, AlarmState.CLEARED));
        assertThat(feed(cleared, 0.4, 60)).isEmpty();
    }
}
