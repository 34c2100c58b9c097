package io.safegrid.supervision.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervision stores' database: an embedded H2 file beside the hazard register's by default, or
 * the register's own PostgreSQL database with a history table of its own. Each call runs in one
 * transaction on a kept connection: committed when the work returns, rolled back when it throws.
 */
public final class SupervisionDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisionDatabase.class);
    private static final int KEEP = 4;

    private final String url;
    private final String user;
    private final String password;
    private final ConcurrentLinkedDeque<Connection> kept = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    private SupervisionDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** {@code <dataDir>/supervision.mv.db}, committed before a call returns. */
    public static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("supervision")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0";
    }

    /**
     * Opens the database at {@code url}, bringing its schema up to date. On a database the hazard
     * register already holds, the first run baselines at 0 so that Flyway accepts the other tables.
     */
    public static SupervisionDatabase open(String url, String user, String password) {
        String u = user == null && url.startsWith("jdbc:h2:") ? "sa" : user;
        String p = password == null ? "" : password;
        int applied = Flyway.configure(SupervisionDatabase.class.getClassLoader())
                .dataSource(url, u, p)
                .locations("classpath:io/safegrid/supervision/db")
                .table("supervision_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load().migrate().migrationsExecuted;
        int q = url.indexOf('?');
        LOG.info("supervision database {}: {} migration(s) applied", q < 0 ? url : url.substring(0, q), applied);
        return new SupervisionDatabase(url, u, p);
    }

    /** Work on one connection inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} and commits. A {@link RuntimeException} from the work (a refusal) rolls back and
     * passes through; a database failure rolls back, drops the connection and surfaces as an
     * {@link IllegalStateException}, so that nothing is half-written either way.
     */
    public <T> T inTransaction(Work<T> work) {
        Connection c = null;
        boolean keep = false;
        try {
            c = connection();
            T out = work.run(c);
            c.commit();
            keep = true;
            return out;
        } catch (SQLException e) {
            rollback(c);
            throw new IllegalStateException("supervision store: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            keep = rollback(c);
            throw e;
        } finally {
            if (c != null) {
                giveBack(c, keep);
            }
        }
    }

    private Connection connection() throws SQLException {
        if (closed) {
            throw new SQLException("the supervision store is closed");
        }
        Connection c;
        while ((c = kept.poll()) != null) {
            if (!c.isClosed()) {
                return c;
            }
        }
        c = DriverManager.getConnection(url, user, password);
        c.setAutoCommit(false);
        return c;
    }

    private static boolean rollback(Connection c) {
        if (c == null) {
            return false;
        }
        try {
            c.rollback();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private void giveBack(Connection c, boolean keep) {
        if (keep && !closed && kept.size() < KEEP) {
            kept.push(c);
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.debug("closing a supervision connection: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = kept.poll()) != null) {
            giveBack(c, false);
        }
    }
}
