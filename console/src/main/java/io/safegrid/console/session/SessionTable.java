package io.safegrid.console.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The console's sessions in an embedded H2 file, {@code <data-dir>/console-sessions.mv.db}, with its
 * schema from Flyway scripts {@code io/safegrid/console/db/V*.sql} (history table
 * {@code console_schema_history}), as the alarm store and the hazard register keep theirs. One
 * connection, used under this object's lock: it is asked at login, logout, after a restart for a
 * session it has and memory not, and about once a minute per active session.
 */
public final class SessionTable implements SessionStore {
    static final String FILE = "console-sessions";
    private final Connection c;

    private SessionTable(Connection c) {
        this.c = c;
    }

    /** Opens (creating when absent) the session file in {@code dataDir} and brings its schema up to date. */
    public static SessionTable open(Path dataDir) throws SQLException {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new SQLException("cannot create data directory " + dataDir, e);
        }
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve(FILE) + ";WRITE_DELAY=0";
        Connection c = DriverManager.getConnection(url, "sa", "");
        try {
            Flyway.configure(SessionTable.class.getClassLoader()).dataSource(url, "sa", "")
                    .locations("classpath:io/safegrid/console/db").table("console_schema_history")
                    .load().migrate();
        } catch (FlywayException e) {
            c.close();
            throw new SQLException("console session store schema migration failed: " + e.getMessage(), e);
        }
        return new SessionTable(c);
    }

    @Override
    public synchronized void put(String tokenHash, Stored s) {
        update("MERGE INTO console_session (token_hash, user_name, credential, created_ms, last_used_ms) KEY (token_hash) VALUES (?, ?, ?, ?, ?)",
                tokenHash, s.user(), s.credential(), s.created().toEpochMilli(), s.lastUsed().toEpochMilli());
    }

    @Override
    public synchronized Optional<Stored> get(String tokenHash) {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT user_name, credential, created_ms, last_used_ms FROM console_session WHERE token_hash = ?")) {
            p.setString(1, tokenHash);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(new Stored(r.getString(1), r.getString(2), Instant.ofEpochMilli(r.getLong(3)),
                        Instant.ofEpochMilli(r.getLong(4)))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("console session store: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void touch(String tokenHash, Instant lastUsed) {
        update("UPDATE console_session SET last_used_ms = ? WHERE token_hash = ?", lastUsed.toEpochMilli(), tokenHash);
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

    /** How many sessions the file holds. */
    public synchronized int size() {
        try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM console_session"); ResultSet r = p.executeQuery()) {
            r.next();
            return r.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("console session store: " + e.getMessage(), e);
        }
    }

    private int update(String sql, Object... args) {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            return p.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("console session store: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            c.close();
        } catch (SQLException e) {
            throw new IllegalStateException("console session store: " + e.getMessage(), e);
        }
    }
}
