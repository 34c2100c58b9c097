package io.safegrid.store;

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
 * One store's relational database: an embedded H2 file under the node's data dir by default,
 * PostgreSQL in production. Flyway brings the store's schema up to date at open (with a history table
 * of its own, so several stores can share one PostgreSQL database); a few connections are kept for
 * reuse. Each piece of work runs in one transaction: committed when it returns, rolled back when it
 * throws, so nothing is half-written.
 */
public final class PooledDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PooledDatabase.class);
    private static final int KEEP = 4;

    private final String name;
    private final String url;
    private final String user;
    private final String password;
    private final BlockingQueue<Connection> idle = new ArrayBlockingQueue<>(KEEP);
    private volatile boolean closed;

    /**
     * Where a store's migrations are and where Flyway records them.
     *
     * @param loader        the class loader that sees the migrations
     * @param location      e.g. {@code classpath:io/safegrid/hazard/db}
     * @param historyTable  the store's own Flyway history table
     * @param besideOthers  the database may already hold another store's tables: the first run baselines at 0
     */
    public record Schema(ClassLoader loader, String location, String historyTable, boolean besideOthers) {
    }

    /** Work on one connection inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private PooledDatabase(String name, String url, String user, String password) {
        this.name = name;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The embedded database {@code <dataDir>/<file>.mv.db}; committed before a call returns (WRITE_DELAY=0). */
    public static String embeddedUrl(Path dataDir, String file) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve(file) + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    /** Opens the database at {@code url} for the store {@code name}, creating or migrating its schema. */
    public static PooledDatabase open(String name, String url, String user, String password, Schema schema) {
        String u = user == null && url.startsWith("jdbc:h2:") ? "sa" : user;
        String p = password == null ? "" : password;
        var flyway = Flyway.configure(schema.loader()).dataSource(url, u, p).locations(schema.location())
                .table(schema.historyTable());
        if (schema.besideOthers()) {
            flyway = flyway.baselineOnMigrate(true).baselineVersion("0");
        }
        int applied = flyway.load().migrate().migrationsExecuted;
        LOG.info("{} database {}: {} migration(s) applied", name, safe(url), applied);
        return new PooledDatabase(name, url, u, p);
    }

    /** A connection with auto-commit off; give it back with {@link #release}. */
    public Connection take() throws SQLException {
        if (closed) {
            throw new SQLException("the " + name + " is closed");
        }
        Connection c;
        while ((c = idle.poll()) != null) {
            if (!c.isClosed()) {
                return c;
            }
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
            LOG.debug("closing a {} connection: {}", name, e.getMessage());
        }
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
     * Runs {@code w} in one transaction and commits it. A {@link RuntimeException} from the work (a
     * refusal) rolls back and passes through; a database failure rolls back, drops the connection and
     * surfaces as an {@link IllegalStateException} naming {@code store}.
     */
    public <T> T inTransaction(String store, Work<T> w) {
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
            broken = !rollback(c);
            throw e;
        } finally {
            release(c, broken);
        }
    }

    /** {@link #inTransaction} under {@code lock}: a store whose writes are serialised. */
    public <T> T write(String store, Object lock, Work<T> w) {
        synchronized (lock) {
            return inTransaction(store, w);
        }
    }

    private static boolean rollback(Connection c) {
        if (c == null) {
            return false;
        }
        try {
            c.rollback();
            return true;
        } catch (SQLException e) {
            LOG.debug("rollback: {}", e.getMessage());
            return false;
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
    private static String safe(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
