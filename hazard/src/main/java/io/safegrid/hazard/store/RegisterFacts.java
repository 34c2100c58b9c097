package io.safegrid.hazard.store;

import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.HazardFacts;
import io.safegrid.model.hazard.HazardGrade;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The register read in bulk for the assessment and the reports: one row per hazard that was open
 * at some time in the period, with when it was accepted (its audit trail's acceptance) and its
 * deadlines. Read-only, plain SQL on the register's tables.
 */
public final class RegisterFacts implements HazardFacts {
    private static final String FACTS = "SELECT h.id, h.site, h.departments, h.grade, h.reported_ms, h.deadline_ms,"
            + " h.listed_deadline_ms, (SELECT MAX(e.at_ms) FROM hazard_event e WHERE e.hazard_id = h.id"
            + " AND e.to_state = 'ACCEPTED') FROM hazard h WHERE h.reported_ms < ? AND (h.state <> 'ACCEPTED' OR h.updated_ms >= ?)";

    private final HazardDatabase db;

    public RegisterFacts(HazardDatabase db) {
        this.db = db;
    }

    @Override
    public void scan(GridPath subtree, Instant from, Instant to, Consumer<Fact> sink) {
        long fromMs = from.toEpochMilli();
        db.read("hazard facts", c -> {
            String where = "";
            if (subtree != null && subtree.depth() <= 3) {
                where = " AND h.anc" + subtree.depth() + " = ?";   // indexed, as the list's subtree query
            } else if (subtree != null) {
                where = " AND (h.site = ? OR h.site LIKE ?)";
            }
            try (PreparedStatement p = c.prepareStatement(FACTS + where)) {
                p.setLong(1, to.toEpochMilli());
                p.setLong(2, fromMs);
                if (subtree != null) {
                    p.setString(3, subtree.toString());
                    if (subtree.depth() > 3) {
                        p.setString(4, HazardRows.like(subtree.toString()) + "/%");
                    }
                }
                p.setFetchSize(2000);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        long closed = r.getLong(8);
                        Instant closedAt = r.wasNull() ? null : Instant.ofEpochMilli(closed);
                        if (closedAt != null && closed < fromMs) {
                            continue; // accepted before the period, touched (a photo) since
                        }
                        sink.accept(new Fact(r.getString(1), GridPath.parse(r.getString(2)),
                                HazardRows.departments(r.getString(3)), HazardGrade.valueOf(r.getString(4)),
                                Instant.ofEpochMilli(r.getLong(5)), closedAt, instant(r, 6), instant(r, 7)));
                    }
                }
            }
            return null;
        });
    }

    private static Instant instant(ResultSet r, int col) throws java.sql.SQLException {
        long v = r.getLong(col);
        return r.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
