package io.safegrid.alerting.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.safegrid.alerting.notify.Message;
import io.safegrid.alerting.outbox.Delivery;
import io.safegrid.alerting.outbox.Pending;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code notification} table, in the alarm database. Static SQL over the ledger's connection,
 * inside its transactions.
 */
final class OutboxRows {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OutboxRows.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    /** Bound once: each alarm's transaction writes a message, so no per-call serializer lookup. */
    private static final com.fasterxml.jackson.databind.ObjectWriter MESSAGE_OUT = JSON.writerFor(Message.class);
    private static final com.fasterxml.jackson.databind.ObjectReader MESSAGE_IN = JSON.readerFor(Message.class);

    private static final String UNCLAIM = "UPDATE notification SET attempts = attempts - 1,"
            + " status = CASE WHEN attempts <= 1 THEN 'QUEUED' ELSE 'RETRYING' END WHERE id = ? AND status = 'SENDING'";
    private static final String FINISH = "UPDATE notification SET status = ?, last_error = ?, done_at = ? WHERE id = ?";
    private static final String RETRY_AT = "UPDATE notification SET status = 'RETRYING', next_at = ?, last_error = ? WHERE id = ?";

    private OutboxRows() {
    }

    /** Rows SENDING on channels no attempt holds (their attempt ended where the outcome could not be stored): queued again. */
    static int requeueSending(Connection c, java.util.Set<String> busyChannels) throws SQLException {
        int n = 0;
        for (Delivery d : inStatus(c, Delivery.Status.SENDING)) {
            if (!busyChannels.contains(d.channelId())) {
                unclaim(c, d.id());
                n++;
            }
        }
        return n;
    }

