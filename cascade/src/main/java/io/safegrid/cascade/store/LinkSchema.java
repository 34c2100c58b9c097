package io.safegrid.cascade.store;

import io.safegrid.config.store.Tables;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The link store's schema: Flyway scripts {@code io/safegrid/cascade/db/V*.sql}, the tool the alarm
 * store and the hazard register use, with its own history table ({@code cascade_schema_history}) so
 * that it may share the alarm store's PostgreSQL database. Tables are named {@code cascade_*} for
 * the same reason; an H2 file made before Flyway has them as {@code queue}, {@code queue_head} and
 * {@code applied}, renamed here first.
 */
final class LinkSchema {
    static final String HISTORY = "cascade_schema_history";
    private static final String[] LEGACY = {"queue", "queue_head", "applied"};

    private LinkSchema() {
    }

    static void apply(Connection c, String url, String user, String password, boolean postgres) throws SQLException {
        if (!postgres && !Tables.exists(c, HISTORY)) {
            try (Statement s = c.createStatement()) {
                for (String t : LEGACY) {
                    if (Tables.exists(c, t) && !Tables.exists(c, "cascade_" + t)) {
                        s.execute("ALTER TABLE " + t + " RENAME TO cascade_" + t);
                    }
                }
            }
        }
        c.commit();
        try {
            Flyway.configure(LinkSchema.class.getClassLoader())
                    .dataSource(url, user, password)
                    .locations("classpath:io/safegrid/cascade/db")
                    .table(HISTORY)
                    .placeholders(Map.of("binary", postgres ? "BYTEA" : "VARBINARY(67108864)"))
                    // a database the alarm path (or an older cascade file) already holds: every script runs,
                    // and they create only what is missing
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new SQLException("cascade store schema migration failed: " + e.getMessage(), e);
        }
    }
}
