package io.safegrid.alerting.alarm;

import io.safegrid.alerting.Stores;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static io.safegrid.alerting.Fixture.MINE;
import static io.safegrid.alerting.Fixture.OTHER_MINE;
import static io.safegrid.alerting.Fixture.TOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.notify.LogNotifier;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmPage;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@ParameterizedClass(name = "{0}")
@EnumSource(Stores.class)
class AlarmServiceTest {
    @Parameter
    Stores stores;
    @TempDir
    Path dir;
    Fixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private Alarm only() {
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.list(AlarmQuery.all()).total() > 0);
        return fx.service.list(AlarmQuery.all()).items().get(0);
    }

    private List<AlarmEvent.Type> types(String alarmId) {
        return fx.service.timeline(alarmId).stream().map(AlarmEvent::type).toList();
    }

    @Test
    void lifecycleFromRaiseToClose() throws Exception {
        fx = new Fixture(dir, new LogNotifier()).on(stores).start();
        fx.publish(fx.methane(Level.YELLOW, Condition.ACTIVE, 0.8));
        Alarm a = only();
        assertThat(a.state()).isEqualTo(AlarmState.RAISED);
        assertThat(a.level()).isEqualTo(Level.YELLOW);
        assertThat(a.site()).isEqualTo(MINE);

        fx.publish(fx.methane(Level.YELLOW, Condition.ACTIVE, 0.9));
        fx.publish(fx.methane(Level.RED, Condition.ACTIVE, 1.7));
        fx.publish(fx.methane(Level.ORANGE, Condition.ACTIVE, 1.2));
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.get(a.id()).orElseThrow().count() == 4);
        Alarm b = fx.service.get(a.id()).orElseThrow();
        assertThat(fx.service.list(AlarmQuery.all()).total()).as("one alarm per key").isEqualTo(1);
        assertThat(b.level()).isEqualTo(Level.ORANGE);
        assertThat(b.peakLevel()).isEqualTo(Level.RED);
        assertThat(b.peakValue()).isEqualTo(1.7);

        assertThatThrownBy(() -> fx.service.close(a.id(), "zhen", "已通风")).isInstanceOf(IllegalStateException.class);
        fx.publish(fx.methane(Level.ORANGE, Condition.CLEARED, 0.5));
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.get(a.id()).orElseThrow().state() == AlarmState.CLEARED);
        Alarm acked = fx.service.acknowledge(a.id(), "zhen", "收到");
        assertThat(acked.state()).as("cleared before ack stays cleared").isEqualTo(AlarmState.CLEARED);
        assertThat(acked.acknowledged()).isTrue();
        assertThatThrownBy(() -> fx.service.acknowledge(a.id(), "zhen", null)).isInstanceOf(IllegalStateException.class);
        fx.service.comment(a.id(), "zhen", "通风机已恢复");
        fx.service.assign(a.id(), "zhen", "kzs");
        assertThatThrownBy(() -> fx.service.close(a.id(), "zhen", "  ")).isInstanceOf(IllegalArgumentException.class);
        Alarm closed = fx.service.close(a.id(), "zhen", "处置记录：加强通风，甲烷降至 0.5%");
        assertThat(closed.state()).isEqualTo(AlarmState.CLOSED);
        assertThat(closed.assignee()).isEqualTo("kzs");

        List<AlarmEvent> timeline = fx.service.timeline(a.id());
        assertThat(timeline).extracting(AlarmEvent::type).containsSubsequence(AlarmEvent.Type.RAISED,
                AlarmEvent.Type.UPDATED, AlarmEvent.Type.LEVEL_CHANGED, AlarmEvent.Type.LEVEL_CHANGED,
                AlarmEvent.Type.CLEARED, AlarmEvent.Type.ACKNOWLEDGED, AlarmEvent.Type.COMMENTED,
                AlarmEvent.Type.ASSIGNED, AlarmEvent.Type.CLOSED);
        assertThat(timeline).filteredOn(e -> e.type() == AlarmEvent.Type.ACKNOWLEDGED).singleElement()
                .extracting(AlarmEvent::actor).isEqualTo("zhen");
        assertThat(timeline).extracting(AlarmEvent::sequence).isSorted();
        // everything on the timeline was published on the bus, in order; the publisher runs a moment behind the
        // commits, and a notification's outcome may still add a line after the close
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(fx.published)
                .filteredOn(e -> e.alarmId().equals(a.id())).extracting(AlarmEvent::sequence)
                .containsExactlyElementsOf(fx.service.timeline(a.id()).stream().map(AlarmEvent::sequence).toList()));

        // the condition returns after closing: a new alarm
        fx.publish(fx.methane(Level.YELLOW, Condition.ACTIVE, 0.8));
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.list(AlarmQuery.all()).total() == 2);
        assertThatThrownBy(() -> fx.service.acknowledge("nope", "zhen", null)).isInstanceOf(NoSuchElementException.class);
    }

    /**
     * A judge that restarted or took a camera over from another node ends a loss it cannot see (video
     * loss): where none is open, that is no news for anybody.
     */
    @Test
    void aClearWithoutAnOpenAlarmRaisesNothingWritesNothingAndTellsNobody() throws Exception {
        fx = new Fixture(dir, new LogNotifier()).on(stores).start();
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.safegrid.alerting");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            fx.publish(fx.finding("cam-3", MINE, FindingKind.VIDEO_LOSS, "video-loss", Level.YELLOW, Condition.CLEARED, 0.2));
            await().atMost(Duration.ofSeconds(30)).until(() -> fx.registry.counter("safegrid.alarms.findings", "outcome",
                    "clear-without-alarm").count() == 1);
        } finally {
            log.detachAppender(logged);
        }
        assertThat(fx.service.list(AlarmQuery.all()).total()).isZero();
        assertThat(fx.published).isEmpty();
        assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)).isEmpty();
    }

    @Test
    void listFiltersBySubtreeLevelStateAndPages() throws Exception {
        fx = new Fixture(dir, new LogNotifier()).on(stores).start();
        for (int i = 0; i < 5; i++) {
            fx.publish(fx.finding("ch4-" + i, MINE, FindingKind.THRESHOLD, "methane", Level.YELLOW, Condition.ACTIVE, 0.8));
        }
        fx.publish(fx.finding("co-9", OTHER_MINE, FindingKind.THRESHOLD, "co", Level.RED, Condition.ACTIVE, 30));
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.list(AlarmQuery.all()).total() == 6);
        AlarmQuery mine = new AlarmQuery(MINE, null, null, null, null, 0, 2);
        AlarmPage p1 = fx.service.list(mine);
        AlarmPage p3 = fx.service.list(mine.page(4, 2));
        assertThat(p1.total()).isEqualTo(5);
        assertThat(p1.items()).hasSize(2);
        assertThat(p3.items()).hasSize(1);
        assertThat(fx.service.list(new AlarmQuery(TOWN, Set.of(Level.RED), null, null, null, 0, 50)).items())
                .singleElement().extracting(Alarm::sourceId).isEqualTo("co-9");
        assertThat(fx.service.list(new AlarmQuery(null, null, Set.of(AlarmState.CLOSED), null, null, 0, 50)).total()).isZero();
        assertThat(fx.service.list(new AlarmQuery(null, null, null, fx.clock.instant().plusSeconds(1), null, 0, 50)).total())
                .isZero();
    }

    @Test
    void alarmsAndTimelinesSurviveARestart() throws Exception {
        fx = new Fixture(dir, new LogNotifier()).on(stores).start();
        fx.publish(fx.methane(Level.ORANGE, Condition.ACTIVE, 1.1));
        Alarm a = only();
        fx.service.comment(a.id(), "xian", "请煤矿立即核查");
        // orange tells the mine, village, township and bureau; a notification still queued at the stop would
        // (rightly) be sent after the restart, so wait for all four before comparing timelines
        await().atMost(Duration.ofSeconds(30)).until(() -> types(a.id()).stream().filter(t -> t == AlarmEvent.Type.NOTIFIED).count() == 4);
        List<AlarmEvent.Type> before = types(a.id());
        fx.stop();

        fx.start();
        assertThat(fx.service.get(a.id())).get().extracting(Alarm::state, Alarm::level)
                .containsExactly(AlarmState.RAISED, Level.ORANGE);
        assertThat(types(a.id())).containsExactlyElementsOf(before);
        // the restored alarm is still the active one for its key: a repeat updates it
        fx.publish(fx.methane(Level.ORANGE, Condition.ACTIVE, 1.2));
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.get(a.id()).orElseThrow().count() == 2);
        assertThat(fx.service.list(AlarmQuery.all()).total()).isEqualTo(1);
    }

    @Test
    void aSlowConsoleThatCallsBackIntoTheDeskDoesNotDeadlockAlerting() throws Exception {
        fx = new Fixture(dir, new LogNotifier()).on(stores);
        fx.busFactory = () -> new io.safegrid.bus.inprocess.InProcessBus(1, t -> 2); // tiny queues fill at once
        fx.start();
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        fx.bus.subscribe(io.safegrid.model.bus.Topic.ALARMS, "console", (k, e) -> {
            fx.service.get(e.alarmId()); // the console reads the desk while handling an event
            Thread.sleep(5);
            seen.incrementAndGet();
        });
        for (int i = 0; i < 10; i++) {
            fx.publish(fx.finding("ch4-" + i, MINE, FindingKind.THRESHOLD, "methane", Level.BLUE, Condition.ACTIVE, 0.6));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.list(AlarmQuery.all()).total() == 10);
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.get() >= 10);
    }
}
