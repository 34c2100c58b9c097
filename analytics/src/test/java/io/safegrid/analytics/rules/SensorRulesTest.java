package io.safegrid.analytics.rules;

import static io.safegrid.analytics.rules.RuleFixtures.CH4;
import static io.safegrid.analytics.rules.RuleFixtures.METHANE;
import static io.safegrid.analytics.rules.RuleFixtures.MINE;
import static io.safegrid.analytics.rules.RuleFixtures.deployment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.RuleDef;
import io.safegrid.model.Level;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.reading.Reading;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SensorRulesTest {

    /** A config source whose reloads the test triggers. */
    static final class MutableConfig implements ConfigSource {
        volatile Deployment current;
        final List<Consumer<Deployment>> listeners = new CopyOnWriteArrayList<>();

        MutableConfig(Deployment d) { current = d; }

        @Override
        public Deployment current() { return current; }

        @Override
        public void onChange(Consumer<Deployment> listener) { listeners.add(listener); }

        void reload(Deployment d) {
            current = d;
            listeners.forEach(l -> l.accept(d));
        }
    }

    @Test
    void readingsOnTheBusBecomeFindingsAndRulesReloadLive() throws Exception {
        MutableConfig config = new MutableConfig(deployment(List.of(METHANE)));
        List<Finding> findings = new CopyOnWriteArrayList<>();
        try (InProcessBus bus = new InProcessBus();
             SensorRules rules = new SensorRules(config, bus, new SimpleMeterRegistry())) {
            bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
            rules.start();
            rules.judgeFromBus();
            Instant t = Instant.parse("2026-11-29T02:00:00Z");
            bus.publish(Topic.READINGS, CH4.id(), Reading.sample(CH4.id(), MINE, "ch4", 0.6, t));
            bus.publish(Topic.READINGS, CH4.id(), Reading.sample(CH4.id(), MINE, "ch4", 1.1, t.plusSeconds(10)));
            await().atMost(Duration.ofSeconds(30)).until(() -> findings.size() == 1);
            assertThat(findings.get(0).level()).isEqualTo(Level.ORANGE);

            RuleDef lower = new RuleDef(METHANE.id(), RuleDef.Type.THRESHOLD, "ch4", List.of(),
                    Map.of(Level.YELLOW, 0.3, Level.ORANGE, 0.5), null, null, null, null, null, null, null, null, null,
                    null);
            config.reload(deployment(List.of(lower)));
            bus.publish(Topic.READINGS, CH4.id(), Reading.sample(CH4.id(), MINE, "ch4", 0.4, t.plusSeconds(20)));
            await().atMost(Duration.ofSeconds(30)).until(() -> findings.size() == 2);
            assertThat(findings.get(1).level()).as("0.4 is yellow under the reloaded rule").isEqualTo(Level.YELLOW);
            assertThat(findings.get(1).isActive()).isTrue();
        }
    }

    @Test
    void whenAlertingIsBehindTheRulesConsumerWaitsCountedAndNoFindingIsLost() throws Exception {
        MutableConfig config = new MutableConfig(deployment(List.of(METHANE)));
        List<Finding> findings = new CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch alertingStuck = new java.util.concurrent.CountDownLatch(1);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (InProcessBus bus = new InProcessBus(1, t -> t == Topic.FINDINGS ? 1 : 64);
             SensorRules rules = new SensorRules(config, bus, meters)) {
            bus.subscribe(Topic.FINDINGS, "alerting", (k, f) -> {
                alertingStuck.await();
                findings.add(f);
            });
            rules.start();
            rules.judgeFromBus();
            Instant t = Instant.parse("2026-11-29T02:00:00Z");
            // over, back under, over, under: four findings, while alerting takes one and FINDINGS holds one
            double[] values = {1.1, 0.5, 1.2, 0.4};
            for (int i = 0; i < values.length; i++) {
                bus.publish(Topic.READINGS, CH4.id(), Reading.sample(CH4.id(), MINE, "ch4", values[i], t.plusSeconds(i)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> bus.stats().stream()
                    .filter(st -> st.topic().equals(Topic.FINDINGS.name())).mapToLong(st -> st.refused()).sum() >= 1);
            Thread.sleep(200);
            assertThat(findings).as("alerting is stuck").isEmpty();
            assertThat(bus.stats().stream().filter(st -> st.topic().equals(Topic.READINGS.name())).findFirst()
                    .orElseThrow().queued()).as("the rules' consumer waits, READINGS hold the rest").isPositive();
            alertingStuck.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> findings.size() == 4);
            assertThat(findings).extracting(f -> f.value()).containsExactly(1.1, 0.5, 1.2, 0.4);
        }
    }

    @Test
    void judgedDirectlyTheFindingsComeBackInOrderAndNothingGoesOnTheBus() throws Exception {
        MutableConfig config = new MutableConfig(deployment(List.of(METHANE)));
        try (InProcessBus bus = new InProcessBus();
             SensorRules rules = new SensorRules(config, bus, new SimpleMeterRegistry())) {
            rules.start();
            Instant t = Instant.parse("2026-11-29T02:00:00Z");
            assertThat(rules.judge(CH4.id(), List.of(Reading.sample(CH4.id(), MINE, "ch4", 0.6, t)))).isEmpty();
            List<Finding> out = rules.judge(CH4.id(), List.of(
                    Reading.sample(CH4.id(), MINE, "ch4", 1.1, t.plusSeconds(1)),
                    Reading.sample(CH4.id(), MINE, "ch4", 0.8, Instant.MAX),
                    Reading.sample(CH4.id(), MINE, "ch4", 0.4, t.plusSeconds(2))));
            assertThat(out).extracting(Finding::value, Finding::isActive).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(1.1, true), org.assertj.core.groups.Tuple.tuple(0.4, false));
            assertThat(bus.stats().stream().mapToLong(st -> st.published()).sum()).as("ingest publishes them").isZero();
        }
    }

    @Test
    void aReadingTheEngineCannotJudgeIsCountedAndTheNextIsJudged() throws Exception {
        MutableConfig config = new MutableConfig(deployment(List.of(METHANE)));
        List<Finding> findings = new CopyOnWriteArrayList<>();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (InProcessBus bus = new InProcessBus();
             SensorRules rules = new SensorRules(config, bus, meters)) {
            bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
            rules.start();
            rules.judgeFromBus();
            Instant t = Instant.parse("2026-11-29T02:00:00Z");
            bus.publish(Topic.READINGS, CH4.id(), Reading.sample(CH4.id(), MINE, "ch4", 0.6, t));
            bus.publish(Topic.READINGS, CH4.id(), Reading.sample(CH4.id(), MINE, "ch4", 0.7, Instant.MAX));
            bus.publish(Topic.READINGS, CH4.id(), Reading.sample(CH4.id(), MINE, "ch4", 0.8, Instant.MIN));
            bus.publish(Topic.READINGS, CH4.id(), Reading.sample(CH4.id(), MINE, "ch4", 1.1, t.plusSeconds(10)));
            await().atMost(Duration.ofSeconds(30)).until(() -> findings.stream().anyMatch(f -> f.level() == Level.ORANGE));
            assertThat(meters.counter("safegrid.rules.failures").count()).isPositive();
            assertThat(bus.stats().stream().filter(s -> s.topic().equals("readings")).findFirst().orElseThrow().handlerErrors())
                    .as("nothing thrown at the bus").isZero();
        }
    }
}
