package io.safegrid.alerting.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.Recorder;
import io.safegrid.alerting.Stores;
import io.safegrid.model.bus.Urgency;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alarm store's PostgreSQL backend on this machine is handed to the node's thread policy, so that
 * each alarm's commit runs at the alarm path's scheduling; an embedded H2 file has no such process.
 */
class ServerSchedulingTest {
    @TempDir
    Path dir;
    final Recorder recorder = new Recorder();
    final List<String> asked = new CopyOnWriteArrayList<>();
    Fixture fx;

    @AfterEach
    void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    private Fixture started(Stores kind, boolean granted) throws Exception {
        fx = new Fixture(dir, recorder).on(kind);
        fx.threads = new io.safegrid.model.scheduling.ThreadPolicy() {
            @Override
            public void enter(Urgency urgency) {
            }

            @Override
            public boolean serveAlongside(Urgency urgency, long pid, String name) {
                asked.add(urgency + " " + pid + " " + name);
                return granted;
            }
        };
        return fx.start();
    }

    private double gauge() {
        return fx.registry.get("safegrid.alarms.store.server.urgent").gauge().value();
    }

    @Test
    void theLedgersOwnBackendOnThisMachineIsMadeUrgent() throws Exception {
        started(Stores.POSTGRESQL, true);
        long backend;
        try (Connection c = DriverManager.getConnection(fx.store.url(), fx.store.user(), "");
             ResultSet r = c.createStatement().executeQuery(
                     "SELECT pid FROM pg_stat_activity WHERE application_name = 'safegrid-alarms'")) {
            assertThat(r.next()).as("the ledger's connection").isTrue();
            backend = r.getLong(1);
            assertThat(r.next()).as("one connection carries every write").isFalse();
        }
        assertThat(asked).containsExactly("URGENT " + backend + " postgres");
        assertThat(gauge()).isEqualTo(1.0);
    }

    @Test
    void aRefusalLeavesTheGaugeAtZero() throws Exception {
        started(Stores.POSTGRESQL, false);
        assertThat(asked).hasSize(1);
        assertThat(gauge()).isZero();
    }

    @Test
    void anEmbeddedFileHasNoServerToSchedule() throws Exception {
        started(Stores.H2, true);
        assertThat(asked).isEmpty();
        assertThat(gauge()).isZero();
    }
}
