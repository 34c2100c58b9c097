package io.safegrid.supervision.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.redline.EntryEvent;
import io.safegrid.model.redline.EntryState;
import io.safegrid.model.redline.RedLineEntry;
import io.safegrid.model.redline.RedLineRule;
import io.safegrid.model.redline.Severity;
import io.safegrid.model.redline.Violation;
import io.safegrid.model.redline.ViolationSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of the red-line register; every call runs in the caller's transaction. */
public final class RedLineRows {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final String ENTRY = "SELECT id, site, listing_level, rule_id, reason, violation_ids, state, listed_by, "
            + "listed_ms, updated_ms, hand_off_to, hand_off_ref FROM rl_entry ";

    private RedLineRows() {
    }

    public static void insertViolation(Connection c, Violation v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rl_violation (id, site, worker, source, source_ref, "
                + "severity, description, at_ms, recorded_by, recorded_ms) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, v.id());
            ps.setString(2, v.site().toString());
            ps.setString(3, v.worker());
            ps.setString(4, v.source().name());
            ps.setString(5, v.sourceRef());
            ps.setString(6, v.severity().name());
            ps.setString(7, v.description());
            ps.setLong(8, v.at().toEpochMilli());
            ps.setString(9, v.recordedBy());
            ps.setLong(10, v.recordedAt().toEpochMilli());
            ps.executeUpdate();
        }
    }

    /** Whether a violation already came from this source (an alarm's id): a redelivered alarm records none again. */
    public static boolean hasSource(Connection c, ViolationSource source, String sourceRef) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM rl_violation WHERE source = ? AND source_ref = ?")) {
            ps.setString(1, source.name());
            ps.setString(2, sourceRef);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Violations in {@code subtree} at or after {@code sinceMs}, newest first. */
    public static List<Violation> violations(Connection c, GridPath subtree, long sinceMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, site, worker, source, source_ref, severity, description, "
                + "at_ms, recorded_by, recorded_ms FROM rl_violation WHERE " + InspectionRows.within("site")
                + " AND at_ms >= ? ORDER BY at_ms DESC, id")) {
            int i = InspectionRows.bindWithin(ps, 1, subtree);
            ps.setLong(i, sinceMs);
            try (ResultSet rs = ps.executeQuery()) {
                List<Violation> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Violation(rs.getString(1), GridPath.parse(rs.getString(2)), rs.getString(3),
                            ViolationSource.valueOf(rs.getString(4)), rs.getString(5), Severity.valueOf(rs.getString(6)),
                            rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)), rs.getString(9),
                            Instant.ofEpochMilli(rs.getLong(10))));
                }
                return out;
            }
        }
    }

    public static List<RedLineRule> rules(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, severity, source, min_count, window_days, active "
                + "FROM rl_rule ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            List<RedLineRule> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new RedLineRule(rs.getString(1), rs.getString(2), Severity.valueOf(rs.getString(3)),
                        rs.getString(4) == null ? null : ViolationSource.valueOf(rs.getString(4)), rs.getInt(5), rs.getInt(6),
                        rs.getBoolean(7)));
            }
            return out;
        }
    }

    public static void saveRule(Connection c, RedLineRule r) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM rl_rule WHERE id = ?")) {
            del.setString(1, r.id());
            del.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rl_rule (id, name, severity, source, min_count, "
                + "window_days, active) VALUES (?,?,?,?,?,?,?)")) {
            ps.setString(1, r.id());
            ps.setString(2, r.name());
            ps.setString(3, r.severity().name());
            ps.setString(4, r.source() == null ? null : r.source().name());
            ps.setInt(5, r.count());
            ps.setInt(6, r.windowDays());
            ps.setBoolean(7, r.active());
            ps.executeUpdate();
        }
    }

    public static void insertEntry(Connection c, RedLineEntry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rl_entry (id, site, listing_level, rule_id, reason, "
                + "violation_ids, state, listed_by, listed_ms, updated_ms) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, e.id());
            ps.setString(2, e.site().toString());
            ps.setString(3, e.level().toString());
            ps.setString(4, e.ruleId());
            ps.setString(5, e.reason());
            ps.setString(6, Json.write(e.violationIds()));
            ps.setString(7, e.state().name());
            ps.setString(8, e.listedBy());
            ps.setLong(9, e.listedAt().toEpochMilli());
            ps.setLong(10, e.updatedAt().toEpochMilli());
            ps.executeUpdate();
        }
    }

    public static void updateEntry(Connection c, String id, EntryState state, Instant at, String handOffTo, String handOffRef)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE rl_entry SET state = ?, updated_ms = ?, "
                + "hand_off_to = COALESCE(?, hand_off_to), hand_off_ref = COALESCE(?, hand_off_ref) WHERE id = ?")) {
            ps.setString(1, state.name());
            ps.setLong(2, at.toEpochMilli());
            ps.setString(3, handOffTo);
            ps.setString(4, handOffRef);
            ps.setString(5, id);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("listing " + id + " vanished during its update");
            }
        }
    }

    public static Optional<RedLineEntry> entry(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ENTRY + "WHERE id = ?")) {
            ps.setString(1, id);
            return entries(ps).stream().findFirst();
        }
    }

    public static List<RedLineEntry> entries(Connection c, GridPath subtree) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ENTRY + "WHERE " + InspectionRows.within("site")
                + " ORDER BY listed_ms DESC, id")) {
            InspectionRows.bindWithin(ps, 1, subtree);
            return entries(ps);
        }
    }

    private static List<RedLineEntry> entries(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<RedLineEntry> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new RedLineEntry(rs.getString(1), GridPath.parse(rs.getString(2)), GridPath.parse(rs.getString(3)),
                        rs.getString(4), rs.getString(5), Json.read(rs.getString(6), STRINGS), EntryState.valueOf(rs.getString(7)),
                        rs.getString(8), Instant.ofEpochMilli(rs.getLong(9)), Instant.ofEpochMilli(rs.getLong(10)),
                        rs.getString(11), rs.getString(12)));
            }
            return out;
        }
    }

    public static void event(Connection c, EntryEvent e) throws SQLException {
        int seq = InspectionRows.next(c, "SELECT COALESCE(MAX(seq), 0) FROM rl_event WHERE entry_id = ?", e.entryId());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rl_event (entry_id, seq, type, from_state, to_state, "
                + "user_name, at_ms, note) VALUES (?,?,?,?,?,?,?,?)")) {
            ps.setString(1, e.entryId());
            ps.setInt(2, seq);
            ps.setString(3, e.type());
            ps.setString(4, e.from() == null ? null : e.from().name());
            ps.setString(5, e.to().name());
            ps.setString(6, e.user());
            ps.setLong(7, e.at().toEpochMilli());
            ps.setString(8, e.note());
            ps.executeUpdate();
        }
    }

    public static List<EntryEvent> history(Connection c, String entryId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT type, from_state, to_state, user_name, at_ms, note "
                + "FROM rl_event WHERE entry_id = ? ORDER BY seq")) {
            ps.setString(1, entryId);
            try (ResultSet rs = ps.executeQuery()) {
                List<EntryEvent> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new EntryEvent(entryId, rs.getString(1), rs.getString(2) == null ? null
                            : EntryState.valueOf(rs.getString(2)), EntryState.valueOf(rs.getString(3)), rs.getString(4),
                            Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6)));
                }
                return out;
            }
        }
    }
}
