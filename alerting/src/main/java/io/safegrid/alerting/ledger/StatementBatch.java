package io.safegrid.alerting.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes of one PostgreSQL transaction held back to go to the server together: one statement text
 * of their SQL joined by semicolons, which the driver sends with a single Sync, so the alarm row,
 * its timeline line, its timer and its outbox rows cost one round trip instead of one each. Sent
 * with autocommit on, the server runs them as one implicit transaction that commits at the Sync:
 * all of them or none, with one WAL flush. The same sequence of statements makes the same text, so
 * the driver's cache keeps it prepared on the server.
 */
final class StatementBatch {
    /** Bound on one statement's parameters (the protocol allows 65,535): a larger batch goes ahead of the rest. */
    static final int MAX_PARAMETERS = 4000;
    /** A null of a non-text column: the server must be told its type. */
    record Null(int sqlType) {
    }

    static final Null NULL_BIGINT = new Null(Types.BIGINT);

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> values = new ArrayList<>();
    private int statements;

    void add(String statement, Object... params) {
        sql.append(statements == 0 ? "" : ";\n").append(statement);
        values.addAll(java.util.Arrays.asList(params));
        statements++;
    }

    boolean isEmpty() {
        return statements == 0;
    }

    int parameters() {
        return values.size();
    }

    int statements() {
        return statements;
    }

    void clear() {
        sql.setLength(0);
        values.clear();
        statements = 0;
    }

    /** Sends what is queued in one round trip on {@code c}, in its transaction (or its own, with autocommit on); then empty. */
    void run(Connection c) throws SQLException {
        if (statements == 0) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                Object v = values.get(i);
                if (v == null) {
                    p.setNull(i + 1, Types.VARCHAR);
                } else if (v instanceof Null n) {
                    p.setNull(i + 1, n.sqlType());
                } else {
                    p.setObject(i + 1, v);
                }
            }
            p.execute();
        } finally {
            clear();
        }
    }
}
