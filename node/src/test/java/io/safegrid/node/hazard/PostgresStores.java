package io.safegrid.node.hazard;

import io.safegrid.testing.PostgresServer;

/** One real PostgreSQL server for the node tests that need one (hazard API, alerting pair), a fresh database per test. */
public final class PostgresStores {
    private PostgresStores() {
    }

    /** {url, user, password} of a fresh database; the test is skipped, saying why, without a server. */
    public static String[] fresh() throws Exception {
        return new String[] {PostgresServer.sharedDatabase("node"), "safegrid", ""};
    }
}
