package io.safegrid.console.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.console.ConsoleFixture;
import io.safegrid.console.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    final TestClock clock = new TestClock(ConsoleFixture.START);
    final LoginThrottle throttle = new LoginThrottle(clock, Duration.ofMinutes(15), 5, 20);

    @Test
    void fiveFailuresLockTheUserUntilTheyLeaveTheWindow() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("wang-fang", "10.0.0.1");
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(throttle.retryAfterSeconds("wang-fang", "10.0.0.1")).isZero();
        throttle.failed("wang-fang", "10.0.0.1");
        long wait = throttle.retryAfterSeconds("wang-fang", "10.0.0.2");
        assertThat(wait).as("locked from any address").isEqualTo(Duration.ofMinutes(11).toSeconds());
        assertThat(throttle.retryAfterSeconds("li-yan", "10.0.0.2")).as("other users are not").isZero();
        clock.advance(Duration.ofMinutes(11));
        assertThat(throttle.retryAfterSeconds("wang-fang", "10.0.0.1")).isZero();
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
    void successClearsTheUsersFailures() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("admin", "10.0.0.1");
        }
        throttle.succeeded("admin");
        throttle.failed("admin", "10.0.0.1");
        assertThat(throttle.retryAfterSeconds("admin", "10.0.0.3")).isZero();
    }
}
