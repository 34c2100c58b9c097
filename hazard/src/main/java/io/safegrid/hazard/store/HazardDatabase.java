package io.safegrid.hazard.store;

import io.safegrid.store.PooledDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The register's database: an embedded H2 file under the node's data dir by default, PostgreSQL in
 * production, on the shared {@link PooledDatabase} (Flyway at open, a few kept connections; writes
 * are serialised by the register, so a handful is enough for the readers beside them).
 */
public final class HazardDatabase implements AutoCloseable {
    private final PooledDatabase db;

    private HazardDatabase(PooledDatabase db) {
        this.db = db;
    }

    /** The embedded database {@code <dataDir>/hazards.mv.db}; committed before a call returns (WRITE_DELAY=0). */
    public static String embeddedUrl(Path dataDir) {
        return PooledDatabase.embeddedUrl(dataDir, "hazards");
    }

    /** Opens (creating or migrating the schema) the database at {@code url}. */
    public static HazardDatabase open(String url, String user, String password) {
        return new HazardDatabase(PooledDatabase.open("hazard register", url, user, password, new PooledDatabase.Schema(
                HazardDatabase.class.getClassLoader(), "classpath:io/safegrid/hazard/db", "hazard_schema_history", false)));
    }

    /** A connection with auto-commit off; give it back with {@link #release}. */
    public Connection take() throws SQLException {
        return db.take();
    }

    /** Returns a connection; one that failed ({@code broken}) is closed instead of kept. */
    public void release(Connection c, boolean broken) {
        db.release(c, broken);
    }

    /** Work on a pooled connection. */
    @FunctionalInterface
    public interface Work<T> extends PooledDatabase.Work<T> {
    }

    /** See {@link PooledDatabase#read}. */
    public <T> T read(String store, Work<T> w) {
        return db.read(store, w);
    }

    /** One transaction under {@code lock} (the register's write lock); see {@link PooledDatabase#write}. */
    public <T> T write(String store, Object lock, Work<T> w) {
        return db.write(store, lock, w);
    }

    public boolean postgres() { return db.postgres(); }

    @Override
    public void close() {
        db.close();
    }
}
