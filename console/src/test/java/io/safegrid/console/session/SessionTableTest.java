package io.safegrid.console.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.UserDef;
import io.safegrid.console.ConsoleFixture;
import io.safegrid.console.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions kept in the embedded session file outlive a restart (a new {@link Sessions} on a newly
 * opened file), with the user re-read from the config of the time; the file holds no token.
 */
class SessionTableTest {
    @TempDir
    Path dir;

    final TestClock clock = new TestClock(ConsoleFixture.START);
    final Deployment demo = ConsoleFixture.demo();
    final AtomicReference<Deployment> live = new AtomicReference<>(demo);
    final ConfigSource config = new ConfigSource() {
        @Override
        public Deployment current() { return live.get(); }

        @Override
        public void onChange(java.util.function.Consumer<Deployment> listener) {
        }
    };

    /** A node's console as it starts: a new memory over the file left by the last run. */
    private Sessions start(SessionStore table) {
        return new Sessions(config, new SimpleMeterRegistry(), clock, Duration.ofMinutes(30), Duration.ofHours(12), table);
    }

    @Test
    void aSessionOutlivesARestartAndTheFileHoldsOnlyItsHash() throws Exception {
        String token;
        try (SessionTable t = SessionTable.open(dir)) {
            token = start(t).open("zheng-ming");
            assertThat(t.size()).isOne();
        }
        byte[] file = Files.readAllBytes(dir.resolve(SessionTable.FILE + ".mv.db"));
        assertThat(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(token).contains(Sessions.hash(token));
        clock.advance(Duration.ofMinutes(10));
        try (SessionTable t = SessionTable.open(dir)) {
            Sessions s = start(t);
            assertThat(s.valid(token)).isTrue();
            assertThat(s.use(token)).map(Principal::name).contains("zheng-ming");
            assertThat(s.use("another-token")).isEmpty();
        }
    }

    @Test
    void theLastUseIsKeptSoAnIdleSessionEndsAfterARestartToo() throws Exception {
        String token;
        try (SessionTable t = SessionTable.open(dir)) {
            Sessions s = start(t);
            token = s.open("admin");
            clock.advance(Duration.ofMinutes(25));
            assertThat(s.use(token)).isPresent();   // saved: a minute or more since the last save
        }
        clock.advance(Duration.ofMinutes(25));   // 50 min after login, 25 after the last use
        try (SessionTable t = SessionTable.open(dir)) {
            assertThat(start(t).use(token)).as("used 25 min ago").isPresent();
        }
        clock.advance(Duration.ofMinutes(31));
        try (SessionTable t = SessionTable.open(dir)) {
            assertThat(start(t).use(token)).as("idle 31 min").isEmpty();
            assertThat(t.size()).as("and gone from the file").isZero();
        }
    }

    @Test
    void logoutRemovesItFromTheFile() throws Exception {
        String token;
        try (SessionTable t = SessionTable.open(dir)) {
            Sessions s = start(t);
            token = s.open("admin");
            s.close(token);
            assertThat(t.size()).isZero();
        }
        try (SessionTable t = SessionTable.open(dir)) {
            assertThat(start(t).use(token)).isEmpty();
        }
    }

    @Test
    void aUserRemovedOrGivenANewPasswordWhileTheNodeWasDownIsLoggedOut() throws Exception {
        String removed;
        String renewed;
        String kept;
        try (SessionTable t = SessionTable.open(dir)) {
            Sessions s = start(t);
            removed = s.open("zhang-hui");
            renewed = s.open("wang-fang");
            kept = s.open("zheng-ming");
        }
        List<UserDef> users = demo.users().stream().filter(u -> !u.name().equals("zhang-hui"))
                .map(u -> u.name().equals("wang-fang") ? new UserDef(u.name(), u.displayName(),
                        io.safegrid.config.auth.PasswordHash.hash("New-County-2026".toCharArray()), u.role(), u.scope(), u.contacts()) : u)
                .toList();
        live.set(SessionsTest.withUsers(demo, users));
        try (SessionTable t = SessionTable.open(dir)) {
            Sessions s = start(t);
            assertThat(s.use(removed)).as("removed from config").isEmpty();
            assertThat(s.use(renewed)).as("password changed").isEmpty();
            assertThat(s.use(kept)).isPresent();
            assertThat(t.size()).isOne();
        }
    }

    @Test
    void aLogoutOnTheOtherNodeOfAPairEndsTheSessionHereAtItsNextSave() throws Exception {
        try (SessionTable shared = SessionTable.open(dir)) {
            Sessions here = start(shared);
            Sessions there = start(shared);
            String token = here.open("zheng-ming");
            assertThat(there.use(token)).as("the other node honours it").isPresent();
            clock.advance(Duration.ofMinutes(2));
            assertThat(here.use(token)).isPresent();
            there.close(token);
            clock.advance(Sessions.SAVE_USE_EVERY.plusSeconds(1));
            assertThat(here.use(token)).as("logged out on the other node").isEmpty();
            assertThat(here.valid(token)).isFalse();
        }
    }

    @Test
    void aSessionTheStoreMissedAtLoginIsWrittenLaterNotEnded() throws Exception {
        try (SessionTable table = SessionTable.open(dir)) {
            java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
            SessionStore flaky = new SessionStore() {
                private SessionTable up() {
                    if (down.get()) {
                        throw new IllegalStateException("store down");
                    }
                    return table;
                }

                @Override public void put(String h, Stored s) { up().put(h, s); }

                @Override public java.util.Optional<Stored> get(String h) { return up().get(h); }

                @Override public boolean touch(String h, java.time.Instant t) { return up().touch(h, t); }

                @Override public void remove(String h) { up().remove(h); }

                @Override public int removeEnded(java.time.Instant c, java.time.Instant u) { return up().removeEnded(c, u); }
            };
            Sessions s = start(flaky);
            String token = s.open("admin");
            assertThat(table.size()).isZero();
            down.set(false);
            clock.advance(Sessions.SAVE_USE_EVERY.plusSeconds(1));
            assertThat(s.use(token)).as("still logged in").isPresent();
            assertThat(table.size()).as("and now kept for a restart").isOne();
        }
    }
}
