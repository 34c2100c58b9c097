package io.safegrid.alerting.ledger;

import io.safegrid.config.AlarmsConfig;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmPage;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.model.alarm.AlarmState;
import io.safegrid.model.alarm.Silence;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * Alarms, their timelines, escalation due times, silences and the notification outbox: in an
 * embedded H2 file database by default, or on a PostgreSQL server ({@code alarms.store.url}). Every
 * change runs in a transaction the caller commits before anything is published; H2 is told to write
 * each commit at once (WRITE_DELAY=0) and PostgreSQL commits to its WAL, so a killed process loses
 * nothing it confirmed. One connection; not thread-safe: only the {@link AlarmLedger}'s thread uses it.
 */
public final class AlarmStore implements AutoCloseable {
    /** The advisory lock key of the alarm ledger ("safegrid alarm ledger", per database). */
    static final long LEDGER_LOCK = 0x5AFE_671D_A1A7L;
    /** SQLSTATE lock_not_available: the store is held by another node's ledger. */
    static final String IN_USE = "55P03";
    /** What a PostgreSQL backend process is called ({@link #serverProcessHere}). */
    public static final String SERVER_PROCESS = "postgres";
    /** Longest wait for one answer from PostgreSQL before the store counts as down. */
    static final int SOCKET_TIMEOUT_S = 15;
    private static final java.util.concurrent.atomic.AtomicLong STAND_INS = new java.util.concurrent.atomic.AtomicLong();
    private final Connection c;
    private final String url;
    /** How {@link #c} logged in: again to read a file that failed ({@link #adoptWaiting}). */
    private final Properties login;
    private final boolean memory;
    private final boolean postgres;
    private final AlarmIndex index = new AlarmIndex();
    private final String upsertAlarm;
    private final String upsertEscalation;
    private final String upsertSilence;
    /** The highest timeline sequence this store handed out or found: a stand-in continues above it. */
    private long lastSeq;
    /** The highest notification row id found at open: a stand-in numbers its rows above the file's. */
    private long lastRowId;
    /** The open transaction has written something (a rollback then has to reload what memory saw). */
    private boolean dirty;
    /** PostgreSQL: this transaction's writes, held back to go in one round trip ({@link StatementBatch}); null on H2. */
    private final StatementBatch queued;

    public AlarmStore(Path dataDir) throws SQLException {
        this(createdDir(dataDir), "sa", "", false);
    }

    /**
     * A stand-in in memory for while the file cannot be written: same tables, timeline sequence
     * numbers continuing after {@code lastSeq}, so that what it holds can later be copied into the
     * file as it is (see {@link #absorb}).
     */
    static AlarmStore inMemory(long lastSeq, long lastRowId) throws SQLException {
        AlarmStore s = new AlarmStore("jdbc:h2:mem:alarms-stand-in-" + STAND_INS.incrementAndGet() + ";QUERY_CACHE_SIZE=64;DB_CLOSE_ON_EXIT=FALSE",
                "sa", "", true);
        s.restartSequence("alarm_event", "seq", lastSeq + 1);
        s.restartSequence("notification", "id", lastRowId + 1);
        s.lastSeq = lastSeq;
        s.lastRowId = lastRowId;
        return s;
    }

    /**
     * The store {@code config} names: a PostgreSQL server (or another H2 URL), or without a URL the
     * embedded file in {@code dataDir}.
     */
    public static AlarmStore open(Path dataDir, AlarmsConfig config) throws SQLException {
        if (config == null || config.url() == null) {
            return new AlarmStore(dataDir);
        }
        String user = config.user() == null && config.url().startsWith("jdbc:h2:") ? "sa" : config.user();
        return new AlarmStore(config.url(), user, config.password() == null ? "" : config.password(), false);
    }

    /** Where the store is, without credentials a URL may carry as parameters. */
    public static String where(Path dataDir, AlarmsConfig config) {
        String u = config == null || config.url() == null ? url(dataDir) : config.url();
        int q = u.indexOf('?');
        return q < 0 ? u : u.substring(0, q);
    }

