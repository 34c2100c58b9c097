package io.safegrid.ingest.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.ingest.TestDeployments;
import io.safegrid.ingest.directory.DeviceDirectory;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Online/offline with a clock the test moves. */
class DeviceSessionsTest {
    static final class TestClock extends Clock {
        volatile Instant now = Instant.parse("2024-03-15T02:00:00Z");

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override public Clock withZone(ZoneId zone) { return this; }

        @Override public Instant instant() { return now; }

        void advance(Duration d) { now = now.plus(d); }
    }

    private final InProcessBus bus = new InProcessBus();
    private final List<Finding> findings = new CopyOnWriteArrayList<>();
    private final TestClock clock = new TestClock();
    private final DeviceDirectory dir = DeviceDirectory.of(TestDeployments.deployment());
    private final DeviceSessions sessions;

    DeviceSessionsTest() {
        bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
        sessions = new DeviceSessions(() -> dir, bus, new SimpleMeterRegistry(), clock);
    }

    @AfterEach
    void stop() { bus.close(); }

    @Test
    void silentPastTheClassTimeoutGoesOfflineAndComesBackWhenHeard() {
        String ch4 = TestDeployments.CH4;                         // coal-working-face: offline after 30 s
        clock.advance(Duration.ofSeconds(10));
        sessions.seen(ch4);
        clock.advance(Duration.ofSeconds(29));
        sessions.tick();
        assertThat(sessions.isOffline(ch4)).isFalse();

        clock.advance(Duration.ofSeconds(1));
        sessions.tick();
        sessions.tick();                                          // no second finding for the same state
        assertThat(sessions.isOffline(ch4)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> ofDevice(ch4).size() == 1);
        Finding off = ofDevice(ch4).get(0);
        assertThat(off.kind()).isEqualTo(FindingKind.DEVICE_OFFLINE);
        assertThat(off.condition()).isEqualTo(Condition.ACTIVE);
        assertThat(off.site()).isEqualTo(TestDeployments.MINE);
        assertThat(off.value()).isEqualTo(30.0);
        assertThat(off.threshold()).isEqualTo(30.0);
        assertThat(off.time()).isEqualTo(clock.instant());

        clock.advance(Duration.ofMinutes(5));
        sessions.seen(ch4);
        sessions.tick();
        assertThat(sessions.isOffline(ch4)).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> ofDevice(ch4).size() == 2);
        Finding back = ofDevice(ch4).get(1);
        assertThat(back.condition()).isEqualTo(Condition.CLEARED);
        assertThat(back.alarmKey()).isEqualTo(off.alarmKey());
    }

    @Test
    void aDeviceNeverHeardSinceStartIsReportedAfterItsTimeout() {
        clock.advance(Duration.ofSeconds(31));
        sessions.tick();
        assertThat(sessions.isOffline(TestDeployments.CH4)).isTrue();
        assertThat(sessions.isOffline(TestDeployments.LOG_CO)).as("env-logger class waits 10 min").isFalse();
        clock.advance(Duration.ofMinutes(10));
        sessions.tick();
        assertThat(sessions.isOffline(TestDeployments.LOG_CO)).isTrue();
    }

    private List<Finding> ofDevice(String id) {
        return findings.stream().filter(f -> f.sourceId().equals(id)).toList();
    }
}
