package io.safegrid.console.session;

import io.safegrid.config.AlarmsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's sessions in a database: an embedded H2 file, {@code <data-dir>/console-sessions.mv.db},
 * or, when the alarm store is a PostgreSQL server, a table beside the alarm path's in that database, so
 * that the standby of an active/standby pair, once active, honours the logins of the node that died.
 * Its schema comes from Flyway scripts {@code io/safegrid/console/db/V*.sql} (history table
 * {@code console_schema_history}), as the alarm store, the hazard register and the cascade keep theirs.
 * One connection, used under this object's lock: it is asked at login, logout, after a restart or a
 * takeover for a session it has and memory not, and about once a minute per active session.
 *
 * <p>A statement that fails drops the connection; a later call opens a new one, trying at most once
 * per {@link #RETRY} so that a server that is gone costs one request a wait, not every request. On
 * PostgreSQL a connect, a login and a statement each give up after {@link #WAIT_S} seconds (unless
 * the URL sets its own), so a hung server holds a login up for no longer than that.
 */
public final class SessionTable implements SessionStore {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTable.class);
    static final String FILE = "console-sessions";
    static final int WAIT_S = 5;
    static final Duration RETRY = Duration.ofSeconds(5);
    private final String url;
    private final Properties login;
    private final long retryNanos;
    private Connection c;
    private long nextTry;
    private boolean closed;

    private SessionTable(String url, Properties login, Connection c, Duration retry) {
        this.url = url;
        this.login = login;
        this.c = c;
        this.retryNanos = retry.toNanos();
    }

    /** Opens (creating when absent) the session file in {@code dataDir} and brings its schema up to date. */
    public static SessionTable open(Path dataDir) throws SQLException {
        return open(dataDir, null);
    }

    /**
     * The table in the PostgreSQL database {@code alarms} names when it names one (the pair's shared
     * store), else the session file in {@code dataDir}; its schema brought up to date.
     */
    public static SessionTable open(Path dataDir, AlarmsConfig alarms) throws SQLException {
        return open(dataDir, alarms, RETRY);
    }

    static SessionTable open(Path dataDir, AlarmsConfig alarms, Duration retry) throws SQLException {
        boolean postgres = alarms != null && alarms.postgres();
        String url = postgres ? alarms.url() : h2(dataDir);
        Properties login = postgres ? postgres(alarms) : new Properties();
        if (!postgres) {
            login.setProperty("user", "sa");
            login.setProperty("password", "");
        }
        Connection c = DriverManager.getConnection(url, login);
        try {
            Flyway.configure(SessionTable.class.getClassLoader())
                    .dataSource(url, login.getProperty("user"), login.getProperty("password"))
                    .locations("classpath:io/safegrid/console/db").table("console_schema_history")
                    // a database the alarm path already holds: its tables are left alone, every script runs
                    .baselineOnMigrate(true).baselineVersion("0")
                    .load().migrate();
        } catch (FlywayException e) {
            c.close();
            throw new SQLException("console session store schema migration failed: " + e.getMessage(), e);
        }
        return new SessionTable(url, login, c, retry);
    }

    private static String h2(Path dataDir) throws SQLException {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new SQLException("cannot create data directory " + dataDir, e);
        }
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve(FILE) + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    private static Properties postgres(AlarmsConfig alarms) {
        Properties p = new Properties();
        if (alarms.user() != null) {
            p.setProperty("user", alarms.user());
        }
        p.setProperty("password", alarms.password() == null ? "" : alarms.password());
        p.setProperty("connectTimeout", Integer.toString(WAIT_S));
        p.setProperty("loginTimeout", Integer.toString(WAIT_S));
        p.setProperty("socketTimeout", Integer.toString(WAIT_S));
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", "safegrid-console");
        return p;
    }

    @FunctionalInterface
    private interface Statement<T> {
        T run(Connection c) throws SQLException;
    }

    @Override
    public synchronized void put(String tokenHash, Stored s) {
        // a fresh 256-bit token: its hash is new, a plain insert on H2 and PostgreSQL alike
        update("INSERT INTO console_session (token_hash, user_name, credential, created_ms, last_used_ms) VALUES (?, ?, ?, ?, ?)",
                tokenHash, s.user(), s.credential(), s.created().toEpochMilli(), s.lastUsed().toEpochMilli());
    }

    @Override
    public synchronized Optional<Stored> get(String tokenHash) {
        return run(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT user_name, credential, created_ms, last_used_ms FROM console_session WHERE token_hash = ?")) {
                p.setString(1, tokenHash);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(new Stored(r.getString(1), r.getString(2), Instant.ofEpochMilli(r.getLong(3)),
                            Instant.ofEpochMilli(r.getLong(4)))) : Optional.empty();
                }
            }
        });
    }

    @Override
    public synchronized boolean touch(String tokenHash, Instant lastUsed) {
        return 1 == update("UPDATE console_session SET last_used_ms = ? WHERE token_hash = ?", lastUsed.toEpochMilli(), tokenHash);
    }

    @Override
    public synchronized void remove(String tokenHash) {
        update("DELETE FROM console_session WHERE token_hash = ?", tokenHash);
    }

    @Override
    public synchronized int removeEnded(Instant createdBefore, Instant usedBefore) {
        return update("DELETE FROM console_session WHERE created_ms < ? OR last_used_ms < ?",
                createdBefore.toEpochMilli(), usedBefore.toEpochMilli());
    }

    /** How many sessions the table holds. */
    public synchronized int size() {
        return run(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM console_session"); ResultSet r = p.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        });
    }

    private int update(String sql, Object... args) {
        return run(c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    p.setObject(i + 1, args[i]);
                }
                return p.executeUpdate();
            }
        });
    }

    /** {@code s} on the connection, opening one if the last was dropped; a failure drops it. */
    private <T> T run(Statement<T> s) {
        try {
            return s.run(connection());
        } catch (SQLException e) {
            drop();
            throw new IllegalStateException("console session store: " + e.getMessage(), e);
        }
    }

    private Connection connection() throws SQLException {
        if (closed) {
            throw new SQLException("closed");
        }
        if (c == null) {
            if (System.nanoTime() - nextTry < 0) {
                throw new SQLException("not reachable, tried again at most every " + retryNanos / 1_000_000 + " ms");
            }
            c = DriverManager.getConnection(url, login);
            LOG.info("console session store {} reached again", url.replaceFirst("\\?.*", ""));
        }
        return c;
    }

    private void drop() {
        nextTry = System.nanoTime() + retryNanos;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken: the failure that got us here is the one reported
            }
            c = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            throw new IllegalStateException("console session store: " + e.getMessage(), e);
        }
    }
}
