package io.safegrid.cascade.store;

import io.safegrid.config.AlarmsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The durable side of the cascade, in an embedded H2 file, or on the PostgreSQL server of the alarm
 * store when {@code alarms.store} names one (so the queue outlives the machine, and the standby of an
 * alerting pair takes it over with the alarms): per peer, an outgoing queue of numbered
 * messages (kept until the other end acknowledges them) and the sequence of the last message
 * applied from that peer (so a message sent again after a reconnect or restart is recognised).
 *
 * <p>Every change is committed before the method returns, and H2 writes each commit at once
 * (WRITE_DELAY=0) as PostgreSQL flushes its WAL, so what {@link #append} confirmed survives a killed process. Each peer's queue
 * is bounded in bytes: past the bound the oldest messages are dropped and counted, because an
 * enterprise node must keep running (and keep its own alarms) whatever the county link does.
 * Thread-safe: one connection, every method synchronised; messages are few (findings and alarm
 * transitions, not readings).
 */
public final class LinkStore implements AutoCloseable {
    /** One queued message. */
    public record Entry(long seq, byte[] body) {
    }

    /** What {@link #append} did: the message's sequence, and how many old ones the bound pushed out. */
    public record Appended(long seq, int dropped) {
    }

    private final Connection c;
    private final long maxBytesPerPeer;
    private final Map<String, long[]> sizes = new HashMap<>(); // peer -> {depth, bytes}
    private final String setHead;
    private final String setApplied;

    /** The embedded H2 file {@code cascade} in {@code dir}. */
    public LinkStore(Path dir, long maxBytesPerPeer) throws SQLException {
        this(h2(dir), "sa", "", maxBytesPerPeer);
    }

    /**
     * The store {@code alarms} names when it is a PostgreSQL server (tables {@code cascade_*} beside
     * the alarm path's), else the embedded file in {@code dir}.
     */
    public static LinkStore open(Path dir, AlarmsConfig alarms, long maxBytesPerPeer) throws SQLException {
        if (alarms == null || !alarms.postgres()) {
            return new LinkStore(dir, maxBytesPerPeer);
        }
        return new LinkStore(alarms.url(), alarms.user(), alarms.password() == null ? "" : alarms.password(), maxBytesPerPeer);
    }

    private static String h2(Path dir) throws SQLException {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create cascade directory " + dir, e);
        }
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("cascade") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    private LinkStore(String url, String user, String password, long maxBytesPerPeer) throws SQLException {
        this.maxBytesPerPeer = maxBytesPerPeer;
        boolean postgres = url.startsWith("jdbc:postgresql:");
        setHead = upsert(postgres, "cascade_queue_head");
        setApplied = upsert(postgres, "cascade_applied");
        c = DriverManager.getConnection(url, user, password);
        try {
            c.setAutoCommit(false);
            LinkSchema.apply(c, url, user, password, postgres);
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT peer, COUNT(*), SUM(bytes) FROM cascade_queue GROUP BY peer")) {
                while (r.next()) {
                    sizes.put(r.getString(1), new long[] {r.getLong(2), r.getLong(3)});
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Sets a peer's number: H2's MERGE, PostgreSQL's ON CONFLICT. */
    private static String upsert(boolean postgres, String table) {
        return postgres
                ? "INSERT INTO " + table + " (peer, last_seq) VALUES (?, ?) ON CONFLICT (peer) DO UPDATE SET last_seq = EXCLUDED.last_seq"
                : "MERGE INTO " + table + " KEY (peer) VALUES (?, ?)";
    }

    /** Numbers and stores one message for {@code peer}; durable when this returns. */
    public synchronized Appended append(String peer, byte[] body) throws SQLException {
        try {
            long seq = lastQueued(peer) + 1;
            try (PreparedStatement p = c.prepareStatement(setHead)) {
                p.setString(1, peer);
                p.setLong(2, seq);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO cascade_queue (peer, seq, body, bytes) VALUES (?, ?, ?, ?)")) {
                p.setString(1, peer);
                p.setLong(2, seq);
                p.setBytes(3, body);
                p.setInt(4, body.length);
                p.executeUpdate();
            }
            long[] size = sizes.computeIfAbsent(peer, k -> new long[2]);
            int dropped = 0;
            long depth = size[0] + 1;
            long bytes = size[1] + body.length;
            if (bytes > maxBytesPerPeer) {
                long[] cut = dropOldest(peer, bytes - maxBytesPerPeer, seq);
                dropped = (int) cut[0];
                depth -= cut[0];
                bytes -= cut[1];
            }
            c.commit();
            size[0] = depth;
            size[1] = bytes;
            return new Appended(seq, dropped);
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    /** Deletes the oldest messages (never {@code keep}) until at least {@code excess} bytes are gone. */
    private long[] dropOldest(String peer, long excess, long keep) throws SQLException {
        long count = 0;
        long freed = 0;
        long upTo = -1;
        try (PreparedStatement p = c.prepareStatement("SELECT seq, bytes FROM cascade_queue WHERE peer = ? AND seq < ? ORDER BY seq")) {
            p.setString(1, peer);
            p.setLong(2, keep);
            try (ResultSet r = p.executeQuery()) {
                while (freed < excess && r.next()) {
                    upTo = r.getLong(1);
                    freed += r.getInt(2);
                    count++;
                }
            }
        }
        if (upTo >= 0) {
            delete(peer, upTo);
        }
        return new long[] {count, freed};
    }

    /** Up to {@code limit} queued messages after {@code seq}, oldest first. */
    public synchronized List<Entry> after(String peer, long seq, int limit) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT seq, body FROM cascade_queue WHERE peer = ? AND seq > ? ORDER BY seq LIMIT ?")) {
            p.setString(1, peer);
            p.setLong(2, seq);
            p.setInt(3, limit);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Entry(r.getLong(1), r.getBytes(2)));
                }
            }
        }
        c.commit();
        return out;
    }

    /** Forgets what the peer has acknowledged: every message up to and including {@code seq}. */
    public synchronized void acknowledged(String peer, long seq) throws SQLException {
        long[] size = sizes.get(peer);
        if (size == null || size[0] == 0) {
            return;
        }
        try {
            long[] gone = {0, 0};
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM cascade_queue WHERE peer = ? AND seq <= ?")) {
                p.setString(1, peer);
                p.setLong(2, seq);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    gone[0] = r.getLong(1);
                    gone[1] = r.getLong(2);
                }
            }
            if (gone[0] > 0) {
                delete(peer, seq);
            }
            c.commit();
            size[0] -= gone[0];
            size[1] -= gone[1];
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    private void delete(String peer, long upTo) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM cascade_queue WHERE peer = ? AND seq <= ?")) {
            p.setString(1, peer);
            p.setLong(2, upTo);
            p.executeUpdate();
        }
    }

    /** The highest sequence ever queued for the peer (0 before the first). */
    public synchronized long lastQueued(String peer) throws SQLException {
        return read("SELECT last_seq FROM cascade_queue_head WHERE peer = ?", peer);
    }

    /** Numbers the peer's next message after {@code seq}; for a queue that was lost while the peer kept counting. */
    public synchronized void skipTo(String peer, long seq) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(setHead)) {
            p.setString(1, peer);
            p.setLong(2, Math.max(seq, lastQueued(peer)));
            p.executeUpdate();
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    /** The sequence of the last message applied from the peer (0 before the first). */
    public synchronized long lastApplied(String peer) throws SQLException {
        return read("SELECT last_seq FROM cascade_applied WHERE peer = ?", peer);
    }

    /** Records that the peer's message {@code seq} has been applied; durable when this returns. */
    public synchronized void applied(String peer, long seq) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(setApplied)) {
            p.setString(1, peer);
            p.setLong(2, seq);
            p.executeUpdate();
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    private long read(String sql, String peer) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, peer);
            try (ResultSet r = p.executeQuery()) {
                long v = r.next() ? r.getLong(1) : 0;
                c.commit();
                return v;
            }
        }
    }

    /** Messages waiting for the peer's acknowledgement. */
    public synchronized long depth(String peer) {
        long[] s = sizes.get(peer);
        return s == null ? 0 : s[0];
    }

    /** Bytes of the messages waiting for the peer. */
    public synchronized long bytes(String peer) {
        long[] s = sizes.get(peer);
        return s == null ? 0 : s[1];
    }

    @Override
    public synchronized void close() throws SQLException {
        c.close();
    }
}
