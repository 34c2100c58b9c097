package io.safegrid.alerting.ledger;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells a failure of the storage under H2 (a write that failed, a database H2 closed after it, a
 * broken file) from a failure of one statement: only the first makes the file store unusable.
 */
final class StoreFailure {
    /** H2: general error (MVStore write failed), IO exception, file corrupted, database closed, file locked. */
    private static final Set<Integer> STORAGE_CODES = Set.of(50000, 90028, 90030, 90031, 90098, 90020, 90108);

    private StoreFailure() {
    }

    static boolean isStorage(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                if (STORAGE_CODES.contains(s.getErrorCode()) || s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                    return true;
                }
            }
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }
}
