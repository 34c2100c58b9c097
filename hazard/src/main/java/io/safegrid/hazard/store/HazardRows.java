package io.safegrid.hazard.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.FiveMeasures;
import io.safegrid.model.hazard.Hazard;
import io.safegrid.model.hazard.HazardEvent;
import io.safegrid.model.hazard.HazardGrade;
import io.safegrid.model.hazard.HazardQuery;
import io.safegrid.model.hazard.HazardSource;
import io.safegrid.model.hazard.HazardState;
import io.safegrid.model.hazard.PhotoRef;
import io.safegrid.model.hazard.Supervision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL of the register: rows in and out, nothing about rules. Every call runs in the caller's transaction. */
public final class HazardRows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, seq, site, departments, place, source, source_ref, grade, category, "
            + "description, state, responsible, measures, funds_yuan, deadline_ms, emergency_plan, order_no, "
            + "listed_level, listed_by, listed_ms, listed_deadline_ms, reported_by, reported_ms, updated_ms";
    private static final String H_COLUMNS = "h." + COLUMNS.replace(", ", ", h.");

    private HazardRows() {
    }

    /** Scheduling columns kept beside a hazard: the deadline that runs, and the scanner's next look. */
    public record Schedule(Long dueMs, Long nextNoticeMs, int noticeStep) {
    }

    public static long maxSeq(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM hazard");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static void insert(Connection c, Hazard h, long seq, Schedule s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO hazard (" + COLUMNS
                + ", anc1, anc2, anc3, due_ms, next_notice_ms, notice_step) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, h.id());
            ps.setLong(2, seq);
            int i = bind(ps, 3, h);
            for (int depth = 1; depth <= 3; depth++) {
                ps.setString(i++, ancestor(h.site(), depth));
            }
            setLong(ps, i++, s.dueMs());
            setLong(ps, i++, s.nextNoticeMs());
            ps.setInt(i, s.noticeStep());
            ps.executeUpdate();
        }
        // a hazard's departments are those of its enterprise when reported; they do not change after
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO hazard_department (department, seq, due_ms) VALUES (?, ?, ?)")) {
            for (GridPath d : h.departments().stream().distinct().toList()) {
                ps.setString(1, d.toString());
                ps.setLong(2, seq);
                setLong(ps, 3, s.dueMs());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        HazardTally.add(c, h.site(), h.departments().stream().map(GridPath::toString).toList(), h.grade().name(),
                h.state().name(), 1);
    }

    public static void update(Connection c, Hazard h, Schedule s) throws SQLException {
        long seq;
        String oldSite;
        String oldDepartments;
        String oldGrade;
        String oldState;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, site, departments, grade, state FROM hazard WHERE id=?")) {
            ps.setString(1, h.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("hazard " + h.id() + " vanished during its update");
                }
                seq = rs.getLong(1);
                oldSite = rs.getString(2);
                oldDepartments = rs.getString(3);
                oldGrade = rs.getString(4);
                oldState = rs.getString(5);
            }
        }
        if (!oldSite.equals(h.site().toString()) || !oldGrade.equals(h.grade().name()) || !oldState.equals(h.state().name())) {
            // the department rows were written at report and stay; so do their tallies' scopes
            List<String> depts = departments(oldDepartments).stream().map(GridPath::toString).toList();
            HazardTally.add(c, GridPath.parse(oldSite), depts, oldGrade, oldState, -1);
            HazardTally.add(c, h.site(), depts, h.grade().name(), h.state().name(), 1);
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE hazard_department SET due_ms=? WHERE seq=?")) {
            setLong(ps, 1, s.dueMs());
            ps.setLong(2, seq);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE hazard SET site=?, departments=?, place=?, source=?, "
                + "source_ref=?, grade=?, category=?, description=?, state=?, responsible=?, measures=?, funds_yuan=?, "
                + "deadline_ms=?, emergency_plan=?, order_no=?, listed_level=?, listed_by=?, listed_ms=?, "
                + "listed_deadline_ms=?, reported_by=?, reported_ms=?, updated_ms=?, due_ms=?, next_notice_ms=?, "
                + "notice_step=? WHERE id=?")) {
            int i = bind(ps, 1, h);
            setLong(ps, i++, s.dueMs());
            setLong(ps, i++, s.nextNoticeMs());
            ps.setInt(i++, s.noticeStep());
            ps.setString(i, h.id());
            if (ps.executeUpdate() != 1) {
                throw new SQLException("hazard " + h.id() + " vanished during its update");
            }
        }
    }

    public static void schedule(Connection c, String id, Long nextNoticeMs, int noticeStep) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE hazard SET next_notice_ms=?, notice_step=? WHERE id=?")) {
            setLong(ps, 1, nextNoticeMs);
            ps.setInt(2, noticeStep);
            ps.setString(3, id);
            ps.executeUpdate();
        }
    }

    private static int bind(PreparedStatement ps, int i, Hazard h) throws SQLException {
        ps.setString(i++, h.site().toString());
        ps.setString(i++, departments(h.departments()));
        ps.setString(i++, h.place());
        ps.setString(i++, h.source().name());
        ps.setString(i++, h.sourceRef());
        ps.setString(i++, h.grade().name());
        ps.setString(i++, h.category());
        ps.setString(i++, h.description());
        ps.setString(i++, h.state().name());
        FiveMeasures f = h.five();
        ps.setString(i++, f.responsible());
        ps.setString(i++, f.measures());
        setLong(ps, i++, f.fundsYuan());
        setLong(ps, i++, ms(f.deadline()));
        ps.setString(i++, f.emergencyPlan());
        Supervision s = h.supervision();
        ps.setString(i++, s == null ? null : s.orderNo());
        ps.setString(i++, s == null ? null : s.level().toString());
        ps.setString(i++, s == null ? null : s.listedBy());
        setLong(ps, i++, s == null ? null : ms(s.listedAt()));
        setLong(ps, i++, s == null ? null : ms(s.deadline()));
        ps.setString(i++, h.reportedBy());
        ps.setLong(i++, h.reportedAt().toEpochMilli());
        ps.setLong(i++, h.updatedAt().toEpochMilli());
        return i;
    }

    public static Optional<Hazard> get(Connection c, String id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM hazard WHERE id=?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(read(rs, photos(c, id)));
            }
        }
    }

    public static Schedule schedule(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT due_ms, next_notice_ms, notice_step FROM hazard WHERE id=?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Schedule(getLong(rs, 1), getLong(rs, 2), rs.getInt(3));
            }
        }
    }

    /**
     * Where a query's hazards come from: {@code from} (the hazards as {@code h}), the scope's condition,
     * the order that walks the scope's index newest first (so a page stops early), and the tally that
     * counts it (null: counted by SQL).
     */
    private record Scope(String from, String condition, List<Object> args, String order, String tallyKind,
                         String tallyScope) {
    }

    private static Scope scope(HazardQuery q) {
        GridPath t = q.subtree();
        GridPath d = q.department();
        if (t == null && d == null) {
            // one grade: its (grade, seq) index gives the order (the constant grade named so H2 sees it)
            return new Scope("hazard h", null, List.of(), q.grades().size() == 1 ? "h.grade DESC, h.seq DESC" : "h.seq DESC",
                    HazardTally.ALL, HazardTally.ALL);
        }
        if (t == null) {
            // the department's (department, seq) key walked backwards; naming the constant department in the
            // order lets H2 see that its index gives the order too
            return new Scope("hazard_department d JOIN hazard h ON h.seq = d.seq", "d.department = ?", List.of(d.toString()),
                    "d.department DESC, d.seq DESC", HazardTally.DEPARTMENT, d.toString());
        }
        int depth = t.depth();
        if (d == null && depth <= 3) {
            // the site's ancestor at that depth: one indexed equality
            String col = "h.anc" + depth;
            return new Scope("hazard h", col + " = ?", List.of(t.toString()), col + " DESC, h.seq DESC", HazardTally.GRID,
                    t.toString());
        }
        List<Object> args = new ArrayList<>();
        List<String> or = new ArrayList<>();
        if (depth <= 3) {
            or.add("h.anc" + depth + " = ?");
            args.add(t.toString());
        } else {
            // below a village (an enterprise, its workshops): its village's index narrows it first
            or.add("h.anc3 = ? AND (h.site = ? OR h.site LIKE ?)");
            args.add(ancestor(t, 3));
            args.add(t.toString());
            args.add(like(t.toString()) + "/%");
        }
        if (d != null) {
            or.add("h.seq IN (SELECT seq FROM hazard_department WHERE department = ?)");
            args.add(d.toString());
        }
        return new Scope("hazard h", "(" + String.join(" OR ", or) + ")", args, "h.seq DESC", null, null);
    }

    /** One page (items without photos) and the number that match. */
    public static List<Hazard> list(Connection c, HazardQuery q, long nowMs) throws SQLException {
        Scope sc = scope(q);
        List<Object> args = new ArrayList<>();
        String where = where(sc, q, q.overdue(), nowMs, args);
        args.add(q.limit());
        args.add(q.offset());
        // overdue hazards are few beside a scope's all: the (scope, due) index finds them, then they are sorted
        String order = Boolean.TRUE.equals(q.overdue()) ? "h.seq DESC" : sc.order();
        List<Hazard> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + H_COLUMNS + " FROM " + sc.from() + where
                + " ORDER BY " + order + " LIMIT ? OFFSET ?")) {
            bindAll(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs, List.of()));
                }
            }
        }
        return out;
    }

    /**
     * How many match: from the tallies where the scope has one (less the overdue ones, counted over the
     * scope's due index, when only those not overdue are asked for), else by SQL.
     */
    public static long count(Connection c, HazardQuery q, long nowMs) throws SQLException {
        Scope sc = scope(q);
        if (sc.tallyKind() == null || q.listed() != null) {
            return sqlCount(c, sc, q, q.overdue(), nowMs);
        }
        if (Boolean.TRUE.equals(q.overdue())) {
            return sqlCount(c, sc, q, true, nowMs);
        }
        long all = HazardTally.count(c, sc.tallyKind(), sc.tallyScope(), q.grades(), q.states());
        return q.overdue() == null ? all : all - sqlCount(c, sc, q, true, nowMs);
    }

    private static long sqlCount(Connection c, Scope sc, HazardQuery q, Boolean overdue, long nowMs) throws SQLException {
        List<Object> args = new ArrayList<>();
        String where = where(sc, q, overdue, nowMs, args);
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + sc.from() + where)) {
            bindAll(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The path's first {@code depth} segments, or null when it is not that deep. */
    public static String ancestor(GridPath p, int depth) {
        return p.depth() < depth ? null : String.join("/", p.segments().subList(0, depth));
    }

    private static String where(Scope sc, HazardQuery q, Boolean overdue, long nowMs, List<Object> args) {
        List<String> and = new ArrayList<>();
        if (sc.condition() != null) {
            and.add(sc.condition());
            args.addAll(sc.args());
        }
        if (!q.grades().isEmpty()) {
            and.add("h.grade IN (" + marks(q.grades().size()) + ")");
            q.grades().stream().sorted().forEach(g -> args.add(g.name()));
        }
        if (!q.states().isEmpty()) {
            and.add("h.state IN (" + marks(q.states().size()) + ")");
            q.states().stream().sorted().forEach(s -> args.add(s.name()));
        }
        if (overdue != null) {
            // a department's rows carry the deadline, so its (department, due) index can find the overdue ones
            String due = sc.from().startsWith("hazard_department") ? "d.due_ms" : "h.due_ms";
            if (overdue) {
                // the lower bound starts H2's index range after the hazards without a running deadline
                // (nulls sort first there); without it the range walks all of them
                and.add(due + " > ? AND " + due + " < ?");
                args.add(Long.MIN_VALUE);
            } else {
                and.add("(" + due + " IS NULL OR " + due + " >= ?)");
            }
            args.add(nowMs);
        }
        if (Boolean.TRUE.equals(q.listed())) {
            and.add("h.listed_level IS NOT NULL");
        }
        return and.isEmpty() ? "" : " WHERE " + String.join(" AND ", and);
    }

    /** Listed hazards at or below {@code subtree}, overdue (earliest due) first. */
    public static List<Hazard> listed(Connection c, GridPath subtree) throws SQLException {
        List<Hazard> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM hazard WHERE listed_level IS NOT NULL"
                + " AND (site = ? OR site LIKE ?) ORDER BY listed_deadline_ms, seq LIMIT 2000")) {
            ps.setString(1, subtree.toString());
            ps.setString(2, like(subtree.toString()) + "/%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs, List.of()));
                }
            }
        }
        return out;
    }

    /** A hazard the deadline scanner looks at (without photos), with its scheduling columns. */
    public record Due(Hazard hazard, Schedule schedule) {
    }

    /** Up to {@code max} hazards whose next notice time has come, earliest first. */
    public static List<Due> due(Connection c, long nowMs, int max) throws SQLException {
        List<Due> out = new ArrayList<>();
        // the lower bound starts H2's index range after the hazards with nothing to notify (nulls sort first)
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", due_ms, next_notice_ms, notice_step FROM hazard "
                + "WHERE next_notice_ms > ? AND next_notice_ms <= ? ORDER BY next_notice_ms LIMIT ?")) {
            ps.setLong(1, Long.MIN_VALUE);
            ps.setLong(2, nowMs);
            ps.setInt(3, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Due(read(rs, List.of()), new Schedule(getLong(rs, "due_ms"), getLong(rs, "next_notice_ms"),
                            rs.getInt("notice_step"))));
                }
            }
        }
        return out;
    }

    /** The scanner's next look at each hazard ({@code id → schedule}, due column untouched), in one batch. */
    public static void schedules(Connection c, Map<String, Schedule> next) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE hazard SET next_notice_ms=?, notice_step=? WHERE id=?")) {
            for (Map.Entry<String, Schedule> e : next.entrySet()) {
                setLong(ps, 1, e.getValue().nextNoticeMs());
                ps.setInt(2, e.getValue().noticeStep());
                ps.setString(3, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Hazard read(ResultSet rs, List<PhotoRef> photos) throws SQLException {
        String orderNo = rs.getString("order_no");
        Supervision s = orderNo == null ? null : new Supervision(orderNo, GridPath.parse(rs.getString("listed_level")),
                rs.getString("listed_by"), instant(getLong(rs, "listed_ms")), instant(getLong(rs, "listed_deadline_ms")));
        FiveMeasures f = new FiveMeasures(rs.getString("responsible"), rs.getString("measures"), getLong(rs, "funds_yuan"),
                instant(getLong(rs, "deadline_ms")), rs.getString("emergency_plan"));
        return new Hazard(rs.getString("id"), GridPath.parse(rs.getString("site")), departments(rs.getString("departments")),
                rs.getString("place"), HazardSource.valueOf(rs.getString("source")), rs.getString("source_ref"),
                HazardGrade.valueOf(rs.getString("grade")), rs.getString("category"), rs.getString("description"),
                HazardState.valueOf(rs.getString("state")), f, s, rs.getString("reported_by"),
                Instant.ofEpochMilli(rs.getLong("reported_ms")), Instant.ofEpochMilli(rs.getLong("updated_ms")), photos);
    }

    // --- audit trail

    public static HazardEvent appendEvent(Connection c, String hazardId, HazardEvent.Type type, String user, Instant at,
                                          HazardState from, HazardState to, Map<String, String[]> changes, String note)
            throws SQLException {
        return appendEvents(c, List.of(new HazardEvent(0, hazardId, type, user, at, from, to, changes, note))).get(0);
    }

    /** Appends audit lines to many hazards' trails in one batch; returns them with the {@code seq} each got. */
    public static List<HazardEvent> appendEvents(Connection c, List<HazardEvent> events) throws SQLException {
        Map<String, Long> last = new java.util.HashMap<>();
        List<HazardEvent> out = new ArrayList<>();
        List<String> ids = events.stream().map(HazardEvent::hazardId).distinct().toList();
        byIds(c, "SELECT hazard_id, MAX(seq) FROM hazard_event WHERE hazard_id IN (%s) GROUP BY hazard_id", ids,
                rs -> last.put(rs.getString(1), rs.getLong(2)));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO hazard_event (hazard_id, seq, type, user_name, at_ms, "
                + "from_state, to_state, changes, note) VALUES (?,?,?,?,?,?,?,?,?)")) {
            for (HazardEvent e : events) {
                long seq = last.merge(e.hazardId(), 1L, Long::sum);
                out.add(new HazardEvent(seq, e.hazardId(), e.type(), e.user(), e.at(), e.from(), e.to(), e.changes(), e.note()));
                ps.setString(1, e.hazardId());
                ps.setInt(2, (int) seq);
                ps.setString(3, e.type().name());
                ps.setString(4, e.user());
                ps.setLong(5, e.at().toEpochMilli());
                ps.setString(6, e.from() == null ? null : e.from().name());
                ps.setString(7, e.to() == null ? null : e.to().name());
                ps.setString(8, e.changes() == null || e.changes().isEmpty() ? null : JSON.writeValueAsString(e.changes()));
                ps.setString(9, e.note());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static List<HazardEvent> events(Connection c, String hazardId) throws SQLException {
        List<HazardEvent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, type, user_name, at_ms, from_state, to_state, changes, "
                + "note FROM hazard_event WHERE hazard_id=? ORDER BY seq")) {
            ps.setString(1, hazardId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String from = rs.getString(5);
                    String to = rs.getString(6);
                    String changes = rs.getString(7);
                    Map<String, String[]> m = new LinkedHashMap<>();
                    if (changes != null) {
                        try {
                            m = JSON.readValue(changes, new TypeReference<LinkedHashMap<String, String[]>>() { });
                        } catch (IOException e) {
                            throw new SQLException("unreadable changes of " + hazardId + "#" + rs.getInt(1), e);
                        }
                    }
                    out.add(new HazardEvent(rs.getInt(1), hazardId, HazardEvent.Type.valueOf(rs.getString(2)),
                            rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)), from == null ? null : HazardState.valueOf(from),
                            to == null ? null : HazardState.valueOf(to), m, rs.getString(8)));
                }
            }
        }
        return out;
    }

    // --- photos

    public static void insertPhoto(Connection c, String hazardId, PhotoRef p, byte[] data) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO hazard_photo (id, hazard_id, stage, content_type, bytes, "
                + "user_name, at_ms, data) VALUES (?,?,?,?,?,?,?,?)")) {
            ps.setString(1, p.id());
            ps.setString(2, hazardId);
            ps.setString(3, p.stage());
            ps.setString(4, p.contentType());
            ps.setInt(5, p.bytes());
            ps.setString(6, p.user());
            ps.setLong(7, p.at().toEpochMilli());
            ps.setBytes(8, data);
            ps.executeUpdate();
        }
    }

    public static List<PhotoRef> photos(Connection c, String hazardId) throws SQLException {
        List<PhotoRef> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, stage, content_type, bytes, user_name, at_ms "
                + "FROM hazard_photo WHERE hazard_id=? ORDER BY at_ms, id")) {
            ps.setString(1, hazardId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PhotoRef(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                            Instant.ofEpochMilli(rs.getLong(6))));
                }
            }
        }
        return out;
    }

    public static Optional<byte[]> photoData(Connection c, String hazardId, String photoId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT data FROM hazard_photo WHERE hazard_id=? AND id=?")) {
            ps.setString(1, hazardId);
            ps.setString(2, photoId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

    // --- notices

    /** A notice to send, remembered per hazard and step. */
    public record Notice(String hazardId, String step, GridPath node, List<String> people, String subjectZh,
                         String subjectEn, String textZh, String textEn, Instant created) {
        public Notice {
            people = List.copyOf(people);
        }
    }

    /** Inserts the notice unless this hazard already has one for this step; true when inserted. */
    public static boolean insertNotice(Connection c, Notice n) throws SQLException {
        return !insertNotices(c, List.of(n)).isEmpty();
    }

    /**
     * Inserts, in one batch, those of {@code notices} whose hazard (or archive entry) has no notice for
     * that step yet, and returns them: each reason is notified once.
     */
    public static List<Notice> insertNotices(Connection c, List<Notice> notices) throws SQLException {
        java.util.Set<String> had = new java.util.HashSet<>();
        List<String> ids = notices.stream().map(Notice::hazardId).distinct().toList();
        byIds(c, "SELECT hazard_id, step FROM hazard_notice WHERE hazard_id IN (%s)", ids,
                rs -> had.add(rs.getString(1) + '\n' + rs.getString(2)));
        List<Notice> fresh = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO hazard_notice (hazard_id, step, node, people, subject_zh, "
                + "subject_en, text_zh, text_en, created_ms) VALUES (?,?,?,?,?,?,?,?,?)")) {
            for (Notice n : notices) {
                if (!had.add(n.hazardId() + '\n' + n.step())) {
                    continue;
                }
                ps.setString(1, n.hazardId());
                ps.setString(2, n.step());
                ps.setString(3, n.node() == null ? null : n.node().toString());
                ps.setString(4, String.join(",", n.people()));
                ps.setString(5, n.subjectZh());
                ps.setString(6, n.subjectEn());
                ps.setString(7, n.textZh());
                ps.setString(8, n.textEn());
                ps.setLong(9, n.created().toEpochMilli());
                ps.addBatch();
                fresh.add(n);
            }
            if (!fresh.isEmpty()) {
                ps.executeBatch();
            }
        }
        return fresh;
    }

    @FunctionalInterface
    private interface RowSink {
        void take(ResultSet rs) throws SQLException;
    }

    /** Runs {@code sql} (its {@code IN (%s)} filled with marks) over the ids, 500 at a time, each row to {@code sink}. */
    private static void byIds(Connection c, String sql, List<String> ids, RowSink sink) throws SQLException {
        for (int i = 0; i < ids.size(); i += 500) {
            List<String> part = ids.subList(i, Math.min(ids.size(), i + 500));
            try (PreparedStatement ps = c.prepareStatement(String.format(java.util.Locale.ROOT, sql, marks(part.size())))) {
                bindAll(ps, new ArrayList<>(part));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.take(rs);
                    }
                }
            }
        }
    }

    /** The steps notified for a hazard, oldest first, with whether each went out: {@code step → sent}. */
    public static Map<String, Boolean> notices(Connection c, String hazardId) throws SQLException {
        Map<String, Boolean> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT step, sent_ms FROM hazard_notice WHERE hazard_id=? ORDER BY created_ms, step")) {
            ps.setString(1, hazardId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), getLong(rs, 2) != null);
                }
            }
        }
        return out;
    }

    public static long unsentCount(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM hazard_notice WHERE sent_ms IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // --- helpers

    static String departments(List<GridPath> ds) {
        StringBuilder b = new StringBuilder("|");
        for (GridPath d : ds) {
            b.append(d).append('|');
        }
        return b.toString();
    }

    static List<GridPath> departments(String s) {
        List<GridPath> out = new ArrayList<>();
        for (String p : s.split("\\|")) {
            if (!p.isEmpty()) {
                out.add(GridPath.parse(p));
            }
        }
        return out;
    }

    /** A grid path as a LIKE prefix: '_' is a wildcard there and grid ids may contain it. */
    static String like(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String marks(int n) {
        return String.join(",", java.util.Collections.nCopies(n, "?"));
    }

    private static void bindAll(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, (String) a);
            }
        }
    }

    private static Long ms(Instant t) { return t == null ? null : t.toEpochMilli(); }

    private static Instant instant(Long ms) { return ms == null ? null : Instant.ofEpochMilli(ms); }

    static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    private static Long getLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static Long getLong(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }
}
