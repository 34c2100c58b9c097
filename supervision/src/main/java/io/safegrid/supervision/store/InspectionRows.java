package io.safegrid.supervision.store;

import com.fasterxml.jackson.core.type.TypeReference;
import io.safegrid.model.RiskGrade;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.PhotoRef;
import io.safegrid.model.supervision.CheckItem;
import io.safegrid.model.supervision.ItemResult;
import io.safegrid.model.supervision.Outcome;
import io.safegrid.model.supervision.Plan;
import io.safegrid.model.supervision.Reinspection;
import io.safegrid.model.supervision.TargetRule;
import io.safegrid.model.supervision.Task;
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

/** The SQL of plans, tasks, items, photos and re-inspections; every call runs in the caller's transaction. */
public final class InspectionRows {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<List<Map<String, String>>> ITEMS = new TypeReference<>() { };
    private static final String TASK_COLUMNS = "t.id, t.plan_id, p.title, t.target, p.inspectors, t.due_ms, "
            + "p.unannounced, t.done_by, t.done_ms, t.location";

    private InspectionRows() {
    }

    /** A subtree as SQL: the node itself or anything below it. */
    static String within(String column) {
        return "(" + column + " = ? OR " + column + " LIKE ?)";
    }

    static int bindWithin(PreparedStatement ps, int i, GridPath subtree) throws SQLException {
        ps.setString(i, subtree.toString());
        ps.setString(i + 1, subtree.toString().replace("%", "\\%").replace("_", "\\_") + "/%");
        return i + 2;
    }

    // ------------------------------------------------------------------ plans

