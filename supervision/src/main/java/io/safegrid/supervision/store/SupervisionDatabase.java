package io.safegrid.supervision.store;

import io.safegrid.store.PooledDatabase;
import java.nio.file.Path;

/**
 * The supervision stores' database: an embedded H2 file beside the hazard register's by default, or
 * the register's own PostgreSQL database with a history table of its own, on the shared
 * {@link PooledDatabase}. Each call runs in one transaction on a kept connection: committed when the
 * work returns, rolled back when it throws.
 */
public final class SupervisionDatabase implements AutoCloseable {
    private final PooledDatabase db;

    private SupervisionDatabase(PooledDatabase db) {
        this.db = db;
    }

    /** {@code <dataDir>/supervision.mv.db}, committed before a call returns. */
    public static String embeddedUrl(Path dataDir) {
        return PooledDatabase.embeddedUrl(dataDir, "supervision");
    }

    /**
     * Opens the database at {@code url}, bringing its schema up to date. On a database the hazard
     * register already holds, the first run baselines at 0 so that Flyway accepts the other tables.
     */
    public static SupervisionDatabase open(String url, String user, String password) {
        return new SupervisionDatabase(PooledDatabase.open("supervision", url, user, password, new PooledDatabase.Schema(
                SupervisionDatabase.class.getClassLoader(), "classpath:io/safegrid/supervision/db", "supervision_schema_history",
                true)));
    }

    /** Work on one connection inside one transaction. */
    @FunctionalInterface
    public interface Work<T> extends PooledDatabase.Work<T> {
    }

    /**
     * Runs {@code work} and commits. A {@link RuntimeException} from the work (a refusal) rolls back and
     * passes through; a database failure rolls back, drops the connection and surfaces as an
     * {@link IllegalStateException}, so that nothing is half-written either way.
     */
    public <T> T inTransaction(Work<T> work) {
        return db.inTransaction("supervision store", work);
    }

    @Override
    public void close() {
        db.close();
    }
}
