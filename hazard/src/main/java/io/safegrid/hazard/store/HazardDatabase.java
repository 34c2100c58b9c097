package io.safegrid.hazard.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The register's database: an embedded H2 file under the node's data dir by default, PostgreSQL in
 * production. Flyway brings the schema up to date at open; a few connections are kept for reuse
 * (writes are serialised by the register, so a handful is enough for the readers beside them).
 */
public final class HazardDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HazardDatabase.class);
    private static final int CONNECTIONS = 4;

    private final String url;
    private final String user;
    private final String password;
    private final BlockingQueue<Connection> idle = new ArrayBlockingQueue<>(CONNECTIONS);
    private volatile boolean closed;

    private HazardDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The embedded database {@code <dataDir>/hazards.mv.db}; committed before a call returns (WRITE_DELAY=0). */
    public static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("hazards")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0";
    }

    /** Opens (creating or migrating the schema) the database at {@code url}. */
    public static HazardDatabase open(String url, String user, String password) {
        String u = user == null ? (url.startsWith("jdbc:h2:") ? "sa" : null) : user;
        String p = password == null ? "" : password;
        Flyway flyway = Flyway.configure(HazardDatabase.class.getClassLoader())
                .dataSource(url, u, p)
                .locations("classpath:io/safegrid/hazard/db")
                .table("hazard_schema_history")
                .load();
        int applied = flyway.migrate().migrationsExecuted;
        LOG.info("hazard register database {}: {} migration(s) applied", safe(url), applied);
        return new HazardDatabase(url, u, p);
    }

    /** A connection with auto-commit off; give it back with {@link #release}. */
    public Connection take() throws SQLException {
        if (closed) {
            throw new SQLException("the hazard register is closed");
        }
        Connection c = idle.poll();
        if (c != null && !c.isClosed()) {
            return c;
        }
        c = DriverManager.getConnection(url, user, password);
        c.setAutoCommit(false);
        return c;
    }

    /** Returns a connection; one that failed ({@code broken}) is closed instead of kept. */
    public void release(Connection c, boolean broken) {
        if (c == null) {
            return;
        }
        try {
            if (broken || closed || c.isClosed()) {
                c.close();
                return;
            }
            if (!c.getAutoCommit()) {
                c.rollback(); // nothing left open from a read
            }
            if (!idle.offer(c)) {
                c.close();
            }
        } catch (SQLException e) {
            LOG.debug("closing a hazard database connection: {}", e.getMessage());
        }
    }

    /** A read on a pooled connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code w} on a pooled connection and gives it back; a failure closes that connection and
     * surfaces as an {@link IllegalStateException} naming {@code store}.
     */
    public <T> T read(String store, Work<T> w) {
        Connection c = null;
        boolean broken = false;
        try {
            c = take();
            return w.run(c);
        } catch (SQLException e) {
            broken = true;
            throw new IllegalStateException(store + ": " + e.getMessage(), e);
        } finally {
            release(c, broken);
        }
    }

    /**
     * Runs {@code w} in one transaction under {@code lock} (the register's write lock) and commits it;
     * anything thrown rolls it back, an {@link SQLException} as an {@link IllegalStateException} naming {@code store}.
     */
    public <T> T write(String store, Object lock, Work<T> w) {
        synchronized (lock) {
            Connection c = null;
            boolean broken = false;
            try {
                c = take();
                T out = w.run(c);
                c.commit();
                return out;
            } catch (SQLException e) {
                broken = true;
                rollback(c);
                throw new IllegalStateException(store + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                rollback(c);
                throw e;
            } finally {
                release(c, broken);
            }
        }
    }

    private static void rollback(Connection c) {
        if (c != null) {
            try {
                c.rollback();
            } catch (SQLException e) {
                LOG.debug("rollback: {}", e.getMessage());
            }
        }
    }

    public boolean postgres() { return url.startsWith("jdbc:postgresql:"); }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.poll()) != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing: {}", e.getMessage());
            }
        }
    }

    /** The URL without credentials that a PostgreSQL URL may carry as parameters. */
    static String safe(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
