package io.safegrid.alerting.silence;

import io.safegrid.alerting.Stores;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static io.safegrid.alerting.Fixture.MINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.Recorder;
import io.safegrid.alerting.alarm.AlarmService;
import io.safegrid.config.RuleDef;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mine's link or power goes down: one site alarm, not one per device. */
@ParameterizedClass(name = "{0}")
@EnumSource(Stores.class)
class InhibitionTest {
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

    private List<Alarm> active() {
        return fx.service.list(AlarmQuery.all()).items().stream().filter(a -> a.state() == AlarmState.RAISED).toList();
    }

    @Test
    void deviceOfflineFindingsFoldIntoTheSiteAlarm() throws Exception {
        fx = new Fixture(dir, recorder).on(stores).start();
        fx.publish(fx.finding("mine-7-link", MINE, FindingKind.SITE_OFFLINE, "site-offline", Level.ORANGE, Condition.ACTIVE, Double.NaN));
        // findings of different sources may be handled in any order; this test wants the site first
        await().atMost(Duration.ofSeconds(30)).until(() -> active().size() == 1);
        fx.publish(fx.finding("ch4-1", MINE, FindingKind.DEVICE_OFFLINE, "offline", Level.BLUE, Condition.ACTIVE, Double.NaN));
        fx.publish(fx.finding("ch4-2", MINE, FindingKind.DEVICE_OFFLINE, "offline", Level.BLUE, Condition.ACTIVE, Double.NaN));
        await().atMost(Duration.ofSeconds(30)).until(() -> active().size() == 1 && active().get(0).count() == 3);
        Alarm site = active().get(0);
        assertThat(site.kind()).isEqualTo(FindingKind.SITE_OFFLINE);
        assertThat(fx.service.timeline(site.id())).filteredOn(e -> e.type() == AlarmEvent.Type.UPDATED)
                .extracting(AlarmEvent::note).anySatisfy(n -> assertThat(n).contains("ch4-2").contains("folded"));

        // the link comes back but ch4-2 is still offline: now it gets its own alarm
        fx.publish(fx.finding("ch4-1", MINE, FindingKind.DEVICE_OFFLINE, "offline", Level.BLUE, Condition.CLEARED, Double.NaN));
        fx.publish(fx.finding("mine-7-link", MINE, FindingKind.SITE_OFFLINE, "site-offline", Level.ORANGE, Condition.CLEARED, Double.NaN));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(active()).singleElement()
                .extracting(Alarm::sourceId, Alarm::kind).containsExactly("ch4-2", FindingKind.DEVICE_OFFLINE));
    }

    @Test
    void allDevicesOfflineBecomesOneSiteAlarmAtTheOfflineRuleLevel() throws Exception {
        RuleDef offline = new RuleDef("ch4-offline", RuleDef.Type.OFFLINE, "ch4", List.of(), Map.of(), Map.of(), null,
                null, null, null, null, null, null, Level.YELLOW, "methane sensors offline are yellow");
        fx = new Fixture(dir, recorder, List.of(offline), List.of(), List.of()).on(stores).start();
        // ingest judged both findings with the OFFLINE rule (DeviceSessions): alerting takes the level as found
        fx.publish(fx.finding("ch4-1", MINE, FindingKind.DEVICE_OFFLINE, "ch4-offline", Level.YELLOW, Condition.ACTIVE, Double.NaN));
        await().atMost(Duration.ofSeconds(30)).until(() -> active().size() == 1);
        assertThat(active().get(0).level()).as("level set by the OFFLINE rule").isEqualTo(Level.YELLOW);
        fx.publish(fx.finding("ch4-2", MINE, FindingKind.DEVICE_OFFLINE, "ch4-offline", Level.YELLOW, Condition.ACTIVE, Double.NaN));
        await().atMost(Duration.ofSeconds(30)).until(() -> active().stream().anyMatch(a -> a.kind() == FindingKind.SITE_OFFLINE));
        Alarm site = active().stream().filter(a -> a.kind() == FindingKind.SITE_OFFLINE).findFirst().orElseThrow();
        assertThat(site.rule()).isEqualTo(AlarmService.DERIVED_SITE_OFFLINE);
        // the device alarms stop escalating; only the site alarm climbs
        fx.clock.advance(Duration.ofMinutes(16));
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.timeline(site.id()).stream()
                .anyMatch(e -> e.type() == AlarmEvent.Type.ESCALATED));
        for (Alarm a : active()) {
            if (a.kind() == FindingKind.DEVICE_OFFLINE) {
                assertThat(fx.service.timeline(a.id())).extracting(AlarmEvent::type).doesNotContain(AlarmEvent.Type.ESCALATED)
                        .contains(AlarmEvent.Type.UPDATED);
            }
        }
        // one device back online: the derived site alarm clears
        fx.publish(fx.finding("ch4-1", MINE, FindingKind.DEVICE_OFFLINE, "ch4-offline", Level.YELLOW, Condition.CLEARED, Double.NaN));
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.service.get(site.id()).orElseThrow().state() == AlarmState.CLEARED);
    }
}