    private static String createdDir(Path dataDir) throws SQLException {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create data directory " + dataDir, e);
        }
        return url(dataDir);
    }

    private AlarmStore(String url, String user, String password, boolean memory) throws SQLException {
        this.url = url;
        this.memory = memory;
        this.postgres = url.startsWith("jdbc:postgresql:");
        this.login = properties(user, password);
        this.queued = postgres ? new StatementBatch() : null;
        this.upsertAlarm = upsert("alarm", "id", "id", "akey", "kind", "level", "peak_level", "state", "acknowledged",
                "source_id", "site", "rule", "message", "val", "peak_value", "threshold", "cnt", "raised_at", "last_seen",
                "updated_at", "assignee");
        this.upsertEscalation = upsert("escalation", "alarm_id", "alarm_id", "rung", "due_at");
        this.upsertSilence = upsert("silence", "id", "id", "device_id", "node", "created_by", "reason", "created_at",
                "expires_at", "ended_at", "ended_by");
        c = DriverManager.getConnection(url, login);
        try {
            c.setAutoCommit(false);
            if (postgres) {
                lockLedger();
            }
            init(user, password);
            if (postgres) {
                // between writes the connection reads with autocommit: no transaction left open on the server
                c.commit();
                c.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // reporting the first failure
            }
            throw e;
        }
    }

    /**
     * Credentials, and for PostgreSQL bounds on waiting (unless the URL sets its own): a server that
     * stops answering fails the ledger's statement within {@link #SOCKET_TIMEOUT_S}, and the ledger
     * goes on with a stand-in in memory instead of hanging the alarm path.
     */
    private Properties properties(String user, String password) {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        p.setProperty("password", password);
        if (postgres) {
            p.setProperty("connectTimeout", "5");
            p.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_S));
            p.setProperty("tcpKeepAlive", "true");
            p.setProperty("ApplicationName", "safegrid-alarms");
        }
        return p;
    }

    /**
     * One ledger per PostgreSQL store, as H2's file lock gives one per file: a session lock held by
     * the ledger's own connection. Every write goes through that connection, so a node that lost the
     * lock (its connection gone) can no longer commit anything, and a new connection must take the
     * lock again first: the fencing of an active/standby pair.
     */
    private void lockLedger() throws SQLException {
        try (Statement s = live().createStatement();
             ResultSet r = s.executeQuery("SELECT pg_try_advisory_lock(" + LEDGER_LOCK + ")")) {
            r.next();
            if (!r.getBoolean(1)) {
                throw new SQLException("the alarm store " + url.replaceFirst("\\?.*", "")
                        + " is in use by another SafeGrid alerting node", IN_USE);
            }
        }
        c.commit();
    }

    /**
     * The PostgreSQL backend process serving this store's connection, when the server runs on this
     * machine (reached over a Unix socket or an address of this host); empty for H2, a server elsewhere,
     * or when it cannot be asked. Between transactions only.
     */
    OptionalLong serverProcessHere() {
        if (!postgres || memory) {
            return OptionalLong.empty();
        }
        try {
            return serverProcessHere(live());
        } catch (SQLException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The PostgreSQL backend process serving {@code c}, when the server runs on this machine (a Unix
     * socket, or an address of this host); empty for a server elsewhere.
     */
    public static OptionalLong serverProcessHere(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT pg_backend_pid(), host(inet_server_addr())")) {
            r.next();
            String address = r.getString(2);
            return address == null || thisMachine(address) ? OptionalLong.of(r.getLong(1)) : OptionalLong.empty();
        }
    }

    /** Whether {@code address} (an IP literal, no name lookup) is one of this machine's. */
    private static boolean thisMachine(String address) {
        try {
            InetAddress a = InetAddress.getByName(address);
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** True when {@code e} says another alerting node holds the store ({@link #lockLedger}). */
    public static boolean inUse(SQLException e) {
        return IN_USE.equals(e.getSQLState());
    }

    private void init(String user, String password) throws SQLException {
        c.setAutoCommit(false);
        Migrations.apply(c, url, user, password);
        reindex();
        lastSeq = max("alarm_event", "seq");
        lastRowId = max("notification", "id");
    }

    /** This store's JDBC URL. */
    String url() {
        return url;
    }

    /** True for the stand-in in memory. */
    boolean isMemory() {
        return memory;
    }

    void ping() throws SQLException {
        try (Statement s = live().createStatement(); ResultSet r = s.executeQuery("SELECT 1")) {
            r.next();
        }
    }

    long lastSeq() {
        return lastSeq;
    }

    /** The highest notification row id this store held when it was opened (or absorbed a stand-in). */
    long lastRowId() {
        return lastRowId;
    }

    private void restartSequence(String table, String column, long next) throws SQLException {
        try (Statement s = live().createStatement()) {
            s.execute("ALTER TABLE " + table + " ALTER COLUMN " + column + " RESTART WITH " + Math.max(1, next));
        }
        c.commit();
    }

    /** Fills a fresh stand-in with what memory holds: the open alarms, their timers, the silences. */
    void seed(OpenAlarms m) throws SQLException {
        for (Alarm a : m.openAlarms()) {
            upsert(a);
        }
        for (Map.Entry<String, EscalationDue> e : m.escalations().entrySet()) {
            setEscalation(e.getKey(), e.getValue().rung(), e.getValue().dueAt());
        }
        for (Silence s : m.silences(true, Instant.EPOCH)) {
            upsert(s);
        }
        commit();
    }

    /**
     * Copies everything the stand-in holds into this store, in the open transaction: alarm rows and
     * silences as they now stand, the timeline events and notifications with their own numbers
     * (they never collide: the stand-in numbered above this store), and the escalation timers,
     * which replace this store's. Returns the number of rows copied.
     */
    int absorb(AlarmStore standIn) throws SQLException {
        dirty = true;
        int n = copy(standIn.c, "alarm", "id");
        n += copy(standIn.c, "alarm_event", "seq");
        n += copy(standIn.c, "silence", "id");
        try (Statement s = live().createStatement()) {
            s.execute("DELETE FROM escalation");
        }
        n += copy(standIn.c, "escalation", "alarm_id");
        n += copy(standIn.c, "notification", "id");
        lastRowId = Math.max(lastRowId, max("notification", "id"));
        try (Statement s = live().createStatement()) {
            s.execute("ALTER TABLE notification ALTER COLUMN id RESTART WITH " + (lastRowId + 1));
        }
        lastSeq = Math.max(lastSeq, max("alarm_event", "seq"));
        try (Statement s = live().createStatement()) {
            s.execute("ALTER TABLE alarm_event ALTER COLUMN seq RESTART WITH " + (lastSeq + 1));
        }
        reindex();
        return n;
    }

    private long max(String table, String column) throws SQLException {
        try (Statement s = live().createStatement();
             ResultSet r = s.executeQuery("SELECT COALESCE(MAX(" + column + "), 0) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    /**
     * An insert that replaces the row with the same {@code key}: H2's MERGE, PostgreSQL's ON CONFLICT;
     * parameters in the order of {@code columns}.
     */
    private String upsert(String table, String key, String... columns) {
        String cols = String.join(", ", columns);
        String params = "?,".repeat(columns.length - 1) + "?";
        if (!postgres) {
            return "MERGE INTO " + table + " (" + cols + ") KEY (" + key + ") VALUES (" + params + ")";
        }
        StringBuilder set = new StringBuilder();
        for (String col : columns) {
            if (!col.equalsIgnoreCase(key)) {
                set.append(set.length() == 0 ? "" : ", ").append(col).append(" = EXCLUDED.").append(col);
            }
        }
        return "INSERT INTO " + table + " (" + cols + ") VALUES (" + params + ") ON CONFLICT (" + key + ") DO UPDATE SET " + set;
    }

    /** Copies every row of {@code table} from another connection into this one, replacing rows with the same key. */
    private int copy(Connection from, String table, String key) throws SQLException {
        return copy(from, table, key, "");
    }

    /**
     * For a stand-in: copies the notifications the failed file store {@code failed} holds that still
     * wait to be sent (QUEUED or RETRYING) under their own numbers, so that they are sent from memory
     * while it is down, and returns those numbers. A file on a full disk still reads; PostgreSQL gives
     * none (its rows go when the store is reopened).
     */
    java.util.Set<Long> adoptWaiting(AlarmStore failed) throws SQLException {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        if (failed.postgres) {
            // a server gone or hung would hold the alarm path here for a connect timeout; the keeper's reconnect sends them
            return ids;
        }
        // an H2 file that failed a write has closed itself: what it committed is read anew, read-only (a full disk reads)
        try (Connection read = DriverManager.getConnection(failed.url + ";ACCESS_MODE_DATA=r", failed.login)) {
            copy(read, "notification", "id", " WHERE status IN ('QUEUED','RETRYING')");
            try (Statement s = live().createStatement(); ResultSet r = s.executeQuery(
                    "SELECT id FROM notification WHERE status IN ('QUEUED','RETRYING')")) {   // a fresh stand-in: all adopted
                while (r.next()) {
                    ids.add(r.getLong(1));
                }
            }
            commit();
            return ids;
        } catch (SQLException e) {
            rollback();
            throw e;
        }
    }

    private int copy(Connection from, String table, String key, String where) throws SQLException {
        int n = 0;
        try (Statement s = from.createStatement(); ResultSet r = s.executeQuery("SELECT * FROM " + table + where)) {
            java.sql.ResultSetMetaData md = r.getMetaData();
            int cols = md.getColumnCount();
            StringBuilder names = new StringBuilder();
            for (int i = 1; i <= cols; i++) {
                names.append(i == 1 ? "" : ",").append(md.getColumnName(i));
            }
            try (PreparedStatement p = live().prepareStatement(upsert(table, key, names.toString().split(",")))) {
                while (r.next()) {
                    for (int i = 1; i <= cols; i++) {
                        p.setObject(i, r.getObject(i));
                    }
                    p.addBatch();
                    n++;
                }
                p.executeBatch();
            }
        }
        return n;
    }

    /** Fills the list index from the table: at open, and after a rollback undid changes it had seen. */
    private void reindex() throws SQLException {
        index.clear();
        try (Statement s = live().createStatement();
             ResultSet r = s.executeQuery("SELECT id, raised_at, site, level, state FROM alarm")) {
            while (r.next()) {
                String site = r.getString(3);
                index.put(r.getString(1), r.getLong(2), site == null ? null : GridPath.parse(site),
                        Level.valueOf(r.getString(4)), AlarmState.valueOf(r.getString(5)));
            }
        }
    }

    /**
     * The database's JDBC URL: one connection, the ledger's. Not closed by H2's own hook at JVM exit: the
     * node's stop closes it last, after the sends still running have stored their outcomes.
     */
    static String url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("alarms") + ";WRITE_DELAY=0;QUERY_CACHE_SIZE=64;DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The connection of the current transaction, for the outbox rows that commit with it. */
    Connection connection() throws SQLException {
        dirty = true;
        return live();
    }

    /** The connection for a read: marks nothing as written. */
    Connection reader() throws SQLException {
        return live();
    }

    /**
     * The connection, with the writes held back so far sent first, so that what comes next sees them.
     * On PostgreSQL a write transaction begins here, the first time it must send something before
     * its commit; a read outside one runs with autocommit, leaving no transaction open.
     */
    private Connection live() throws SQLException {
        if (queued != null && dirty && c.getAutoCommit()) {
            c.setAutoCommit(false);
        }
        if (queued != null && !queued.isEmpty()) {
            queued.run(c);
        }
        return c;
    }

    /** True where writes are held back to go in one round trip: add them with {@link #queue}, not on {@link #connection}. */
    boolean batches() {
        return queued != null;
    }

    /** Holds back a write of the open transaction until the next read or the commit. */
    void queue(String sql, Object... params) throws SQLException {
        dirty = true;
        if (queued.parameters() + params.length > StatementBatch.MAX_PARAMETERS) {
            queued.run(c);
        }
        queued.add(sql, params);
    }

    /**
     * Commits. On PostgreSQL, a transaction that has sent nothing yet sends its held-back writes with
     * autocommit on: statements and commit in one round trip, the server's implicit transaction.
     */
    public void commit() throws SQLException {
        if (queued == null) {
            c.commit();
        } else if (c.getAutoCommit()) {
            queued.run(c);
        } else {
            live().commit();
            c.setAutoCommit(true);
        }
        dirty = false;
    }

    /** True when the open transaction has written anything. */
    boolean dirty() {
        return dirty;
    }

    public void rollback() {
        try {
            if (queued != null) {
                queued.clear();
            }
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            if (queued != null) {
                c.setAutoCommit(true);
            }
            boolean undone = dirty;
            dirty = false;
            if (undone) {
                reindex();
            }
        } catch (SQLException ignored) {
            // the connection is broken; the next call reports it
        }
    }

    /** Stores the alarm as it is (in the open transaction). Public for tools that import alarms, e.g. the benchmarks. */
    public void upsert(Alarm a) throws SQLException {
        dirty = true;
        if (queued != null) {
            queue(upsertAlarm, a.id(), a.key(), a.kind().name(), a.level().name(), a.peakLevel().name(), a.state().name(),
                    a.acknowledged(), a.sourceId(), a.site() == null ? null : a.site().toString(), a.rule(), a.message(),
                    a.value(), a.peakValue(), a.threshold(), a.count(), a.raisedAt().toEpochMilli(),
                    a.lastSeen().toEpochMilli(), a.updatedAt().toEpochMilli(), a.assignee());
            index.put(a);
            return;
        }
        try (PreparedStatement p = live().prepareStatement(upsertAlarm)) {
            p.setString(1, a.id());
            p.setString(2, a.key());
            p.setString(3, a.kind().name());
            p.setString(4, a.level().name());
            p.setString(5, a.peakLevel().name());
            p.setString(6, a.state().name());
            p.setBoolean(7, a.acknowledged());
            p.setString(8, a.sourceId());
            p.setString(9, a.site() == null ? null : a.site().toString());
            p.setString(10, a.rule());
            p.setString(11, a.message());
            p.setDouble(12, a.value());
            p.setDouble(13, a.peakValue());
            p.setDouble(14, a.threshold());
            p.setInt(15, a.count());
            p.setLong(16, a.raisedAt().toEpochMilli());
            p.setLong(17, a.lastSeen().toEpochMilli());
            p.setLong(18, a.updatedAt().toEpochMilli());
            p.setString(19, a.assignee());
            p.executeUpdate();
        }
        index.put(a);
    }

    /** Appends an event and returns it with its sequence number. Public for tools that import alarms. */
    public AlarmEvent append(AlarmEvent.Type type, Alarm a, Instant time, String actor, String note) throws SQLException {
        dirty = true;
        try (PreparedStatement p = live().prepareStatement("""
                INSERT INTO alarm_event (alarm_id, type, time, actor, note, level, state, acknowledged, val, cnt, assignee)
                VALUES (?,?,?,?,?,?,?,?,?,?,?)""", Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, a.id());
            p.setString(2, type.name());
            p.setLong(3, time.toEpochMilli());
            p.setString(4, actor);
            p.setString(5, note);
            p.setString(6, a.level().name());
            p.setString(7, a.state().name());
            p.setBoolean(8, a.acknowledged());
            p.setDouble(9, a.value());
            p.setInt(10, a.count());
            p.setString(11, a.assignee());
            p.executeUpdate();
            keepFacts(a.id(), type, time.toEpochMilli(), note);
            try (ResultSet k = p.getGeneratedKeys()) {
                k.next();
                lastSeq = Math.max(lastSeq, k.getLong(1));
                return new AlarmEvent(k.getLong(1), type, a.id(), time, actor, note, a);
            }
        }
    }

    private static final String APPEND = """
            INSERT INTO alarm_event (seq, alarm_id, type, time, actor, note, level, state, acknowledged, val, cnt, assignee)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""";

    /** Appends an event with the sequence number the ledger gave it. */
    void append(AlarmEvent e) throws SQLException {
        dirty = true;
        Alarm a = e.alarm();
        if (queued != null) {
            queue(APPEND, e.sequence(), e.alarmId(), e.type().name(), e.time().toEpochMilli(), e.actor(), e.note(),
                    a.level().name(), a.state().name(), a.acknowledged(), a.value(), a.count(), a.assignee());
            keepFacts(e.alarmId(), e.type(), e.time().toEpochMilli(), e.note());
            lastSeq = Math.max(lastSeq, e.sequence());
            return;
        }
        try (PreparedStatement p = live().prepareStatement(APPEND)) {
            p.setLong(1, e.sequence());
            p.setString(2, e.alarmId());
            p.setString(3, e.type().name());
            p.setLong(4, e.time().toEpochMilli());
            p.setString(5, e.actor());
            p.setString(6, e.note());
            p.setString(7, a.level().name());
            p.setString(8, a.state().name());
            p.setBoolean(9, a.acknowledged());
            p.setDouble(10, a.value());
            p.setInt(11, a.count());
            p.setString(12, a.assignee());
            p.executeUpdate();
        }
        keepFacts(e.alarmId(), e.type(), e.time().toEpochMilli(), e.note());
        lastSeq = Math.max(lastSeq, e.sequence());
    }

    /** What an escalation to the county says in its note (the escalator writes it, the V4 backfill looks for it). */
    static final String TO_COUNTY = "escalated to county ";

    /**
     * Keeps the alarm row's first acknowledgement and its climb to the county as the events come, so the
     * assessment reads them off the row (V4). After the alarm's own upsert: an event never comes first.
     */
    private void keepFacts(String alarmId, AlarmEvent.Type type, long time, String note) throws SQLException {
        String sql = type == AlarmEvent.Type.ACKNOWLEDGED
                ? "UPDATE alarm SET first_ack_at = ? WHERE id = ? AND (first_ack_at IS NULL OR first_ack_at > ?)"
                : type == AlarmEvent.Type.ESCALATED && note != null && note.contains(TO_COUNTY)
                ? "UPDATE alarm SET reached_county = TRUE WHERE id = ? AND reached_county = FALSE" : null;
        if (sql == null) {
            return;
        }
        Object[] args = type == AlarmEvent.Type.ACKNOWLEDGED ? new Object[] {time, alarmId, time} : new Object[] {alarmId};
        if (queued != null) {
            queue(sql, args);
            return;
        }
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, List.of(args));
            p.executeUpdate();
        }
    }

    /** Sets an alarm's escalation timer: rung reached, when to climb. Public for tools that import alarms. */
    public void setEscalation(String alarmId, int rung, Instant due) throws SQLException {
        dirty = true;
        if (queued != null) {
            queue(upsertEscalation, alarmId, rung, due.toEpochMilli());
            return;
        }
        try (PreparedStatement p = live().prepareStatement(upsertEscalation)) {
            p.setString(1, alarmId);
            p.setInt(2, rung);
            p.setLong(3, due.toEpochMilli());
            p.executeUpdate();
        }
    }

    void clearEscalation(String alarmId) throws SQLException {
        dirty = true;
        if (queued != null) {
            queue("DELETE FROM escalation WHERE alarm_id = ?", alarmId);
            return;
        }
        try (PreparedStatement p = live().prepareStatement("DELETE FROM escalation WHERE alarm_id = ?")) {
            p.setString(1, alarmId);
            p.executeUpdate();
        }
    }

    /** Pending escalations: alarm id to (rung reached, due time). */
    Map<String, EscalationDue> escalations() throws SQLException {
        Map<String, EscalationDue> out = new HashMap<>();
        try (Statement s = live().createStatement(); ResultSet r = s.executeQuery("SELECT alarm_id, rung, due_at FROM escalation")) {
            while (r.next()) {
                out.put(r.getString(1), new EscalationDue(r.getInt(2), Instant.ofEpochMilli(r.getLong(3))));
            }
        }
        return out;
    }

    List<Alarm> openAlarms() throws SQLException {
        try (PreparedStatement p = live().prepareStatement("SELECT * FROM alarm WHERE state <> 'CLOSED'")) {
            return alarms(p);
        }
    }

    Optional<Alarm> alarm(String id) throws SQLException {
        try (PreparedStatement p = live().prepareStatement("SELECT * FROM alarm WHERE id = ?")) {
            p.setString(1, id);
            return alarms(p).stream().findFirst();
        }
    }

    /** A page of alarms, newest raised first, with the exact number of matches; filtered in {@link AlarmIndex}. */
    AlarmPage query(AlarmQuery q) throws SQLException {
        AlarmIndex.Page page = index.query(q);
        if (page.ids().isEmpty()) {
            return new AlarmPage(List.of(), page.total(), q.offset(), q.limit());
        }
        Map<String, Alarm> rows = new HashMap<>();
        try (PreparedStatement p = live().prepareStatement("SELECT * FROM alarm WHERE id IN ("
                + "?,".repeat(page.ids().size() - 1) + "?)")) {
            bind(p, new ArrayList<Object>(page.ids()));
            for (Alarm a : alarms(p)) {
                rows.put(a.id(), a);
            }
        }
        List<Alarm> items = new ArrayList<>(page.ids().size());
        for (String id : page.ids()) {
            Alarm a = rows.get(id);
            if (a != null) {
                items.add(a);
            }
        }
        return new AlarmPage(items, page.total(), q.offset(), q.limit());
    }

    List<AlarmEvent> timeline(Alarm current) throws SQLException {
        List<AlarmEvent> out = new ArrayList<>();
        try (PreparedStatement p = live().prepareStatement("SELECT * FROM alarm_event WHERE alarm_id = ? ORDER BY seq")) {
            p.setString(1, current.id());
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    Alarm then = new Alarm(current.id(), current.key(), current.kind(), Level.valueOf(r.getString("level")),
                            current.peakLevel(), AlarmState.valueOf(r.getString("state")), r.getBoolean("acknowledged"),
                            current.sourceId(), current.site(), current.rule(), current.message(), r.getDouble("val"),
                            current.peakValue(), current.threshold(), r.getInt("cnt"), current.raisedAt(),
                            current.lastSeen(), Instant.ofEpochMilli(r.getLong("time")), r.getString("assignee"));
                    out.add(new AlarmEvent(r.getLong("seq"), AlarmEvent.Type.valueOf(r.getString("type")), current.id(),
                            Instant.ofEpochMilli(r.getLong("time")), r.getString("actor"), r.getString("note"), then));
                }
            }
        }
        return out;
    }

    void upsert(Silence s) throws SQLException {
        dirty = true;
        if (queued != null) {
            queue(upsertSilence, s.id(), s.deviceId(), s.node() == null ? null : s.node().toString(), s.createdBy(), s.reason(),
                    s.createdAt().toEpochMilli(), s.expiresAt().toEpochMilli(),
                    s.endedAt() == null ? StatementBatch.NULL_BIGINT : s.endedAt().toEpochMilli(), s.endedBy());
            return;
        }
        try (PreparedStatement p = live().prepareStatement(upsertSilence)) {
            p.setString(1, s.id());
            p.setString(2, s.deviceId());
            p.setString(3, s.node() == null ? null : s.node().toString());
            p.setString(4, s.createdBy());
            p.setString(5, s.reason());
            p.setLong(6, s.createdAt().toEpochMilli());
            p.setLong(7, s.expiresAt().toEpochMilli());
            if (s.endedAt() == null) {
                p.setNull(8, Types.BIGINT);
            } else {
                p.setLong(8, s.endedAt().toEpochMilli());
            }
            p.setString(9, s.endedBy());
            p.executeUpdate();
        }
    }

    List<Silence> silences() throws SQLException {
        List<Silence> out = new ArrayList<>();
        try (Statement s = live().createStatement();
             ResultSet r = s.executeQuery("SELECT * FROM silence ORDER BY created_at DESC, id")) {
            while (r.next()) {
                long ended = r.getLong("ended_at");
                boolean noEnd = r.wasNull();
                String node = r.getString("node");
                out.add(new Silence(r.getString("id"), r.getString("device_id"), node == null ? null : GridPath.parse(node),
                        r.getString("created_by"), r.getString("reason"), Instant.ofEpochMilli(r.getLong("created_at")),
                        Instant.ofEpochMilli(r.getLong("expires_at")), noEnd ? null : Instant.ofEpochMilli(ended),
                        r.getString("ended_by")));
            }
        }
        return out;
    }

    private static void bind(PreparedStatement p, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            p.setObject(i + 1, args.get(i));
        }
    }

    private static List<Alarm> alarms(PreparedStatement p) throws SQLException {
        List<Alarm> out = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
                String site = r.getString("site");
                out.add(new Alarm(r.getString("id"), r.getString("akey"), FindingKind.valueOf(r.getString("kind")),
                        Level.valueOf(r.getString("level")), Level.valueOf(r.getString("peak_level")),
                        AlarmState.valueOf(r.getString("state")), r.getBoolean("acknowledged"), r.getString("source_id"),
                        site == null ? null : GridPath.parse(site), r.getString("rule"), r.getString("message"),
                        r.getDouble("val"), r.getDouble("peak_value"), r.getDouble("threshold"), r.getInt("cnt"),
                        Instant.ofEpochMilli(r.getLong("raised_at")), Instant.ofEpochMilli(r.getLong("last_seen")),
                        Instant.ofEpochMilli(r.getLong("updated_at")), r.getString("assignee")));
            }
        }
        return out;
    }

    /** Closes the connection; H2 closes the file when the last connection goes. */
    @Override
    public void close() throws SQLException {
        c.close();
    }

    /**
     * Closes a healthy store at a clean stop, first letting go of the ledger's lock on PostgreSQL: the
     * server frees a closed connection's locks only once its backend has gone, a moment later, and a
     * node started again at once (or the standby of a pair) would meet the lock still held. Not for a
     * failed store: a hung server would hold the stop up.
     */
    public void release() throws SQLException {
        if (postgres && !memory) {
            try (Statement s = c.createStatement()) {
                s.setQueryTimeout(2);
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
                s.execute("SELECT pg_advisory_unlock(" + LEDGER_LOCK + ")");
            } catch (SQLException e) {
                // the server lets it go with the connection, a moment later, as before
            }
        }
        close();
    }
}
