package io.safegrid.console.http;

/**
 * Tells a failure of the alarm store (a JDBC error somewhere in the cause chain) from a refusal
 * the desk meant (a closed alarm, a wrong state). A store failure's message names SQL statements,
 * tables and the database version: it goes to the log, never into a response.
 */
public final class StoreFailure {
    private StoreFailure() {
    }

    public static boolean in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.sql.SQLException) {
                return true;
            }
        }
        return false;
    }
}
