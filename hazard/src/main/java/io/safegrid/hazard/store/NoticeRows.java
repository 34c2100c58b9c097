package io.safegrid.hazard.store;

import io.safegrid.hazard.store.HazardRows.Notice;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.notice.NoticeRoute;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code hazard_notice_route} table: each notice's people and channels, sent and retried one by one. */
public final class NoticeRows {
    private NoticeRows() {
    }

    /** A route waiting to be sent, with its notice. */
    public record Due(Notice notice, NoticeRoute route, int attempts) {
    }

    /** Notices whose routes are not resolved yet, oldest first. */
    public static List<Notice> unrouted(Connection c, int max) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT hazard_id, step, node, people, subject_zh, subject_en, "
                + "text_zh, text_en, created_ms FROM hazard_notice WHERE routed_ms IS NULL AND sent_ms IS NULL "
                + "ORDER BY created_ms LIMIT ?")) {
            ps.setInt(1, max);
            List<Notice> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(notice(rs, 1));
                }
            }
            return out;
        }
    }

    /** Stores the routes of a notice (each once) and marks it routed; one with none is done at once. */
    public static void route(Connection c, Notice n, List<NoticeRoute> routes, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO hazard_notice_route (hazard_id, step, recipient, "
                + "channel_id, address, status, attempts, next_ms) VALUES (?,?,?,?,?,'QUEUED',0,?)")) {
            for (NoticeRoute r : routes.stream().distinct().toList()) {
                ps.setString(1, n.hazardId());
                ps.setString(2, n.step());
                ps.setString(3, r.recipient());
                ps.setString(4, r.channelId());
                ps.setString(5, r.address());
                ps.setLong(6, now.toEpochMilli());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE hazard_notice SET routed_ms = ?, sent_ms = ?, last_error = ? "
                + "WHERE hazard_id = ? AND step = ?")) {
            ps.setLong(1, now.toEpochMilli());
            HazardRows.setLong(ps, 2, routes.isEmpty() ? now.toEpochMilli() : null);
            ps.setString(3, routes.isEmpty() ? "nobody on a roster there and nobody named" : null);
            ps.setString(4, n.hazardId());
            ps.setString(5, n.step());
            ps.executeUpdate();
        }
    }

    /** Routes whose time has come, oldest due first. */
    public static List<Due> due(Connection c, Instant now, int max) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT n.hazard_id, n.step, n.node, n.people, n.subject_zh, "
                + "n.subject_en, n.text_zh, n.text_en, n.created_ms, r.recipient, r.channel_id, r.address, r.attempts "
                + "FROM hazard_notice_route r JOIN hazard_notice n ON n.hazard_id = r.hazard_id AND n.step = r.step "
                + "WHERE r.status = 'QUEUED' AND r.next_ms <= ? ORDER BY r.next_ms, r.hazard_id, r.step, r.recipient, r.channel_id LIMIT ?")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setInt(2, max);
            List<Due> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Due(notice(rs, 1), new NoticeRoute(rs.getString(10), rs.getString(11), rs.getString(12)),
                            rs.getInt(13)));
                }
            }
            return out;
        }
    }

    /**
     * One attempt's outcome: {@code status} SENT, FAILED, or QUEUED again at {@code next}. When no route
     * of the notice waits any more, the notice is done: true then.
     */
    public static boolean attempted(Connection c, Due d, String status, Instant now, Instant next, String error)
            throws SQLException {
        Notice n = d.notice();
        try (PreparedStatement ps = c.prepareStatement("UPDATE hazard_notice_route SET status = ?, attempts = attempts + 1, "
                + "next_ms = ?, sent_ms = ?, last_error = ? WHERE hazard_id = ? AND step = ? AND recipient = ? AND channel_id = ?")) {
            ps.setString(1, status);
            ps.setLong(2, (next == null ? now : next).toEpochMilli());
            HazardRows.setLong(ps, 3, "SENT".equals(status) ? now.toEpochMilli() : null);
            ps.setString(4, cut(error));
            ps.setString(5, n.hazardId());
            ps.setString(6, n.step());
            ps.setString(7, d.route().recipient());
            ps.setString(8, d.route().channelId());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM hazard_notice_route WHERE hazard_id = ? "
                + "AND step = ? AND status = 'QUEUED'")) {
            ps.setString(1, n.hazardId());
            ps.setString(2, n.step());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE hazard_notice SET sent_ms = ?, attempts = attempts + 1, "
                + "last_error = (SELECT MAX(last_error) FROM hazard_notice_route WHERE hazard_id = ? AND step = ? "
                + "AND status = 'FAILED') WHERE hazard_id = ? AND step = ?")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setString(2, n.hazardId());
            ps.setString(3, n.step());
            ps.setString(4, n.hazardId());
            ps.setString(5, n.step());
            ps.executeUpdate();
        }
        return true;
    }

    /** Per route of a notice: {@code recipient/channel → status} (for the timeline and tests). */
    public static List<String> routes(Connection c, String hazardId, String step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT recipient, channel_id, status FROM hazard_notice_route "
                + "WHERE hazard_id = ? AND step = ? ORDER BY recipient, channel_id")) {
            ps.setString(1, hazardId);
            ps.setString(2, step);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + "/" + rs.getString(2) + " " + rs.getString(3));
                }
            }
            return out;
        }
    }

    private static Notice notice(ResultSet rs, int i) throws SQLException {
        String node = rs.getString(i + 2);
        String people = rs.getString(i + 3);
        return new Notice(rs.getString(i), rs.getString(i + 1), node == null ? null : GridPath.parse(node),
                people == null || people.isEmpty() ? List.of() : List.of(people.split(",")), rs.getString(i + 4),
                rs.getString(i + 5), rs.getString(i + 6), rs.getString(i + 7), Instant.ofEpochMilli(rs.getLong(i + 8)));
    }

    private static String cut(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 999) + "…";
    }
}
