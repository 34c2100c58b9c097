package io.safegrid.alerting;

import io.safegrid.config.AlarmsConfig;
import io.safegrid.testing.PostgresServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The alarm stores the alerting suite runs on: the embedded H2 file and a real PostgreSQL server
 * (Debian's, started once for the test JVM on a free port, a fresh database per test). Without a
 * PostgreSQL installation the PostgreSQL runs are skipped with a message.
 */
public enum Stores {
    H2, POSTGRESQL;

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer server;

    /** A fresh, empty store of this kind: for H2 the defaults (the file in the test's data dir). */
    public AlarmsConfig fresh() throws Exception {
        if (this == H2) {
            return AlarmsConfig.defaults();
        }
        return AlarmsConfig.at(server().freshDatabase("alarms_" + DATABASES.incrementAndGet()), "safegrid", "");
    }

    private static synchronized PostgresServer server() throws Exception {
        Assumptions.assumeTrue(PostgresServer.binaries().isPresent(),
                "no PostgreSQL server in /usr/lib/postgresql (apt-get install postgresql); skipping");
        if (server == null) {
            PostgresServer s = PostgresServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    s.close();
                } catch (Exception e) {
                    System.err.println("stopping the test PostgreSQL: " + e);
                }
            }, "stop-test-postgres"));
            server = s;
        }
        return server;
    }
}
