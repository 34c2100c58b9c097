package io.safegrid.console.session;

import io.safegrid.testing.Deployments;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.UserDef;
import io.safegrid.console.ConsoleFixture;
import io.safegrid.console.TestClock;
import io.safegrid.model.grid.GridPath;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionsTest {
    final TestClock clock = new TestClock(ConsoleFixture.START);
    final Deployment demo = ConsoleFixture.demo();

    Sessions sessions(ConfigSource config) {
        return new Sessions(config, new SimpleMeterRegistry(), clock, Duration.ofMinutes(30), Duration.ofHours(12));
    }

    @Test
    void aSessionEndsAfterIdleTime() {
        Sessions s = sessions(ConfigSource.of(demo));
        String token = s.open("zheng-ming");
        clock.advance(Duration.ofMinutes(29));
        assertThat(s.use(token)).map(Principal::scope).contains(GridPath.parse("puxian/kecheng"));
        clock.advance(Duration.ofMinutes(29));
        assertThat(s.use(token)).as("used 29 min ago: still alive").isPresent();
        clock.advance(Duration.ofMinutes(30));
        assertThat(s.use(token)).as("idle 30 min").isEmpty();
        assertThat(s.use(token)).as("and stays ended").isEmpty();
    }

    @Test
    void aSessionEndsAtItsMaximumAgeEvenWhenBusy() {
        Sessions s = sessions(ConfigSource.of(demo));
        String token = s.open("admin");
        for (int i = 0; i < 47; i++) {
            clock.advance(Duration.ofMinutes(15));
            assertThat(s.use(token)).isPresent();
        }
        clock.advance(Duration.ofMinutes(15));
        assertThat(s.use(token)).isEmpty();
    }

    @Test
    void logoutEndsItAndUnknownTokensAreRefused() {
        Sessions s = sessions(ConfigSource.of(demo));
        String token = s.open("admin");
        s.close(token);
        assertThat(s.use(token)).isEmpty();
        assertThat(s.use("made-up")).isEmpty();
        assertThat(s.use(null)).isEmpty();
    }

    @Test
    void theUserIsReadFromTheLiveConfigOnEveryUse() {
        Deployment[] current = {demo};
        ConfigSource live = new ConfigSource() {
            @Override
            public Deployment current() { return current[0]; }

            @Override
            public void onChange(java.util.function.Consumer<Deployment> listener) {
            }
        };
        Sessions s = sessions(live);
        String token = s.open("zheng-ming");
        // reload: the officer moves to 黑龙关镇
        current[0] = withUsers(demo, demo.users().stream().map(u -> u.name().equals("zheng-ming")
                ? new UserDef(u.name(), u.displayName(), u.passwordHash(), u.role(), GridPath.parse("puxian/heilongguan"),
                u.contacts()) : u).toList());
        assertThat(s.use(token)).map(Principal::scope).contains(GridPath.parse("puxian/heilongguan"));
        // reload: removed
        current[0] = withUsers(demo, demo.users().stream().filter(u -> !u.name().equals("zheng-ming")).toList());
        assertThat(s.use(token)).isEmpty();
    }

    static Deployment withUsers(Deployment d, List<UserDef> users) {
        return Deployments.from(d).users(users).build();
    }
}
