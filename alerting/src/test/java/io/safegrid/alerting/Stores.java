package io.safegrid.alerting;

import io.safegrid.config.AlarmsConfig;
import io.safegrid.testing.PostgresServer;

/**
 * The alarm stores the alerting suite runs on: the embedded H2 file and a real PostgreSQL server
 * (Debian's, started once for the test JVM on a free port, a fresh database per test). Without a
 * PostgreSQL installation the PostgreSQL runs are skipped with a message.
 */
public enum Stores {
    H2, POSTGRESQL;

    /** A fresh, empty store of this kind: for H2 the defaults (the file in the test's data dir). */
    public AlarmsConfig fresh() throws Exception {
        if (this == H2) {
            return AlarmsConfig.defaults();
        }
        return AlarmsConfig.at(PostgresServer.sharedDatabase("alarms"), "safegrid", "");
    }
}
