package io.safegrid.hazard.register;

import io.safegrid.testing.PostgresServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The register's contract on a real PostgreSQL server (Debian's {@code postgresql}, started here
 * in a temp dir on a free port). Skipped with a message where no server is installed.
 */
class PostgresRegisterTest extends HazardRegisterContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer pg;
    private String url;

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
    String[] database() throws Exception {
        url = pg.freshDatabase("hazards_" + DATABASES.incrementAndGet());
        return new String[] {url, "safegrid", ""};
    }

    @Override
    HazardService reopen() throws Exception {
        String keep = url;
        return new HazardService(config, new HazardSettings(keep, "safegrid", "", 4096, java.util.List.of("jpeg", "png", "webp"),
                5, java.time.Duration.ofDays(3), java.time.Duration.ofDays(1), java.time.Duration.ofMinutes(1)), clock,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry()).notices(notices).start(false);
    }
}
