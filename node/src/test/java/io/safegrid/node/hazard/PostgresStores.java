package io.safegrid.node.hazard;

import io.safegrid.testing.PostgresServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/** One real PostgreSQL server for the node tests that need one (hazard API, alerting pair), a fresh database per test. */
public final class PostgresStores {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer server;

    private PostgresStores() {
    }

    /** {url, user, password} of a fresh database; the test is skipped, saying why, without a server. */
    public static synchronized String[] fresh() throws Exception {
        Assumptions.assumeTrue(PostgresServer.binaries().isPresent(),
                "no PostgreSQL server in /usr/lib/postgresql (apt-get install postgresql); skipping");
        if (server == null) {
            server = PostgresServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception ignored) {
                    // the JVM is going; the server's directory is temporary
                }
            }));
        }
        return new String[] {server.freshDatabase("node_hazards_" + DATABASES.incrementAndGet()), "safegrid", ""};
    }
}
