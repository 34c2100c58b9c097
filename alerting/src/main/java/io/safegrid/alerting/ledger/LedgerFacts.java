package io.safegrid.alerting.ledger;

import io.safegrid.model.Level;
import io.safegrid.model.alarm.AlarmFacts;
import io.safegrid.model.grid.GridPath;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The alarm ledger read in bulk for the assessment and the reports: plain SQL on the ledger's
 * {@code alarm} and {@code alarm_event} tables (the same on H2 and PostgreSQL), on a connection of
 * its own, read-only, so a month's scan never holds the ledger's writing connection. The first
 * acknowledgement and the climb to the county are columns of the alarm row the ledger keeps as those
 * events are written (V4), so a period is one read of {@code alarm}.
 */
public final class LedgerFacts implements AlarmFacts {
    private static final String FACTS = "SELECT a.id, a.site, a.source_id, a.kind, a.peak_level, a.raised_at,"
            + " a.first_ack_at, a.reached_county"
            + " FROM alarm a WHERE a.raised_at >= ? AND a.raised_at < ? AND a.site IS NOT NULL";
    private static final String COUNT = "SELECT COUNT(*) FROM alarm a WHERE a.raised_at >= ? AND a.raised_at < ?"
            + " AND a.site IS NOT NULL";
    private static final String WITHIN = " AND (a.site = ? OR a.site LIKE ? ESCAPE '!')";

    private final String url;
    private final String user;
    private final String password;

    public LedgerFacts(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The node's embedded ledger under {@code dataDir}. */
    public static LedgerFacts embedded(Path dataDir) {
        return new LedgerFacts(AlarmStore.url(dataDir), "sa", "");
    }

    /** The ledger's JDBC URL (a benchmark writes its alarms there). */
    public String url() { return url; }

    @Override
    public void scan(GridPath subtree, Instant from, Instant to, Consumer<Fact> sink) {
        try (Connection c = connect(); PreparedStatement p = prepare(c, FACTS, subtree, from, to)) {
            p.setFetchSize(2000);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    long ack = r.getLong(7);
                    Instant acked = r.wasNull() ? null : Instant.ofEpochMilli(ack);
                    sink.accept(new Fact(r.getString(1), GridPath.parse(r.getString(2)), r.getString(3), r.getString(4),
                            Level.valueOf(r.getString(5)), Instant.ofEpochMilli(r.getLong(6)), acked, r.getBoolean(8)));
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("alarm ledger: " + e.getMessage(), e);
        }
    }

    @Override
    public long count(GridPath subtree, Instant from, Instant to) {
        try (Connection c = connect(); PreparedStatement p = prepare(c, COUNT, subtree, from, to);
             ResultSet r = p.executeQuery()) {
            r.next();
            long n = r.getLong(1);
            c.commit();
            return n;
        } catch (SQLException e) {
            throw new IllegalStateException("alarm ledger: " + e.getMessage(), e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, GridPath subtree, Instant from, Instant to)
            throws SQLException {
        boolean all = subtree == null || subtree.isRoot();
        PreparedStatement p = c.prepareStatement(all ? sql : sql + WITHIN);
        p.setLong(1, from.toEpochMilli());
        p.setLong(2, to.toEpochMilli());
        if (!all) {
            String s = subtree.toString();
            p.setString(3, s);
            p.setString(4, s.replace("!", "!!").replace("_", "!_").replace("%", "!%") + "/%");
        }
        return p;
    }

    /** A connection of its own; auto-commit off so PostgreSQL streams the rows by the fetch size. */
    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url, user, password);
        c.setReadOnly(true);
        c.setAutoCommit(false);
        return c;
    }
}
