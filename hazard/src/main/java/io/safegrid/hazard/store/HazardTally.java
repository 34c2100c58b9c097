package io.safegrid.hazard.store;

import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.HazardGrade;
import io.safegrid.model.hazard.HazardState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How many hazards each scope holds per grade and state ({@code hazard_tally}), kept in the same
 * transaction as the hazard rows: a list's total and a dossier's counts add up a few tally rows
 * instead of counting a township's or a department's tens of thousands of hazards on every request.
 * Scopes: {@code *} (the whole register), {@code g} + a grid ancestor at depth 1–3, {@code d} + an
 * industry department.
 */
public final class HazardTally {
    /** The whole register. */
    public static final String ALL = "*";
    /** A grid node at depth 1–3 (county, township, village): hazards at or below it. */
    public static final String GRID = "g";
    /** An industry department: hazards of the enterprises it supervises. */
    public static final String DEPARTMENT = "d";

    private HazardTally() {
    }

    /** Moves one hazard into ({@code delta} +1) or out of (-1) the tallies of its scopes. */
    static void add(Connection c, GridPath site, List<String> departments, String grade, String state, int delta)
            throws SQLException {
        List<String[]> scopes = new ArrayList<>();
        scopes.add(new String[] {ALL, ALL});
        for (int depth = 1; depth <= 3; depth++) {
            String a = HazardRows.ancestor(site, depth);
            if (a != null) {
                scopes.add(new String[] {GRID, a});
            }
        }
        departments.stream().distinct().forEach(d -> scopes.add(new String[] {DEPARTMENT, d}));
        // writes are serialised by the register's lock, so update-then-insert cannot race
        try (PreparedStatement up = c.prepareStatement(
                "UPDATE hazard_tally SET n = n + ? WHERE kind=? AND scope=? AND grade=? AND state=?");
             PreparedStatement ins = c.prepareStatement(
                     "INSERT INTO hazard_tally (kind, scope, grade, state, n) VALUES (?,?,?,?,?)")) {
            for (String[] s : scopes) {
                up.setLong(1, delta);
                up.setString(2, s[0]);
                up.setString(3, s[1]);
                up.setString(4, grade);
                up.setString(5, state);
                if (up.executeUpdate() == 0) {
                    ins.setString(1, s[0]);
                    ins.setString(2, s[1]);
                    ins.setString(3, grade);
                    ins.setString(4, state);
                    ins.setLong(5, delta);
                    ins.executeUpdate();
                }
            }
        }
    }

    /** The hazards of one scope with any of {@code grades} and {@code states} (empty: any). */
    static long count(Connection c, String kind, String scope, Set<HazardGrade> grades, Set<HazardState> states)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT COALESCE(SUM(n), 0) FROM hazard_tally WHERE kind=? AND scope=?");
        List<String> args = new ArrayList<>(List.of(kind, scope));
        if (!grades.isEmpty()) {
            sql.append(" AND grade IN (").append(String.join(",", java.util.Collections.nCopies(grades.size(), "?"))).append(')');
            grades.stream().map(Enum::name).sorted().forEach(args::add);
        }
        if (!states.isEmpty()) {
            sql.append(" AND state IN (").append(String.join(",", java.util.Collections.nCopies(states.size(), "?"))).append(')');
            states.stream().map(Enum::name).sorted().forEach(args::add);
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Recounts every tally from the hazard rows (the schema migration that introduces the table, and
     * stores loaded in bulk); portable SQL, the same on H2 and PostgreSQL.
     */
    public static void rebuild(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM hazard_tally");
            s.executeUpdate("INSERT INTO hazard_tally (kind, scope, grade, state, n) "
                    + "SELECT '" + ALL + "', '" + ALL + "', grade, state, COUNT(*) FROM hazard GROUP BY grade, state");
            for (int depth = 1; depth <= 3; depth++) {
                s.executeUpdate("INSERT INTO hazard_tally (kind, scope, grade, state, n) SELECT '" + GRID + "', anc" + depth
                        + ", grade, state, COUNT(*) FROM hazard WHERE anc" + depth + " IS NOT NULL GROUP BY anc" + depth
                        + ", grade, state");
            }
            s.executeUpdate("INSERT INTO hazard_tally (kind, scope, grade, state, n) SELECT '" + DEPARTMENT
                    + "', d.department, h.grade, h.state, COUNT(*) FROM hazard_department d JOIN hazard h ON h.seq = d.seq "
                    + "GROUP BY d.department, h.grade, h.state");
            s.executeUpdate("UPDATE hazard_department SET due_ms = (SELECT h.due_ms FROM hazard h WHERE h.seq = hazard_department.seq)");
        }
    }
}
