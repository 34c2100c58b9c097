package io.safegrid.ingest.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
    @Test
    void refillsAtTheConfiguredRateAndRefusesWholeBatches() {
        DeviceSessionsTest.TestClock clock = new DeviceSessionsTest.TestClock();
        RateLimits limits = new RateLimits(clock, () -> 10);
        assertThat(limits.tryAcquire("a", 10)).isTrue();
        assertThat(limits.tryAcquire("a", 1)).isFalse();
        assertThat(limits.tryAcquire("b", 1)).as("per device").isTrue();
        clock.advance(Duration.ofMillis(500));
        assertThat(limits.tryAcquire("a", 6)).isFalse();
        assertThat(limits.tryAcquire("a", 5)).isTrue();
        clock.advance(Duration.ofHours(1));
        assertThat(limits.tryAcquire("a", 11)).as("burst is one second's worth").isFalse();
        assertThat(new RateLimits(clock, () -> 0).tryAcquire("a", 1_000_000)).as("0 = no limit").isTrue();
    }
}
