package io.safegrid.alerting.ledger;

import io.safegrid.alerting.Stores;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.Recorder;
import io.safegrid.alerting.notify.ChannelNotifier;
import io.safegrid.alerting.notify.Message;
import io.safegrid.alerting.notify.MessageRenderer;
import io.safegrid.alerting.outbox.Delivery;
import io.safegrid.alerting.outbox.OutboxSettings;
import io.safegrid.alerting.outbox.Pending;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.scheduling.ThreadPolicy;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on its own: who runs a decision, and what a refused or failed decision leaves behind (nothing). */
@ParameterizedClass(name = "{0}")
@EnumSource(Stores.class)
class AlarmLedgerTest {
    @Parameter
    Stores stores;
    /** This run's store; fresh for each test. */
    io.safegrid.config.AlarmsConfig storeConfig;
    @TempDir
    Path dir;
    final Fixture.TestClock clock = new Fixture.TestClock(java.time.Instant.parse("2026-11-29T02:00:00Z"), Fixture.CHINA);
    final Deployment county = Fixture.deployment(List.of(), List.of(), List.of());
    final Recorder recorder = new Recorder();
    InProcessBus bus;
    AlarmLedger ledger;

    @BeforeEach
    void open() throws Exception {
        storeConfig = stores.fresh();
        bus = new InProcessBus();
        ledger = new AlarmLedger(ConfigSource.of(county), bus, new SimpleMeterRegistry(), clock, recorder,
                OutboxSettings.defaults(), () -> AlarmStore.open(dir, storeConfig), up -> { }, ThreadPolicy.NONE);
        ledger.open(AlarmStore.open(dir, storeConfig));
    }

    @AfterEach
    void close() {
        ledger.close();
        bus.close();
    }

    Alarm alarm(String id) {
        return new Alarm(id, "ch4-1|methane|", FindingKind.THRESHOLD, Level.RED, Level.RED, AlarmState.RAISED, false, "ch4-1",
                Fixture.MINE, "methane", "甲烷 1.6%", 1.6, 1.6, 1.5, 1, clock.instant(), clock.instant(), clock.instant(), null);
    }

    Pending pending(Alarm a, AlarmEvent cause) {
        Message m = MessageRenderer.message(county, a, cause, Fixture.MINE.toString());
        return new Pending("kzs", ChannelNotifier.CONSOLE, ChannelNotifier.CONSOLE, null, m);
    }

    @Test
    void everyDecisionRunsOnTheLedgersOneThreadWhoeverAsks() throws Exception {
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread[] askers = new Thread[4];
        for (int i = 0; i < askers.length; i++) {
            askers[i] = new Thread(() -> ledger.call(d -> threads.add(Thread.currentThread().getName())));
            askers[i].start();
        }
        for (Thread t : askers) {
            t.join();
        }
        assertThat(threads).hasSize(4).containsOnly("alarm-ledger");
    }

    @Test
    void aDecisionRefusedHalfWayLeavesNoAlarmNoTimelineAndNoNotification() {
        Alarm a = alarm("a1");
        assertThatThrownBy(() -> ledger.call(d -> {
            AlarmEvent raised = d.save(a, AlarmEvent.Type.RAISED, Draft.SYSTEM, "raised");
            d.activate(a);
            d.setTimer(a.id(), 0, clock.instant().plusSeconds(60));
            d.notify(pending(a, raised));
            assertThat(d.memory().activeFor(a.key())).as("a decision sees its own decisions").isEqualTo(a);
            throw new IllegalStateException("refused");
        })).hasMessage("refused");
        assertThat(ledger.openAlarms()).isEmpty();
        assertThat(ledger.alarm("a1")).isEmpty();
        assertThat(ledger.deliveries("a1")).isEmpty();
        // memory is back where it was: the same key raises afresh, and the timeline numbers carry on unbroken
        AlarmEvent raised = ledger.call(d -> {
            assertThat(d.memory().activeFor(a.key())).isNull();
            assertThat(d.memory().escalation(a.id())).isNull();
            AlarmEvent e = d.save(a, AlarmEvent.Type.RAISED, Draft.SYSTEM, "raised");
            d.activate(a);
            d.notify(pending(a, e));
            return e;
        });
        assertThat(raised.sequence()).as("the refused decision's number was never used").isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.sent.size() == 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.deliveries("a1").stream()
                .allMatch(x -> x.status() == Delivery.Status.SENT));
        assertThat(ledger.timeline("a1")).extracting(AlarmEvent::type, AlarmEvent::sequence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AlarmEvent.Type.RAISED, 1L),
                        org.assertj.core.groups.Tuple.tuple(AlarmEvent.Type.NOTIFIED, 2L));
    }
}
