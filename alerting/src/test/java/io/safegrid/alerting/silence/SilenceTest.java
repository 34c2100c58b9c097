package io.safegrid.alerting.silence;

import io.safegrid.alerting.Stores;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static io.safegrid.alerting.Fixture.MINE;
import static io.safegrid.alerting.Fixture.OTHER_MINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.Recorder;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.alarm.Silence;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@ParameterizedClass(name = "{0}")
@EnumSource(Stores.class)
class SilenceTest {
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

    private List<AlarmEvent.Type> types(String id) {
        return fx.service.timeline(id).stream().map(AlarmEvent::type).toList();
    }

    @Test
    void aSilencedDeviceStillUpdatesItsAlarmButNobodyIsTold() throws Exception {
        fx = new Fixture(dir, recorder).on(stores).start();
        Silence s = fx.service.silence("ch4-1", null, "kzs", "T1 传感器标校 / calibration",
                fx.clock.instant().plus(Duration.ofHours(2)));
        fx.publish(fx.methane(Level.RED, Condition.ACTIVE, 2.0));
        fx.publish(fx.methane(Level.RED, Condition.ACTIVE, 2.1));
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.list(AlarmQuery.all()).items().stream()
                .anyMatch(a -> a.count() == 2));
        Alarm a = fx.service.list(AlarmQuery.all()).items().get(0);
        assertThat(types(a.id())).containsExactly(AlarmEvent.Type.RAISED, AlarmEvent.Type.SILENCED, AlarmEvent.Type.UPDATED);
        assertThat(fx.service.timeline(a.id()).get(1).note()).contains("calibration").contains("kzs");
        fx.clock.advance(Duration.ofHours(1));
        Thread.sleep(600);
        assertThat(recorder.sent).isEmpty();
        assertThat(types(a.id())).doesNotContain(AlarmEvent.Type.ESCALATED);

        // another mine is not covered
        fx.publish(fx.finding("co-9", OTHER_MINE, FindingKind.THRESHOLD, "co", Level.YELLOW, Condition.ACTIVE, 30));
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.users().contains("zhen"));
        assertThat(recorder.users()).doesNotContain("kzs");

        // ended early: the next alarm of the device notifies again
        Silence ended = fx.service.endSilence(s.id(), "zhen");
        assertThat(ended.endedBy()).isEqualTo("zhen");
        assertThat(fx.service.silences(false)).isEmpty();
        assertThat(fx.service.silences(true)).hasSize(1);
        fx.publish(fx.finding("ch4-1", MINE, FindingKind.SENSOR_FAULT, "fault", Level.BLUE, Condition.ACTIVE, 0));
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.users().contains("kzs"));
    }

    @Test
    void aMaintenanceWindowOnAGridNodeCoversEverythingBelowAndSurvivesRestart() throws Exception {
        fx = new Fixture(dir, recorder).on(stores).start();
        fx.service.silence(null, MINE, "zhen", "停产检修 / shutdown for maintenance", fx.clock.instant().plus(Duration.ofDays(1)));
        fx.stop();
        fx.start();
        assertThat(fx.service.silences(false)).singleElement().extracting(Silence::node).isEqualTo(MINE);
        fx.publish(fx.finding("ch4-2", MINE, FindingKind.THRESHOLD, "methane", Level.ORANGE, Condition.ACTIVE, 1.1));
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.list(AlarmQuery.all()).total() == 1);
        Alarm a = fx.service.list(AlarmQuery.all()).items().get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> types(a.id()).contains(AlarmEvent.Type.SILENCED));
        assertThat(a.state()).isEqualTo(AlarmState.RAISED);
        Thread.sleep(300);
        assertThat(recorder.sent).isEmpty();
        // after expiry the window no longer applies, and the alarm nobody acknowledged is told now
        fx.clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertThat(fx.service.silences(false)).isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.users().contains("mtj"));
        assertThat(recorder.users()).containsExactly("kzs", "cun", "zhen", "mtj");
    }

    @Test
    void badSilencesAreRefused() throws Exception {
        fx = new Fixture(dir, recorder).on(stores).start();
        var later = fx.clock.instant().plusSeconds(60);
        assertThatThrownBy(() -> fx.service.silence(null, null, "kzs", "x", later)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fx.service.silence("ch4-1", null, "kzs", " ", later)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fx.service.silence("ch4-1", null, "kzs", "x", fx.clock.instant()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fx.service.endSilence("nope", "kzs")).isInstanceOf(java.util.NoSuchElementException.class);
        assertThat(fx.service.silences(true)).isEmpty();
    }
}
