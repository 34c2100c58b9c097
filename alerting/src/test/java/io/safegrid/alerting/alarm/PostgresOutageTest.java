package io.safegrid.alerting.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.Recorder;
import io.safegrid.alerting.Stores;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.finding.Condition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alarm store on a real PostgreSQL server that drops the ledger's connection (as a server
 * restart or a failover of the database does): the finding that meets the broken connection still
 * becomes an alarm and is notified, a stand-in in memory holds it, and once the server takes a new
 * connection everything is in PostgreSQL, each notification sent once.
 */
class PostgresOutageTest {
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

    /** Ends the ledger's server process, as {@code pg_terminate_backend} does to a session. */
    private int dropLedgerConnection() throws Exception {
        try (Connection c = DriverManager.getConnection(fx.store.url(), fx.store.user(), fx.store.password());
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
                     + " WHERE application_name = 'safegrid-alarms' AND datname = current_database()")) {
            r.next();
            return r.getInt(1);
        }
    }

    private Alarm red() {
        return fx.service.list(AlarmQuery.all()).items().stream().filter(a -> "co-9".equals(a.sourceId())).findFirst()
                .orElse(null);
    }

    @Test
    void aDroppedConnectionLosesNoAlarmAndSendsNothingTwice() throws Exception {
        fx = new Fixture(dir, recorder).on(Stores.POSTGRESQL).start();
        fx.publish(fx.methane(Level.YELLOW, Condition.ACTIVE, 1.0));
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.sent.size() == 3);

        assertThat(dropLedgerConnection()).isEqualTo(1);
        fx.publish(fx.finding("co-9", Fixture.OTHER_MINE, io.safegrid.model.finding.FindingKind.THRESHOLD, "co", Level.RED,
                Condition.ACTIVE, 60));
        // the red alarm is told although its first commit met the dropped connection
        await().atMost(Duration.ofSeconds(30)).until(() -> red() != null
                && recorder.sent.stream().anyMatch(s -> s.alarmId().equals(red().id())));
        assertThat(fx.registry.get("safegrid.alarms.store.failures").counter().count()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> fx.service.storeUp()
                && fx.registry.get("safegrid.alarms.store.reopen").tag("result", "ok").counter().count() == 1);

        List<String> before = fx.service.list(AlarmQuery.all()).items().stream().map(Alarm::id).sorted().toList();
        int told = recorder.sent.size();
        fx.stop();
        fx.start();
        assertThat(fx.service.list(AlarmQuery.all()).items()).extracting(Alarm::id).containsExactlyInAnyOrderElementsOf(before);
        assertThat(before).as("the yellow, the red and the county's storage-trouble alarm").hasSize(3);
        for (String id : before) {
            assertThat(fx.service.timeline(id)).extracting(AlarmEvent::type).contains(AlarmEvent.Type.RAISED);
        }
        Thread.sleep(1500); // a restart must not send anything again
        assertThat(recorder.sent).hasSize(told);
        assertThat(recorder.sent.stream().map(s -> s.user() + "/" + s.alarmId() + "/" + s.cause()).distinct().count())
                .isEqualTo(told);
    }

    @Test
    void aSecondLedgerOnTheStoreIsRefusedUntilTheFirstLetsGo() throws Exception {
        io.safegrid.config.AlarmsConfig store = Stores.POSTGRESQL.fresh();
        io.safegrid.alerting.ledger.AlarmStore first = io.safegrid.alerting.ledger.AlarmStore.open(dir, store);
        java.sql.SQLException refused = org.assertj.core.api.Assertions.catchThrowableOfType(java.sql.SQLException.class,
                () -> io.safegrid.alerting.ledger.AlarmStore.open(dir.resolve("other"), store));
        assertThat((Throwable) refused).isNotNull();
        assertThat(io.safegrid.alerting.ledger.AlarmStore.inUse(refused)).isTrue();
        assertThat(refused.getMessage()).contains("in use by another SafeGrid alerting node");
        first.release();   // a clean stop lets go at once, not when the server has ended the session
        io.safegrid.alerting.ledger.AlarmStore.open(dir.resolve("other"), store).close();
    }

    @Test
    void oneOfAPairThatLosesTheStoreStopsInsteadOfGoingOnInMemory() throws Exception {
        java.util.concurrent.atomic.AtomicInteger lost = new java.util.concurrent.atomic.AtomicInteger();
        fx = new Fixture(dir, recorder);
        io.safegrid.config.AlarmsConfig store = Stores.POSTGRESQL.fresh();
        fx.store = new io.safegrid.config.AlarmsConfig(store.url(), store.user(), store.password(), true);
        fx.beforeStart = s -> s.onLeadershipLost(lost::incrementAndGet);
        fx.start();
        fx.publish(fx.methane(Level.YELLOW, Condition.ACTIVE, 1.0));
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.sent.size() == 3);

        assertThat(dropLedgerConnection()).isEqualTo(1);
        fx.publish(fx.finding("co-9", Fixture.OTHER_MINE, io.safegrid.model.finding.FindingKind.THRESHOLD, "co", Level.RED,
                Condition.ACTIVE, 60));
        await().atMost(Duration.ofSeconds(30)).until(() -> lost.get() == 1);
        Thread.sleep(1500);
        assertThat(recorder.sent).as("nothing told from memory: the standby takes the store over").hasSize(3);
        assertThat(fx.registry.get("safegrid.alarms.store.reopen").tag("result", "ok").counter().count()).isZero();
    }

    @Test
    void aNodeStartedAgainAtOnceWaitsForTheLastHoldersSessionToEnd() throws Exception {
        fx = new Fixture(dir, recorder).on(Stores.POSTGRESQL);
        io.safegrid.alerting.ledger.AlarmStore last = io.safegrid.alerting.ledger.AlarmStore.open(dir.resolve("last"), fx.store);
        java.util.concurrent.CompletableFuture<Fixture> started = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return fx.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1000);
        assertThat(started).as("the lock is still held").isNotDone();
        last.close();   // its server session ends a moment after, as when a process stops or dies
        started.get(AlarmService.LOCK_LINGERS.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        fx.publish(fx.methane(Level.YELLOW, Condition.ACTIVE, 1.0));
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.sent.size() == 3);
    }

    @Test
    void aSingleNodeStillRefusesAStoreAnotherNodeKeeps() throws Exception {
        fx = new Fixture(dir, recorder).on(Stores.POSTGRESQL);
        try (io.safegrid.alerting.ledger.AlarmStore other = io.safegrid.alerting.ledger.AlarmStore.open(dir.resolve("other"), fx.store)) {
            long t0 = System.nanoTime();
            Throwable refused = org.assertj.core.api.Assertions.catchThrowable(fx::start);
            assertThat(refused).hasStackTraceContaining("in use by another SafeGrid alerting node");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(AlarmService.LOCK_LINGERS);
        }
    }
}
