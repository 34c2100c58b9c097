package io.safegrid.hazard.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The industry departments of each hazard as rows ({@code hazard_department}: department, seq), so a
 * department's list is an indexed lookup instead of a {@code LIKE} over every hazard's
 * {@code departments} text. Written in Java because splitting the existing {@code |a|b|} texts has no
 * SQL that runs unchanged on H2 and PostgreSQL.
 */
public final class V4__hazard_department extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE hazard_department (department VARCHAR(1000) NOT NULL, seq BIGINT NOT NULL, "
                    + "PRIMARY KEY (department, seq))");
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq, departments FROM hazard");
             PreparedStatement ins = c.prepareStatement("INSERT INTO hazard_department (department, seq) VALUES (?, ?)")) {
            int batch = 0;
            while (rs.next()) {
                for (String d : rs.getString(2).split("\\|")) {
                    if (!d.isEmpty()) {
                        ins.setString(1, d);
                        ins.setLong(2, rs.getLong(1));
                        ins.addBatch();
                        batch++;
                    }
                }
                if (batch >= 1000) {
                    ins.executeBatch();
                    batch = 0;
                }
            }
            ins.executeBatch();
        }
    }
}
