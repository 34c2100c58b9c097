package io.safegrid.alerting.ledger;

import io.safegrid.config.store.Tables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm store's schema: Flyway scripts {@code io/safegrid/alerting/db/V*.sql}, the same tool as
 * the hazard register's, with its own history table ({@code alarm_schema_history}) so both may share
 * one PostgreSQL database.
 *
 * <p>Stores made before Flyway kept their applied steps in {@code schema_version} (steps 1–3 are
 * V1–V3): such a store is baselined at the highest, so Flyway runs only the scripts it lacks. Any
 * other non-empty schema is baselined at 0 and every script runs: a store older still (alarm tables
 * but no versions; V1 creates only what is missing) or another module's tables in a shared database.
 */
final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    static final String HISTORY = "alarm_schema_history";

    private Migrations() {
    }

    /**
     * Brings the database at {@code url} up to date. {@code c} is a connection to it that the caller
     * keeps open (an in-memory H2 would otherwise vanish when Flyway lets go of its own).
     */
    static void apply(Connection c, String url, String user, String password) throws SQLException {
        int baseline = legacyVersion(c);
        c.commit();
        try {
            int applied = Flyway.configure(Migrations.class.getClassLoader())
                    .dataSource(url, user, password)
                    .locations("classpath:io/safegrid/alerting/db")
                    .table(HISTORY)
                    .baselineOnMigrate(true)
                    .baselineVersion(Integer.toString(baseline))
                    .baselineDescription(baseline == 0 ? "tables of others kept" : "alarm store made before Flyway")
                    .load()
                    .migrate().migrationsExecuted;
            if (applied > 0) {
                LOG.info("alarm store schema: {} migration(s) applied (baseline {}; 0: none taken or nothing before)",
                        applied, baseline);
            }
        } catch (FlywayException e) {
            throw new SQLException("alarm store schema migration failed: " + e.getMessage(), e);
        }
    }

    /**
     * The version a store made before Flyway is at: the highest step in its {@code schema_version};
     * 0 without one (new, older than versions, or already under Flyway, where no baseline is taken).
     */
    static int legacyVersion(Connection c) throws SQLException {
        if (Tables.exists(c, HISTORY) || !Tables.exists(c, "schema_version")) {
            return 0;
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COALESCE(MAX(version), 1) FROM schema_version")) {
            r.next();
            return r.getInt(1);
        }
    }
}
