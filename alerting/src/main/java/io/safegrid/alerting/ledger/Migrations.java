package io.safegrid.alerting.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm store's schema, in numbered steps that each run once per database: the applied
 * versions are kept in {@code schema_version}, so a start runs nothing but one query. A store made
 * before versions were kept already has the tables of step 1 (they are created only if missing)
 * and gets the later steps once.
 */
final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    @FunctionalInterface
    private interface Work {
        void run(Statement s) throws SQLException;
    }

    private record Step(int version, String description, Work work) {
    }

    private static final List<Step> STEPS = List.of(
            new Step(1, "alarms, timelines, escalation timers, silences and the notification outbox", s -> {
                s.execute("""
                        CREATE TABLE IF NOT EXISTS alarm (
                          id VARCHAR(64) PRIMARY KEY, akey VARCHAR(600) NOT NULL, kind VARCHAR(40) NOT NULL,
                          level VARCHAR(10) NOT NULL, peak_level VARCHAR(10) NOT NULL, state VARCHAR(16) NOT NULL,
                          acknowledged BOOLEAN NOT NULL, source_id VARCHAR(200) NOT NULL, site VARCHAR(600),
                          rule VARCHAR(200) NOT NULL, message VARCHAR(4000), val DOUBLE PRECISION,
                          peak_value DOUBLE PRECISION, threshold DOUBLE PRECISION, cnt INT NOT NULL,
                          raised_at BIGINT NOT NULL, last_seen BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                          assignee VARCHAR(200))""");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS alarm_event (
                          seq BIGINT AUTO_INCREMENT PRIMARY KEY, alarm_id VARCHAR(64) NOT NULL, type VARCHAR(32) NOT NULL,
                          time BIGINT NOT NULL, actor VARCHAR(200) NOT NULL, note VARCHAR(4000),
                          level VARCHAR(10) NOT NULL, state VARCHAR(16) NOT NULL, acknowledged BOOLEAN NOT NULL,
                          val DOUBLE PRECISION, cnt INT NOT NULL, assignee VARCHAR(200))""");
                s.execute("CREATE INDEX IF NOT EXISTS alarm_event_alarm ON alarm_event(alarm_id, seq)");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS escalation (
                          alarm_id VARCHAR(64) PRIMARY KEY, rung INT NOT NULL, due_at BIGINT NOT NULL)""");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS silence (
                          id VARCHAR(64) PRIMARY KEY, device_id VARCHAR(200), node VARCHAR(600), created_by VARCHAR(200) NOT NULL,
                          reason VARCHAR(2000) NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
                          ended_at BIGINT, ended_by VARCHAR(200))""");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS notification (
                          id BIGINT AUTO_INCREMENT PRIMARY KEY, idem_key VARCHAR(1000) NOT NULL,
                          alarm_id VARCHAR(64) NOT NULL, event_seq BIGINT NOT NULL, recipient VARCHAR(200) NOT NULL,
                          channel_id VARCHAR(200) NOT NULL, channel_type VARCHAR(40) NOT NULL, address VARCHAR(1000),
                          message CHARACTER VARYING(1000000) NOT NULL, status VARCHAR(16) NOT NULL, attempts INT NOT NULL,
                          created_at BIGINT NOT NULL, next_at BIGINT NOT NULL, last_error VARCHAR(2000), done_at BIGINT,
                          CONSTRAINT notification_key UNIQUE (idem_key))""");
                s.execute("CREATE INDEX IF NOT EXISTS notification_due ON notification(status, next_at)");
                s.execute("CREATE INDEX IF NOT EXISTS notification_alarm ON notification(alarm_id, id)");
                s.execute("CREATE INDEX IF NOT EXISTS notification_channel ON notification(channel_id, status, next_at)");
            }),
            // lists are answered by the AlarmIndex in memory and open alarms are read once at start: these
            // indexes served no query and cost each alarm's commit two more B-trees to write
            new Step(2, "drop the alarm list indexes", s -> {
                s.execute("DROP INDEX IF EXISTS alarm_state");
                s.execute("DROP INDEX IF EXISTS alarm_raised");
            }),
            // a CLOB message made every insert write H2's three LOB maps too, on each alarm's way to its first SMS
            new Step(3, "notification messages as VARCHAR", s -> {
                boolean lob;
                try (ResultSet r = s.executeQuery("SELECT DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS"
                        + " WHERE TABLE_NAME = 'NOTIFICATION' AND COLUMN_NAME = 'MESSAGE'")) {
                    lob = r.next() && r.getString(1).contains("LARGE OBJECT");
                }
                if (lob) {
                    s.execute("ALTER TABLE notification ALTER COLUMN message SET DATA TYPE CHARACTER VARYING(1000000)");
                }
            }));

    private Migrations() {
    }

    /** Runs the steps this database has not had yet, each in its own committed transaction. */
    static void apply(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT PRIMARY KEY, description VARCHAR(200) NOT NULL,"
                    + " applied_at BIGINT NOT NULL)");
            c.commit();
            int current;
            try (ResultSet r = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                r.next();
                current = r.getInt(1);
            }
            for (Step step : STEPS) {
                if (step.version() <= current) {
                    continue;
                }
                try {
                    step.work().run(s);
                    try (PreparedStatement p = c.prepareStatement(
                            "INSERT INTO schema_version (version, description, applied_at) VALUES (?,?,?)")) {
                        p.setInt(1, step.version());
                        p.setString(2, step.description());
                        p.setLong(3, System.currentTimeMillis());
                        p.executeUpdate();
                    }
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
                LOG.debug("alarm store schema: step {} ({}) applied", step.version(), step.description());
            }
        }
    }

    /** The newest step: what a store is at once {@link #apply} returned. */
    static int latest() {
        return STEPS.get(STEPS.size() - 1).version();
    }
}
