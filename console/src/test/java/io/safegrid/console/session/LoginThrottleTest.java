package io.safegrid.console.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.console.ConsoleFixture;
import io.safegrid.console.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    final TestClock clock = new TestClock(ConsoleFixture.START);
    final LoginThrottle throttle = new LoginThrottle(clock, Duration.ofMinutes(15), 5, 20, 50);

    @Test
    void fiveFailuresLockTheUserAtThatAddressUntilTheyLeaveTheWindow() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("wang-fang", "10.0.0.1");
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(throttle.retryAfterSeconds("wang-fang", "10.0.0.1")).isZero();
        throttle.failed("wang-fang", "10.0.0.1");
        assertThat(throttle.retryAfterSeconds("wang-fang", "10.0.0.1")).isEqualTo(Duration.ofMinutes(11).toSeconds());
        assertThat(throttle.retryAfterSeconds("li-yan", "10.0.0.1")).as("other users are not").isZero();
        clock.advance(Duration.ofMinutes(11));
        assertThat(throttle.retryAfterSeconds("wang-fang", "10.0.0.1")).isZero();
    }

    @Test
    void aStrangersFailuresDoNotLockTheOfficerOutOfTheirOwnAddress() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("wang-fang", "203.0.113.9");
        }
        assertThat(throttle.retryAfterSeconds("wang-fang", "203.0.113.9")).as("the stranger waits").isPositive();
        assertThat(throttle.retryAfterSeconds("wang-fang", "10.0.0.1")).as("the officer at her desk does not").isZero();
    }

    @Test
    void oneAddressGuessingManyNamesIsLockedToo() {
        for (int i = 0; i < 20; i++) {
            throttle.failed("user-" + i, "10.9.9.9");
        }
        assertThat(throttle.retryAfterSeconds("admin", "10.9.9.9")).isPositive();
        assertThat(throttle.retryAfterSeconds("admin", "10.0.0.1")).isZero();
    }

    @Test
    void guessingSpreadOverManyAddressesLocksStrangersButNotAnAddressTheUserLoggedInFrom() {
        throttle.succeeded("wang-fang", "10.0.0.1");
        for (int i = 0; i < 50; i++) {
            throttle.failed("wang-fang", "198.51.100." + i);
        }
        assertThat(throttle.retryAfterSeconds("wang-fang", "198.51.100.200")).as("a new address").isPositive();
        assertThat(throttle.retryAfterSeconds("wang-fang", "10.0.0.1")).as("her usual address").isZero();
        clock.advance(Duration.ofMinutes(15));
        assertThat(throttle.retryAfterSeconds("wang-fang", "198.51.100.200")).isZero();
    }

    @Test
    void successClearsThatAddresssFailures() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("admin", "10.0.0.1");
        }
        throttle.succeeded("admin", "10.0.0.1");
        throttle.failed("admin", "10.0.0.1");
        assertThat(throttle.retryAfterSeconds("admin", "10.0.0.1")).isZero();
    }

    @Test
    void madeUpNamesFromManyAddressesCannotGrowMemoryWithoutBound() {
        for (int i = 0; i < LoginThrottle.MAX_KEYS; i++) {
            throttle.failed("guess-" + i, "198.18." + (i >> 8 & 255) + "." + (i & 255));
        }
        assertThat(throttle.keys()).isLessThanOrEqualTo(LoginThrottle.MAX_KEYS);
    }
}
