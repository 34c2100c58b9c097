package io.safegrid.ingest.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {
    static final GridPath SITE = GridPath.parse("county/town/mine");
    static final GridPath COUNTY = GridPath.parse("county");
    static final InetSocketAddress STRANGER = new InetSocketAddress("203.0.113.7", 40000);
    static final InetSocketAddress DEVICE_HOME = new InetSocketAddress("198.51.100.20", 40001);

    final InProcessBus bus = new InProcessBus();
    final List<Finding> findings = new CopyOnWriteArrayList<>();
    Instant now = Instant.parse("2026-03-01T08:00:00Z");
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() { return ZoneOffset.UTC; }

        @Override
        public Clock withZone(java.time.ZoneId zone) { return this; }

        @Override
        public Instant instant() { return now; }
    };
    final AuthThrottle throttle;

    AuthThrottleTest() {
        bus.subscribe(Topic.FINDINGS, "test", (k, f) -> findings.add(f));
        throttle = new AuthThrottle(clock, () -> 10, id -> id.equals("ch4-1") ? SITE : null, () -> COUNTY, bus,
                new SimpleMeterRegistry());
    }

    @AfterEach
    void close() {
        bus.close();
    }

    @Test
    void tenFailuresAMinuteThenRefusedUncheckedUntilTheOldestLeavesTheMinute() {
        for (int i = 0; i < 10; i++) {
            assertThat(throttle.allows("ch4-1", STRANGER)).as("try %d", i).isTrue();
            throttle.failed("ch4-1", STRANGER);
            now = now.plusSeconds(1);
        }
        assertThat(throttle.allows("ch4-1", STRANGER)).isFalse();
        assertThat(throttle.allows("ch4-1", new InetSocketAddress("203.0.113.8", 1))).as("the device id is spent too").isFalse();
        assertThat(throttle.allows("other", STRANGER)).as("and the address").isFalse();
        now = now.plusSeconds(51);   // the first failure is a minute old
        assertThat(throttle.allows("ch4-1", STRANGER)).isTrue();
    }

    @Test
    void aStrangerGuessingAtADeviceIdDoesNotLockOutTheDeviceFromItsOwnAddress() {
        throttle.succeeded("ch4-1", DEVICE_HOME);
        for (int i = 0; i < 20; i++) {
            throttle.failed("ch4-1", STRANGER);
        }
        assertThat(throttle.allows("ch4-1", STRANGER)).isFalse();
        assertThat(throttle.allows("ch4-1", DEVICE_HOME)).isTrue();
    }

    @Test
    void aBurstRaisesOneFindingAtTheDevicesSiteAndItClearsAfterTenQuietMinutes() {
        for (int i = 0; i < 30; i++) {
            throttle.failed("ch4-1", STRANGER);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !findings.isEmpty());
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKind.CREDENTIAL_ATTACK);
            assertThat(f.site()).isEqualTo(SITE);
            assertThat(f.sourceId()).isEqualTo("ch4-1");
            assertThat(f.condition()).isEqualTo(Condition.ACTIVE);
            assertThat(f.details()).containsEntry("lastAddress", "203.0.113.7");
        });
        now = now.plus(Duration.ofMinutes(9));
        throttle.tick();
        now = now.plus(Duration.ofMinutes(1));
        throttle.tick();
        await().atMost(Duration.ofSeconds(30)).until(() -> findings.size() >= 2);
        assertThat(findings).hasSize(2).last().satisfies(f -> assertThat(f.condition()).isEqualTo(Condition.CLEARED));
    }

    @Test
    void guessesAtUnknownIdsRaiseOneFindingAtTheCounty() {
        for (int i = 0; i < 12; i++) {
            throttle.failed("nobody-" + i, STRANGER);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !findings.isEmpty());
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.site()).isEqualTo(COUNTY);
            assertThat(f.sourceId()).isEqualTo(AuthThrottle.UNKNOWN_SOURCE);
        });
    }

    @Test
    void anIpv6SubscriberIsOneAddressWhateverItsLow64Bits() {
        for (int i = 0; i < 10; i++) {
            throttle.failed(null, new InetSocketAddress("2001:db8:1:2::" + Integer.toHexString(i + 1), 1));
        }
        assertThat(throttle.allows(null, new InetSocketAddress("2001:db8:1:2:ffff::9", 1))).isFalse();
        assertThat(throttle.allows(null, new InetSocketAddress("2001:db8:1:3::1", 1))).isTrue();
    }
}