    /**
     * Inserts unless a row with the same key exists; the new row's id, or -1 when it was there already.
     * {@code claimed}: stored as being sent (SENDING, attempt 1), its claim committing with the row.
     */
    static long insert(Connection c, Pending p, Instant now, boolean claimed) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM notification WHERE idem_key = ?")) {
            q.setString(1, p.key());
            try (ResultSet r = q.executeQuery()) {
                if (r.next()) {
                    return -1;
                }
            }
        }
        String json = json(p);
        try (PreparedStatement q = c.prepareStatement("""
                INSERT INTO notification (idem_key, alarm_id, event_seq, recipient, channel_id, channel_type, address,
                  message, status, attempts, created_at, next_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
                Statement.RETURN_GENERATED_KEYS)) {
            q.setString(1, p.key());
            q.setString(2, p.message().alarmId());
            q.setLong(3, p.message().eventSeq());
            q.setString(4, p.recipient());
            q.setString(5, p.channelId());
            q.setString(6, p.channelType());
            q.setString(7, p.address());
            q.setString(8, json);
            q.setString(9, claimed ? "SENDING" : "QUEUED");
            q.setInt(10, claimed ? 1 : 0);
            q.setLong(11, now.toEpochMilli());
            q.setLong(12, now.toEpochMilli());
            q.executeUpdate();
            try (ResultSet k = q.getGeneratedKeys()) {
                k.next();
                return k.getLong(1);
            }
        }
    }

    /**
     * Holds back the insert of a row numbered {@code id} by the ledger (which alone writes the store,
     * so it knows the highest number) for the store's one round trip. No check for an existing key: a
     * key names a new timeline line, whose own insert fails the transaction if the line was there.
     */
    static void queue(AlarmStore s, long id, Pending p, Instant now, boolean claimed) throws SQLException {
        s.queue("""
                INSERT INTO notification (id, idem_key, alarm_id, event_seq, recipient, channel_id, channel_type, address,
                  message, status, attempts, created_at, next_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                id, p.key(), p.message().alarmId(), p.message().eventSeq(), p.recipient(), p.channelId(), p.channelType(),
                p.address(), json(p), claimed ? "SENDING" : "QUEUED", claimed ? 1 : 0, now.toEpochMilli(), now.toEpochMilli());
    }

    private static String json(Pending p) throws SQLException {
        try {
            return MESSAGE_OUT.writeValueAsString(p.message());
        } catch (IOException e) {
            throw new SQLException("cannot store notification message: " + e.getMessage(), e);
        }
    }

    /** A due row's id and channel: enough to pick one per idle channel without reading messages. */
    record Due(long id, String channelId, long nextAt) {
    }

    /** Pending rows due at {@code now}, oldest due first, across channels (the poller). */
    static List<Due> due(Connection c, Instant now, int limit) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id, channel_id, next_at FROM notification"
                + " WHERE status IN ('QUEUED','RETRYING') AND next_at <= ? ORDER BY next_at, id LIMIT ?")) {
            q.setLong(1, now.toEpochMilli());
            q.setInt(2, limit);
            return dueRows(q);
        }
    }

    /**
     * A channel's next due row, if any. One status at a time: with {@code status IN (…)} H2 used only
     * the channel of the (channel, status, next_at) index and walked every row the channel ever sent,
     * once per message sent.
     */
    static Due nextDue(Connection c, String channelId, Instant now) throws SQLException {
        Due first = null;
        try (PreparedStatement q = c.prepareStatement("SELECT id, channel_id, next_at FROM notification"
                + " WHERE channel_id = ? AND status = ? AND next_at <= ? ORDER BY next_at, id LIMIT 1")) {
            for (String status : new String[] {"QUEUED", "RETRYING"}) {
                q.setString(1, channelId);
                q.setString(2, status);
                q.setLong(3, now.toEpochMilli());
                for (Due d : dueRows(q)) {
                    if (first == null || d.nextAt() < first.nextAt() || d.nextAt() == first.nextAt() && d.id() < first.id()) {
                        first = d;
                    }
                }
            }
        }
        return first;
    }

    private static List<Due> dueRows(PreparedStatement q) throws SQLException {
        List<Due> out = new ArrayList<>();
        try (ResultSet r = q.executeQuery()) {
            while (r.next()) {
                out.add(new Due(r.getLong(1), r.getString(2), r.getLong(3)));
            }
        }
        return out;
    }

    static Delivery row(Connection c, long id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT * FROM notification WHERE id = ?")) {
            q.setLong(1, id);
            return rows(q).stream().findFirst().orElseThrow(() -> new SQLException("no notification " + id));
        }
    }

    static List<Delivery> ofAlarm(Connection c, String alarmId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT * FROM notification WHERE alarm_id = ? ORDER BY id")) {
            q.setString(1, alarmId);
            return rows(q);
        }
    }

    static List<Delivery> inStatus(Connection c, Delivery.Status status) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT * FROM notification WHERE status = ? ORDER BY id")) {
            q.setString(1, status.name());
            return rows(q);
        }
    }

    /** Marks the row as being sent (one more attempt) if it is still waiting; false if somebody else took it. */
    static boolean claim(Connection c, long id, Instant now) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("UPDATE notification SET status = 'SENDING', attempts = attempts + 1"
                + " WHERE id = ? AND status IN ('QUEUED','RETRYING') AND next_at <= ?")) {
            q.setLong(1, id);
            q.setLong(2, now.toEpochMilli());
            return q.executeUpdate() == 1;
        }
    }

    /**
     * Claims a row the ledger has just read as due, held back for the change's one round trip (see
     * {@link #queue}): the ledger alone writes the store, so nobody else can have taken it meanwhile.
     */
    static void claimQueued(AlarmStore s, long id) throws SQLException {
        s.queue("UPDATE notification SET status = 'SENDING', attempts = attempts + 1 WHERE id = ?", id);
    }

    /** A row's new state after an attempt (or after none), in the store's open change. */
    static void finish(AlarmStore s, long id, Delivery.Status status, String error, Instant now) throws SQLException {
        if (s.batches()) {
            s.queue(FINISH, status.name(), cut(error), now.toEpochMilli(), id);
        } else {
            finish(s.connection(), id, status, error, now);
        }
    }

    static void retryAt(AlarmStore s, long id, Instant next, String error) throws SQLException {
        if (s.batches()) {
            s.queue(RETRY_AT, next.toEpochMilli(), cut(error), id);
        } else {
            retryAt(s.connection(), id, next, error);
        }
    }

    static void unclaim(AlarmStore s, long id) throws SQLException {
        if (s.batches()) {
            s.queue(UNCLAIM, id);
        } else {
            unclaim(s.connection(), id);
        }
    }

    /** Undoes a claim whose attempt never started. */
    static void unclaim(Connection c, long id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(UNCLAIM)) {
            q.setLong(1, id);
            q.executeUpdate();
        }
    }

    static void finish(Connection c, long id, Delivery.Status status, String error, Instant now) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(FINISH)) {
            q.setString(1, status.name());
            q.setString(2, cut(error));
            q.setLong(3, now.toEpochMilli());
            q.setLong(4, id);
            q.executeUpdate();
        }
    }

    static void retryAt(Connection c, long id, Instant next, String error) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(RETRY_AT)) {
            q.setLong(1, next.toEpochMilli());
            q.setString(2, cut(error));
            q.setLong(3, id);
            q.executeUpdate();
        }
    }

    /** Count and oldest creation time of pending rows. */
    static long[] depth(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT COUNT(*), MIN(created_at) FROM notification WHERE status IN ('QUEUED','RETRYING','SENDING')")) {
            r.next();
            long oldest = r.getLong(2);
            return new long[] {r.getLong(1), r.wasNull() ? -1 : oldest};
        }
    }

    private static String cut(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 1997) + "…";
    }

    private static List<Delivery> rows(PreparedStatement q) throws SQLException {
        List<Delivery> out = new ArrayList<>();
        try (ResultSet r = q.executeQuery()) {
            while (r.next()) {
                Message m;
                try {
                    m = MESSAGE_IN.readValue(r.getString("message"));
                } catch (IOException e) {
                    // cannot be sent as it is; failing it beats stopping the dispatcher (or the node's start) on it
                    LOG.error("notification {} has an unreadable message; marked failed", r.getLong("id"), e);
                    finish(q.getConnection(), r.getLong("id"), Delivery.Status.FAILED, "unreadable message: " + e.getMessage(),
                            Instant.now());
                    continue;
                }
                out.add(new Delivery(r.getLong("id"), r.getString("idem_key"), r.getString("recipient"),
                        r.getString("channel_id"), r.getString("channel_type"), r.getString("address"), m,
                        Delivery.Status.valueOf(r.getString("status")), r.getInt("attempts"),
                        Instant.ofEpochMilli(r.getLong("created_at")), Instant.ofEpochMilli(r.getLong("next_at")),
                        r.getString("last_error")));
            }
        }
        return out;
    }
}