    public static void insertPlan(Connection c, Plan p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sv_plan (id, title, owner, rule_subtree, "
                + "rule_min_risk, inspectors, starts_ms, due_ms, template, items, unannounced, created_by, created_ms) "
                + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, p.id());
            ps.setString(2, p.title());
            ps.setString(3, p.owner().toString());
            ps.setString(4, p.rule() == null ? null : p.rule().subtree().toString());
            ps.setString(5, p.rule() == null || p.rule().minRisk() == null ? null : p.rule().minRisk().name());
            ps.setString(6, Json.write(p.inspectors()));
            setMillis(ps, 7, p.startsAt());
            ps.setLong(8, p.dueAt().toEpochMilli());
            ps.setString(9, p.template());
            ps.setString(10, Json.write(items(p.items())));
            ps.setBoolean(11, p.unannounced());
            ps.setString(12, p.createdBy());
            ps.setLong(13, p.createdAt().toEpochMilli());
            ps.executeUpdate();
        }
    }

    public static Optional<Plan> plan(Connection c, String id) throws SQLException {
        List<Plan> l = plans(c, "WHERE id = ?", ps -> ps.setString(1, id));
        return l.stream().findFirst();
    }

    /** Plans owned in {@code subtree}, or with a task there; newest first. */
    public static List<Plan> plans(Connection c, GridPath subtree) throws SQLException {
        return plans(c, "WHERE " + within("owner") + " OR id IN (SELECT plan_id FROM sv_task WHERE "
                + within("target") + ") ORDER BY created_ms DESC", ps -> bindWithin(ps, bindWithin(ps, 1, subtree), subtree));
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private static List<Plan> plans(Connection c, String where, Binder binder) throws SQLException {
        List<Plan> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, title, owner, rule_subtree, rule_min_risk, "
                + "inspectors, starts_ms, due_ms, template, items, unannounced, created_by, created_ms FROM sv_plan " + where)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TargetRule rule = rs.getString(4) == null ? null : new TargetRule(GridPath.parse(rs.getString(4)),
                            rs.getString(5) == null ? null : RiskGrade.valueOf(rs.getString(5)));
                    out.add(new Plan(rs.getString(1), rs.getString(2), GridPath.parse(rs.getString(3)), List.of(), rule,
                            Json.read(rs.getString(6), STRINGS), instant(rs, 7), Instant.ofEpochMilli(rs.getLong(8)),
                            rs.getString(9), checkItems(Json.read(rs.getString(10), ITEMS)), rs.getBoolean(11),
                            rs.getString(12), Instant.ofEpochMilli(rs.getLong(13))));
                }
            }
        }
        // a plan's targets are its tasks' (one per enterprise), in the order they were planned
        List<Plan> withTargets = new ArrayList<>(out.size());
        for (Plan p : out) {
            List<GridPath> targets = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT target FROM sv_task WHERE plan_id = ? ORDER BY seq")) {
                ps.setString(1, p.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        targets.add(GridPath.parse(rs.getString(1)));
                    }
                }
            }
            withTargets.add(new Plan(p.id(), p.title(), p.owner(), targets, p.rule(), p.inspectors(), p.startsAt(), p.dueAt(),
                    p.template(), p.items(), p.unannounced(), p.createdBy(), p.createdAt()));
        }
        return withTargets;
    }

    // ------------------------------------------------------------------ tasks

    /** The task for the plan's {@code seq}-th target, with its items unchecked. */
    public static void insertTask(Connection c, String id, Plan p, int seq, List<CheckItem> items) throws SQLException {
        GridPath target = p.targets().get(seq);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sv_task (id, plan_id, seq, target, township, due_ms) "
                + "VALUES (?,?,?,?,?,?)")) {
            ps.setString(1, id);
            ps.setString(2, p.id());
            ps.setInt(3, seq);
            ps.setString(4, target.toString());
            ps.setString(5, township(target).toString());
            ps.setLong(6, p.dueAt().toEpochMilli());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sv_item (task_id, item_no, item_key, item_text, outcome) "
                + "VALUES (?,?,?,?,?)")) {
            for (int i = 0; i < items.size(); i++) {
                ps.setString(1, id);
                ps.setInt(2, i + 1);
                ps.setString(3, items.get(i).key());
                ps.setString(4, items.get(i).text());
                ps.setString(5, Outcome.PENDING.name());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The township a target lies in (depth 2), or the target itself when it sits higher. */
    public static GridPath township(GridPath target) {
        return target.depth() <= 2 ? target : new GridPath(target.segments().subList(0, 2));
    }

    public static Optional<Task> task(Connection c, String id) throws SQLException {
        return tasks(c, "WHERE t.id = ?", ps -> ps.setString(1, id)).stream().findFirst();
    }

    public static List<Task> tasksOfPlan(Connection c, String planId) throws SQLException {
        return tasks(c, "WHERE t.plan_id = ? ORDER BY t.target", ps -> ps.setString(1, planId));
    }

    public static List<Task> tasksWithin(Connection c, GridPath subtree) throws SQLException {
        return tasks(c, "WHERE " + within("t.target") + " ORDER BY t.due_ms, t.target", ps -> bindWithin(ps, 1, subtree));
    }

    /** Tasks with targets in {@code subtree} due in {@code [from, to)}, without their items. */
    public static List<Task> dueWithin(Connection c, GridPath subtree, Instant from, Instant to) throws SQLException {
        return tasks(c, "WHERE " + within("t.target") + " AND t.due_ms >= ? AND t.due_ms < ? ORDER BY t.due_ms", ps -> {
            int i = bindWithin(ps, 1, subtree);
            ps.setLong(i, from.toEpochMilli());
            ps.setLong(i + 1, to.toEpochMilli());
        }, false);
    }

    /** A plan's tasks without their items. */
    public static List<Task> bareTasksOfPlan(Connection c, String planId) throws SQLException {
        return tasks(c, "WHERE t.plan_id = ? ORDER BY t.target", ps -> ps.setString(1, planId), false);
    }

    /** {task township, hazard id} of every item of a plan that raised a hazard. */
    public static List<String[]> hazardsOfPlan(Connection c, String planId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT t.township, i.hazard_id FROM sv_item i JOIN sv_task t "
                + "ON t.id = i.task_id WHERE t.plan_id = ? AND i.hazard_id IS NOT NULL")) {
            ps.setString(1, planId);
            try (ResultSet rs = ps.executeQuery()) {
                List<String[]> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2)});
                }
                return out;
            }
        }
    }

    /** A failed (or corrected) item of a task in {@code subtree}, checked within {@code [from, to)}. */
    public record Failure(CheckItem item, String taskId, GridPath target) {
    }

    public static List<Failure> failures(Connection c, GridPath subtree, Instant from, Instant to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT i.item_key, i.item_text, t.id, t.target FROM sv_item i "
                + "JOIN sv_task t ON t.id = i.task_id WHERE " + within("t.target") + " AND i.outcome IN ('FAIL', 'CORRECTED') "
                + "AND i.checked_ms >= ? AND i.checked_ms < ? ORDER BY t.due_ms, t.target, i.item_no")) {
            int i = bindWithin(ps, 1, subtree);
            ps.setLong(i, from.toEpochMilli());
            ps.setLong(i + 1, to.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                List<Failure> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Failure(new CheckItem(rs.getString(1), rs.getString(2)), rs.getString(3),
                            GridPath.parse(rs.getString(4))));
                }
                return out;
            }
        }
    }

    private static List<Task> tasks(Connection c, String where, Binder binder) throws SQLException {
        return tasks(c, where, binder, true);
    }

    private static List<Task> tasks(Connection c, String where, Binder binder, boolean withItems) throws SQLException {
        List<Task> bare = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + TASK_COLUMNS
                + " FROM sv_task t JOIN sv_plan p ON p.id = t.plan_id " + where)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bare.add(new Task(rs.getString(1), rs.getString(2), rs.getString(3), GridPath.parse(rs.getString(4)),
                            Json.read(rs.getString(5), STRINGS), Instant.ofEpochMilli(rs.getLong(6)), rs.getBoolean(7),
                            rs.getString(8) != null, List.of(), rs.getString(8), instant(rs, 9), rs.getString(10)));
                }
            }
        }
        if (!withItems) {
            return bare;
        }
        List<Task> out = new ArrayList<>(bare.size());
        for (Task t : bare) {
            out.add(new Task(t.id(), t.planId(), t.planTitle(), t.target(), t.inspectors(), t.dueAt(), t.unannounced(),
                    t.done(), items(c, t.id()), t.doneBy(), t.doneAt(), t.location()));
        }
        return out;
    }

    public static List<ItemResult> items(Connection c, String taskId) throws SQLException {
        Map<Integer, List<PhotoRef>> photos = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT item_no, id, content_type, bytes, user_name, at_ms "
                + "FROM sv_photo WHERE task_id = ? ORDER BY item_no, at_ms, id")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    photos.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(new PhotoRef(rs.getString(2),
                            "inspection", rs.getString(3), rs.getInt(4), rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))));
                }
            }
        }
        List<ItemResult> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT item_no, item_key, item_text, outcome, note, hazard_id, "
                + "checked_by, checked_ms FROM sv_item WHERE task_id = ? ORDER BY item_no")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int no = rs.getInt(1);
                    out.add(new ItemResult(no, new CheckItem(rs.getString(2), rs.getString(3)), Outcome.valueOf(rs.getString(4)),
                            rs.getString(5), photos.getOrDefault(no, List.of()), rs.getString(6), rs.getString(7), instant(rs, 8)));
                }
            }
        }
        return out;
    }

    public static void updateItem(Connection c, String taskId, int no, Outcome outcome, String note, String user, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sv_item SET outcome = ?, note = ?, checked_by = ?, "
                + "checked_ms = ? WHERE task_id = ? AND item_no = ?")) {
            ps.setString(1, outcome.name());
            ps.setString(2, note);
            ps.setString(3, user);
            ps.setLong(4, at.toEpochMilli());
            ps.setString(5, taskId);
            ps.setInt(6, no);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("item " + no + " of task " + taskId + " vanished during its update");
            }
        }
    }

    /** Links the hazard raised from an item, only if none is linked yet; false when one already was. */
    public static boolean linkHazard(Connection c, String taskId, int no, String hazardId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sv_item SET hazard_id = ? WHERE task_id = ? AND item_no = ? "
                + "AND hazard_id IS NULL")) {
            ps.setString(1, hazardId);
            ps.setString(2, taskId);
            ps.setInt(3, no);
            return ps.executeUpdate() == 1;
        }
    }

    public static void complete(Connection c, String taskId, String user, Instant at, String location) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE sv_task SET done_by = ?, done_ms = ?, location = ? "
                + "WHERE id = ? AND done_ms IS NULL")) {
            ps.setString(1, user);
            ps.setLong(2, at.toEpochMilli());
            ps.setString(3, location);
            ps.setString(4, taskId);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("task " + taskId + " was completed meanwhile");
            }
        }
    }

    // ------------------------------------------------------------------ photos

    public static void insertPhoto(Connection c, String taskId, int no, PhotoRef ref, byte[] data) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sv_photo (id, task_id, item_no, content_type, bytes, "
                + "user_name, at_ms, data) VALUES (?,?,?,?,?,?,?,?)")) {
            ps.setString(1, ref.id());
            ps.setString(2, taskId);
            ps.setInt(3, no);
            ps.setString(4, ref.contentType());
            ps.setInt(5, ref.bytes());
            ps.setString(6, ref.user());
            ps.setLong(7, ref.at().toEpochMilli());
            ps.setBytes(8, data);
            ps.executeUpdate();
        }
    }

    public static Optional<byte[]> photoData(Connection c, String taskId, String photoId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT data FROM sv_photo WHERE task_id = ? AND id = ?")) {
            ps.setString(1, taskId);
            ps.setString(2, photoId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        }
    }

    // ------------------------------------------------------------------ re-inspections and the audit trail

    public static void insertReinspection(Connection c, Reinspection r) throws SQLException {
        int seq = next(c, "SELECT COALESCE(MAX(seq), 0) FROM sv_reinspection WHERE task_id = ? AND item_no = " + r.item(), r.taskId());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sv_reinspection (task_id, item_no, seq, hazard_id, "
                + "accepted, note, user_name, at_ms) VALUES (?,?,?,?,?,?,?,?)")) {
            ps.setString(1, r.taskId());
            ps.setInt(2, r.item());
            ps.setInt(3, seq);
            ps.setString(4, r.hazardId());
            ps.setBoolean(5, r.accepted());
            ps.setString(6, r.note());
            ps.setString(7, r.by());
            ps.setLong(8, r.at().toEpochMilli());
            ps.executeUpdate();
        }
    }

    public static List<Reinspection> reinspections(Connection c, String taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT item_no, hazard_id, accepted, note, user_name, at_ms "
                + "FROM sv_reinspection WHERE task_id = ? ORDER BY at_ms, item_no, seq")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Reinspection> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Reinspection(taskId, rs.getInt(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                            rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))));
                }
                return out;
            }
        }
    }

    public static void event(Connection c, String subject, String type, String user, Instant at, String detail)
            throws SQLException {
        int seq = next(c, "SELECT COALESCE(MAX(seq), 0) FROM sv_event WHERE subject = ?", subject);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sv_event (subject, seq, type, user_name, at_ms, detail) "
                + "VALUES (?,?,?,?,?,?)")) {
            ps.setString(1, subject);
            ps.setInt(2, seq);
            ps.setString(3, type);
            ps.setString(4, user);
            ps.setLong(5, at.toEpochMilli());
            ps.setString(6, detail == null || detail.length() <= 8000 ? detail : detail.substring(0, 8000));
            ps.executeUpdate();
        }
    }

    /** Audit lines of a plan or task as "type user epoch-ms detail", oldest first. */
    public static List<String[]> events(Connection c, String subject) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT type, user_name, at_ms, detail FROM sv_event "
                + "WHERE subject = ? ORDER BY seq")) {
            ps.setString(1, subject);
            try (ResultSet rs = ps.executeQuery()) {
                List<String[]> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2), Long.toString(rs.getLong(3)), rs.getString(4)});
                }
                return out;
            }
        }
    }

    static int next(Connection c, String sql, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) + 1;
            }
        }
    }

    static void setMillis(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, t.toEpochMilli());
        }
    }

    static Instant instant(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static List<Map<String, String>> items(List<CheckItem> items) {
        List<Map<String, String>> out = new ArrayList<>();
        for (CheckItem i : items) {
            Map<String, String> m = new LinkedHashMap<>();
            if (i.key() != null) {
                m.put("key", i.key());
            }
            if (i.text() != null) {
                m.put("text", i.text());
            }
            out.add(m);
        }
        return out;
    }

    private static List<CheckItem> checkItems(List<Map<String, String>> raw) {
        return raw.stream().map(m -> new CheckItem(m.get("key"), m.get("text"))).toList();
    }
}
