package io.safegrid.alerting.escalation;

import io.safegrid.alerting.Stores;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.Recorder;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.finding.Condition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@ParameterizedClass(name = "{0}")
@EnumSource(Stores.class)
class EscalationTest {
    @Parameter
    Stores stores;
    @TempDir
    Path dir;
    final Recorder recorder = new Recorder();
    Fixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private Alarm raise(Level level) throws InterruptedException {
        fx.publish(fx.methane(level, Condition.ACTIVE, 1.0));
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.list(AlarmQuery.all()).total() == 1);
        return fx.service.list(AlarmQuery.all()).items().get(0);
    }

    private void awaitTold(String... users) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recorder.users()).containsExactly(users));
    }

    private long count(String alarmId, AlarmEvent.Type type) {
        return fx.service.timeline(alarmId).stream().filter(e -> e.type() == type).count();
    }

    /** How long until the alarm's n-th escalation is on its timeline, polled finely enough to time the 1 s target. */
    private Duration untilEscalated(Alarm a, int n) {
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> count(a.id(), AlarmEvent.Type.ESCALATED) == n);
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    @Test
    void ladderForACoalMine() {
        EscalationLadder ladder = EscalationLadder.of(Fixture.deployment(List.of(), List.of(), List.of()).grid(), Fixture.MINE);
        assertThat(ladder.rungs()).extracting(EscalationLadder.Rung::nodes).containsExactly(List.of(Fixture.MINE),
                List.of(Fixture.VILLAGE), List.of(Fixture.TOWN), List.of(Fixture.BUREAU), List.of(Fixture.COUNTY));
        var policy = io.safegrid.config.EscalationPolicy.defaults();
        assertThat(ladder.initialReach(policy, Level.BLUE)).isZero();
        assertThat(ladder.initialReach(policy, Level.YELLOW)).isEqualTo(2);
        assertThat(ladder.initialReach(policy, Level.ORANGE)).isEqualTo(3);
        assertThat(ladder.initialReach(policy, Level.RED)).isEqualTo(4);
    }

    @Test
    void unansweredYellowClimbsToTheBureauThenTheCountyOnTime() throws Exception {
        fx = new Fixture(dir, recorder).on(stores).start();
        Alarm a = raise(Level.YELLOW);
        awaitTold("kzs", "cun", "zhen");

        fx.clock.advance(Duration.ofMinutes(14).plusSeconds(59));
        Thread.sleep(600);
        assertThat(count(a.id(), AlarmEvent.Type.ESCALATED)).as("not before the 15 min ack timeout").isZero();

        // the ticker runs every 250 ms: once the clock passes the due time it fires within a second (a product target)
        fx.clock.advance(Duration.ofSeconds(1));
        assertThat(untilEscalated(a, 1)).isLessThan(Duration.ofSeconds(1));
        awaitTold("kzs", "cun", "zhen", "mtj");

        fx.clock.advance(Duration.ofMinutes(15));
        assertThat(untilEscalated(a, 2)).isLessThan(Duration.ofSeconds(1));
        awaitTold("kzs", "cun", "zhen", "mtj", "xian");

        fx.clock.advance(Duration.ofMinutes(60));
        Thread.sleep(600);
        assertThat(count(a.id(), AlarmEvent.Type.ESCALATED)).as("the county is the top").isEqualTo(2);
        // the timeline line is stored when the send's outcome comes back, a moment after the send itself
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fx.service.timeline(a.id()))
                .filteredOn(e -> e.type() == AlarmEvent.Type.NOTIFIED)
                .extracting(AlarmEvent::note).anySatisfy(n -> assertThat(n).startsWith("xian")));
    }

    @Test
    void acknowledgementStopsEscalation() throws Exception {
        fx = new Fixture(dir, recorder).on(stores).start();
        Alarm a = raise(Level.YELLOW);
        awaitTold("kzs", "cun", "zhen");
        fx.service.acknowledge(a.id(), "zhen", "已安排人员核查");
        fx.clock.advance(Duration.ofHours(2));
        Thread.sleep(600);
        assertThat(count(a.id(), AlarmEvent.Type.ESCALATED)).isZero();
        assertThat(recorder.users()).containsExactly("kzs", "cun", "zhen");
    }

    @Test
    void aRiseInLevelTellsTheNewRungsAndRestartsTheClock() throws Exception {
        fx = new Fixture(dir, recorder).on(stores).start();
        Alarm a = raise(Level.BLUE);
        awaitTold("kzs");
        fx.clock.advance(Duration.ofMinutes(10));
        fx.publish(fx.methane(Level.RED, Condition.ACTIVE, 1.6));
        awaitTold("kzs", "cun", "zhen", "mtj", "xian");
        assertThat(recorder.sent.get(1).cause()).isEqualTo(AlarmEvent.Type.LEVEL_CHANGED);
        fx.clock.advance(Duration.ofHours(1));
        Thread.sleep(600);
        assertThat(count(a.id(), AlarmEvent.Type.ESCALATED)).as("red told everyone already").isZero();
    }

    @Test
    void escalationTimersSurviveARestart() throws Exception {
        fx = new Fixture(dir, recorder).on(stores).start();
        Alarm a = raise(Level.ORANGE);
        awaitTold("kzs", "cun", "zhen", "mtj");
        fx.stop();
        fx.clock.advance(Duration.ofMinutes(11)); // down while the orange 10 min timeout ran out
        fx.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> count(a.id(), AlarmEvent.Type.ESCALATED) == 1);
        awaitTold("kzs", "cun", "zhen", "mtj", "xian");
    }
}
