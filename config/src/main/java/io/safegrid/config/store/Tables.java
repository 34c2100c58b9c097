package io.safegrid.config.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What a store's database already holds, for the schema steps that run before Flyway (H2 and PostgreSQL). */
public final class Tables {
    private Tables() {
    }

    /** True when the database has the table, under its name as written or in upper case (H2 folds to upper). */
    public static boolean exists(Connection c, String name) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        for (String n : new String[] {name, name.toUpperCase(java.util.Locale.ROOT)}) {
            try (ResultSet r = md.getTables(null, null, n, new String[] {"TABLE"})) {
                if (r.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
