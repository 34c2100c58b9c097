package io.safegrid.alerting.ledger;

import java.sql.SQLException;
import java.util.Set;

/**
 * Tells a failure of the storage from a failure of one statement: only the first makes the store
 * unusable. H2: a write that failed, a database H2 closed after it, a broken file. PostgreSQL (by
 * SQLSTATE): the connection lost (08), the server out of disk, memory or connections (53), or
 * shutting down (57P).
 */
final class StoreFailure {
    /** H2: general error (MVStore write failed), IO exception, file corrupted, database closed, file locked. */
    private static final Set<Integer> STORAGE_CODES = Set.of(50000, 90028, 90030, 90031, 90098, 90020, 90108);

    private StoreFailure() {
    }

    static boolean isStorage(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (STORAGE_CODES.contains(s.getErrorCode()) || state != null
                        && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P"))) {
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
