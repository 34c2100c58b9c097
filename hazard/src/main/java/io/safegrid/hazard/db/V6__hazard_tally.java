package io.safegrid.hazard.db;

import io.safegrid.hazard.store.HazardTally;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Counts per scope, grade and state ({@code hazard_tally}) so a list's total is not a count over a
 * department's or township's hazards; each department row carries its hazard's running deadline, and
 * every scope has a (scope, deadline) index, so the overdue hazards of a scope are a range, not a walk.
 */
public final class V6__hazard_tally extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws SQLException {
        try (Statement s = context.getConnection().createStatement()) {
            s.execute("CREATE TABLE hazard_tally (kind VARCHAR(1) NOT NULL, scope VARCHAR(1000) NOT NULL, "
                    + "grade VARCHAR(10) NOT NULL, state VARCHAR(20) NOT NULL, n BIGINT NOT NULL, "
                    + "PRIMARY KEY (kind, scope, grade, state))");
            s.execute("ALTER TABLE hazard_department ADD COLUMN due_ms BIGINT");
            s.execute("CREATE INDEX hazard_department_seq ON hazard_department (seq)");
            s.execute("CREATE INDEX hazard_department_due ON hazard_department (department, due_ms)");
            for (int depth = 1; depth <= 3; depth++) {
                s.execute("CREATE INDEX hazard_anc" + depth + "_due ON hazard (anc" + depth + ", due_ms)");
            }
        }
        HazardTally.rebuild(context.getConnection());
    }
}
