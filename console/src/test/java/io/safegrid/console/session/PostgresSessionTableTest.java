package io.safegrid.console.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.AlarmsConfig;
import io.safegrid.config.ConfigSource;
import io.safegrid.console.ConsoleFixture;
import io.safegrid.console.TestClock;
import io.safegrid.testing.PostgresServer;
import io.safegrid.testing.TcpCutter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions in the alarm store's PostgreSQL, the database an active/standby pair shares: another
 * console on it honours a token it never issued, the table holds only the token's hash, and a server
 * that is lost or never answers costs a bounded wait, never a hang, with sessions going on in memory.
 */
class PostgresSessionTableTest {
    @TempDir
    Path dir;

    final TestClock clock = new TestClock(ConsoleFixture.START);
    final ConfigSource config = ConfigSource.of(ConsoleFixture.demo());
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    Sessions sessions(SessionStore store) {
        return new Sessions(config, registry, clock, Duration.ofMinutes(30), Duration.ofHours(12), store);
    }

    double failures() {
        return registry.get("safegrid.console.session.store.failures").counter().count();
    }

    static AlarmsConfig store(String url) {
        return AlarmsConfig.at(url, "safegrid", "");
    }

    @Test
    void anotherConsoleOnTheDatabaseHonoursTheTokenAndTheTableHoldsOnlyItsHash() throws Exception {
        String url = PostgresServer.sharedDatabase("console");
        String token;
        try (SessionTable a = SessionTable.open(dir.resolve("a"), store(url))) {
            token = sessions(a).open("wang-fang");
        }
        try (SessionTable b = SessionTable.open(dir.resolve("b"), store(url))) {
            assertThat(sessions(b).use(token)).map(Principal::name).contains("wang-fang");
        }
        List<String> kept = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "safegrid", "");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT token_hash, user_name, credential FROM console_session")) {
            while (r.next()) {
                kept.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3));
            }
        }
        assertThat(kept).hasSize(1);
        assertThat(kept.get(0)).startsWith(Sessions.hash(token) + " wang-fang ").doesNotContain(token);
        assertThat(dir.resolve("a").resolve(SessionTable.FILE + ".mv.db")).as("nothing in the data directory").doesNotExist();
    }

    @Test
    void aLostServerCostsNoWaitAndTheTableIsUsedAgainOnceItIsBack() throws Exception {
        String url = PostgresServer.sharedDatabase("console");
        int port = Integer.parseInt(url.replaceFirst(".*:(\\d+)/.*", "$1"));
        try (TcpCutter wire = new TcpCutter(port);
             SessionTable t = SessionTable.open(dir, store(url.replace(":" + port + "/", ":" + wire.port() + "/")), Duration.ofMillis(300));
             SessionTable other = SessionTable.open(dir.resolve("other"), store(url))) {
            Sessions s = sessions(t);
            String before = s.open("admin");
            wire.cut();
            long start = System.nanoTime();
            String during = s.open("zheng-ming");
            assertThat(s.use(during)).as("in memory").isPresent();
            assertThat(s.use(before)).isPresent();
            assertThat(s.use("never-issued")).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(SessionTable.WAIT_S));
            assertThat(failures()).isGreaterThanOrEqualTo(1);
            assertThat(sessions(other).use(during)).as("opened while the server was lost").isEmpty();

            wire.restore();
            // the table tries the server again at most every 300 ms: a login after that is stored once more
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofMillis(400))
                    .untilAsserted(() -> assertThat(sessions(other).use(s.open("wang-fang")))
                            .as("kept again once the server is back").isPresent());
            assertThat(sessions(other).use(before)).isPresent();
        }
    }

    @Test
    @Timeout(30) // without its bounds, the driver waits for the server's answer for ever
    void aServerThatNeverAnswersFailsTheOpenWithinItsWait() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> SessionTable.open(dir, store("jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/safegrid")))
                    .isInstanceOf(SQLException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(SessionTable.WAIT_S + 5));
        }
    }
}
