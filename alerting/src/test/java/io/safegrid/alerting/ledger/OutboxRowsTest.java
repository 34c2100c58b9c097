package io.safegrid.alerting.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.notify.Message;
import io.safegrid.alerting.notify.MessageRenderer;
import io.safegrid.alerting.outbox.Delivery;
import io.safegrid.alerting.outbox.Pending;
import io.safegrid.config.Deployment;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxRowsTest {
    static final Instant NOW = Instant.parse("2026-11-29T02:00:00Z");
    final Deployment county = Fixture.deployment(List.of(), List.of(), List.of());

    @TempDir
    Path dir;

    Connection open() throws Exception {
        Connection c = DriverManager.getConnection(AlarmStore.url(dir), "sa", "");
        c.setAutoCommit(false);
        return c;
    }

    Pending pending(String alarmId, String channel) {
        Alarm a = new Alarm(alarmId, "k", FindingKind.THRESHOLD, Level.RED, Level.RED, AlarmState.RAISED, false, "ch4-1",
                Fixture.MINE, "methane", "甲烷 1.6%", 1.6, 1.6, 1.5, 1, NOW, NOW, NOW, null);
        Message m = MessageRenderer.message(county, a, new AlarmEvent(1, AlarmEvent.Type.RAISED, alarmId, NOW, "system", null, a),
                Fixture.MINE.toString());
        return new Pending("kzs", channel, "webhook", null, m);
    }

    /** The schema as the hand-written steps 1–3 left it before Flyway: AUTO_INCREMENT keys, a {@code schema_version} table. */
    static final String[] STEPS_1_TO_3 = {"""
            CREATE TABLE alarm (
              id VARCHAR(64) PRIMARY KEY, akey VARCHAR(600) NOT NULL, kind VARCHAR(40) NOT NULL,
              level VARCHAR(10) NOT NULL, peak_level VARCHAR(10) NOT NULL, state VARCHAR(16) NOT NULL,
              acknowledged BOOLEAN NOT NULL, source_id VARCHAR(200) NOT NULL, site VARCHAR(600),
              rule VARCHAR(200) NOT NULL, message VARCHAR(4000), val DOUBLE PRECISION,
              peak_value DOUBLE PRECISION, threshold DOUBLE PRECISION, cnt INT NOT NULL,
              raised_at BIGINT NOT NULL, last_seen BIGINT NOT NULL, updated_at BIGINT NOT NULL,
              assignee VARCHAR(200))""", """
            CREATE TABLE alarm_event (
              seq BIGINT AUTO_INCREMENT PRIMARY KEY, alarm_id VARCHAR(64) NOT NULL, type VARCHAR(32) NOT NULL,
              time BIGINT NOT NULL, actor VARCHAR(200) NOT NULL, note VARCHAR(4000),
              level VARCHAR(10) NOT NULL, state VARCHAR(16) NOT NULL, acknowledged BOOLEAN NOT NULL,
              val DOUBLE PRECISION, cnt INT NOT NULL, assignee VARCHAR(200))""",
            "CREATE INDEX alarm_event_alarm ON alarm_event(alarm_id, seq)",
            "CREATE TABLE escalation (alarm_id VARCHAR(64) PRIMARY KEY, rung INT NOT NULL, due_at BIGINT NOT NULL)", """
            CREATE TABLE silence (
              id VARCHAR(64) PRIMARY KEY, device_id VARCHAR(200), node VARCHAR(600), created_by VARCHAR(200) NOT NULL,
              reason VARCHAR(2000) NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
              ended_at BIGINT, ended_by VARCHAR(200))""", """
            CREATE TABLE notification (
              id BIGINT AUTO_INCREMENT PRIMARY KEY, idem_key VARCHAR(1000) NOT NULL,
              alarm_id VARCHAR(64) NOT NULL, event_seq BIGINT NOT NULL, recipient VARCHAR(200) NOT NULL,
              channel_id VARCHAR(200) NOT NULL, channel_type VARCHAR(40) NOT NULL, address VARCHAR(1000),
              message CHARACTER VARYING(1000000) NOT NULL, status VARCHAR(16) NOT NULL, attempts INT NOT NULL,
              created_at BIGINT NOT NULL, next_at BIGINT NOT NULL, last_error VARCHAR(2000), done_at BIGINT,
              CONSTRAINT notification_key UNIQUE (idem_key))""",
            "CREATE INDEX notification_due ON notification(status, next_at)",
            "CREATE INDEX notification_alarm ON notification(alarm_id, id)",
            "CREATE INDEX notification_channel ON notification(channel_id, status, next_at)",
            "CREATE TABLE schema_version (version INT PRIMARY KEY, description VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)",
            "INSERT INTO schema_version VALUES (1, 'alarms', 0), (2, 'drop the alarm list indexes', 0),"
                    + " (3, 'notification messages as VARCHAR', 0)"};

    @Test
    void aStoreMadeBySchemaVersionStepsIsBaselinedAtThreeAndKeepsItsAlarmsTimelineAndOutbox() throws Exception {
        Pending queued = pending("a1", "sms");
        Alarm a = alarm("a1");
        try (Connection c = open(); Statement s = c.createStatement()) {
            for (String sql : STEPS_1_TO_3) {
                s.execute(sql);
            }
            s.execute("INSERT INTO alarm_event (alarm_id, type, time, actor, level, state, acknowledged, val, cnt)"
                    + " VALUES ('a1', 'RAISED', 1, 'system', 'RED', 'RAISED', FALSE, 1.6, 1)");
            s.execute("INSERT INTO escalation VALUES ('a1', 0, " + NOW.plusSeconds(300).toEpochMilli() + ")");
            OutboxRows.insert(c, queued, NOW, false);
            c.commit();
        }
        try (AlarmStore store = new AlarmStore(dir)) {
            store.upsert(a);
            store.commit();
        }
        try (AlarmStore store = new AlarmStore(dir)) {
            Connection c = store.reader();
            assertThat(history(c)).containsExactly("3:alarm store made before Flyway", "4:alarm first ack and county");
            assertThat(store.openAlarms()).extracting(Alarm::id).containsExactly("a1");
            assertThat(store.escalations()).containsOnlyKeys("a1");
            assertThat(store.timeline(a)).extracting(AlarmEvent::type).containsExactly(AlarmEvent.Type.RAISED);
            assertThat(OutboxRows.inStatus(c, Delivery.Status.QUEUED)).singleElement()
                    .satisfies(d -> assertThat(d.message()).isEqualTo(queued.message()));
            // the old AUTO_INCREMENT keys go on numbering above the rows already there
            assertThat(store.append(AlarmEvent.Type.ACKNOWLEDGED, a, NOW, "kzs", null).sequence()).isEqualTo(2);
            assertThat(OutboxRows.insert(store.connection(), pending("a2", "sms"), NOW, false)).isEqualTo(2);
            store.commit();
        }
    }

    @Test
    void aStoreMadeBeforeSchemaVersionsIsMigratedOnceAndKeepsItsQueuedNotifications() throws Exception {
        Pending queued = pending("a1", "sms");
        try (Connection c = open(); Statement s = c.createStatement()) {
            // the tables as stores made before schema versions have them: a CLOB message, the two list indexes
            s.execute("""
                    CREATE TABLE notification (
                      id BIGINT AUTO_INCREMENT PRIMARY KEY, idem_key VARCHAR(1000) NOT NULL,
                      alarm_id VARCHAR(64) NOT NULL, event_seq BIGINT NOT NULL, recipient VARCHAR(200) NOT NULL,
                      channel_id VARCHAR(200) NOT NULL, channel_type VARCHAR(40) NOT NULL, address VARCHAR(1000),
                      message CHARACTER LARGE OBJECT NOT NULL, status VARCHAR(16) NOT NULL, attempts INT NOT NULL,
                      created_at BIGINT NOT NULL, next_at BIGINT NOT NULL, last_error VARCHAR(2000), done_at BIGINT,
                      CONSTRAINT notification_key UNIQUE (idem_key))""");
            s.execute(STEPS_1_TO_3[0]); // the alarm table has not changed since
            s.execute("CREATE INDEX alarm_state ON alarm(state)");
            s.execute("CREATE INDEX alarm_raised ON alarm(raised_at)");
            OutboxRows.insert(c, queued, NOW, false);
            c.commit();
        }
        try (AlarmStore store = new AlarmStore(dir)) {
            Connection c = store.reader();
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS"
                         + " WHERE TABLE_NAME = 'NOTIFICATION' AND COLUMN_NAME = 'MESSAGE'")) {
                r.next();
                assertThat(r.getString(1)).isEqualTo("CHARACTER VARYING");
            }
            assertThat(indexes(c)).doesNotContain("ALARM_STATE", "ALARM_RAISED").contains("ALARM_EVENT_ALARM");
            assertThat(OutboxRows.inStatus(c, Delivery.Status.QUEUED)).singleElement().satisfies(d -> {
                assertThat(d.message()).isEqualTo(queued.message());
                assertThat(d.key()).isEqualTo(queued.key());
            });
            assertThat(history(c)).containsExactly("0:tables of others kept", "1:alarm store",
                    "2:drop alarm list indexes", "3:notification message varchar", "4:alarm first ack and county");
        }
        // the scripts ran once: an index made now (by hand) is not dropped by the next start
        try (Connection c = open(); Statement s = c.createStatement()) {
            s.execute("CREATE INDEX alarm_state ON alarm(state)");
            c.commit();
        }
        try (AlarmStore store = new AlarmStore(dir)) {
            assertThat(indexes(store.reader())).contains("ALARM_STATE");
            assertThat(history(store.reader())).hasSize(5);
        }
    }

    @Test
    void aNewStoreRunsEveryScript() throws Exception {
        try (AlarmStore store = new AlarmStore(dir)) {
            assertThat(history(store.reader())).containsExactly("1:alarm store", "2:drop alarm list indexes",
                    "3:notification message varchar", "4:alarm first ack and county");
        }
    }

    Alarm alarm(String id) {
        return new Alarm(id, "k", FindingKind.THRESHOLD, Level.RED, Level.RED, AlarmState.RAISED, false, "ch4-1",
                Fixture.MINE, "methane", "甲烷 1.6%", 1.6, 1.6, 1.5, 1, NOW, NOW, NOW, null);
    }

    private static List<String> indexes(Connection c) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA = 'PUBLIC'")) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    /** Flyway's history: "version:description", in the order applied. */
    static List<String> history(Connection c) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT \"version\", \"description\" FROM \"" + Migrations.HISTORY + "\" WHERE \"version\" IS NOT NULL"
                        + " ORDER BY \"installed_rank\"")) {
            while (r.next()) {
                out.add(r.getString(1) + ":" + r.getString(2));
            }
        }
        return out;
    }

    @Test
    void aChannelsNextDueRowIsItsOldestQueuedOrRetryingOneThatIsDue() throws Exception {
        try (AlarmStore store = new AlarmStore(dir)) {
            Connection c = store.connection();
            long sent = OutboxRows.insert(c, pending("a1", "sms"), NOW.minusSeconds(60), false);
            OutboxRows.finish(c, sent, Delivery.Status.SENT, null, NOW);
            long retrying = OutboxRows.insert(c, pending("a2", "sms"), NOW.minusSeconds(50), false);
            OutboxRows.retryAt(c, retrying, NOW.minusSeconds(5), "gateway busy");
            long later = OutboxRows.insert(c, pending("a3", "sms"), NOW.minusSeconds(40), false);
            OutboxRows.retryAt(c, later, NOW.plusSeconds(30), "gateway busy");
            long queued = OutboxRows.insert(c, pending("a4", "sms"), NOW.minusSeconds(2), false);
            OutboxRows.insert(c, pending("a5", "email"), NOW.minusSeconds(90), false);
            c.commit();

            assertThat(OutboxRows.nextDue(c, "sms", NOW).id()).as("retry due 5 s ago before the row queued 2 s ago").isEqualTo(retrying);
            OutboxRows.finish(c, retrying, Delivery.Status.SENT, null, NOW);
            assertThat(OutboxRows.nextDue(c, "sms", NOW).id()).isEqualTo(queued);
            OutboxRows.finish(c, queued, Delivery.Status.SENT, null, NOW);
            assertThat(OutboxRows.nextDue(c, "sms", NOW)).as("the last retry is not due yet").isNull();
            assertThat(OutboxRows.nextDue(c, "sms", NOW.plusSeconds(31)).id()).isEqualTo(later);
            assertThat(OutboxRows.due(c, NOW, 10)).extracting(OutboxRows.Due::channelId).containsExactly("email");
        }
    }
}
