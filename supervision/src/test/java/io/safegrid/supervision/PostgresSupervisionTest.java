package io.safegrid.supervision;

import io.safegrid.testing.PostgresServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The stores on a real PostgreSQL server, in the hazard register's own database as production runs
 * them (the register migrates first, supervision baselines beside it). Skipped where none is installed.
 */
class PostgresSupervisionTest extends SupervisionContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer pg;

    @BeforeAll
    static void startServer() throws Exception {
        Assumptions.assumeTrue(PostgresServer.binaries().isPresent(),
                "no PostgreSQL server in /usr/lib/postgresql (apt-get install postgresql); skipping");
        pg = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @Override
    String[][] databases() throws Exception {
        String url = pg.freshDatabase("supervision_" + DATABASES.incrementAndGet());
        return new String[][] {{url, "safegrid", ""}, {url, "safegrid", ""}};
    }
}
