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

    /** The backend of the ledger's one connection, or -1 while it has none. */
    private long ledgerBackend() throws Exception {
        try (Connection c = DriverManager.getConnection(fx.store.url(), fx.store.user(), "");
             ResultSet r = c.createStatement().executeQuery("SELECT pid FROM pg_stat_activity"
                     + " WHERE application_name = 'safegrid-alarms' AND datname = current_database()")) {
            long pid = r.next() ? r.getLong(1) : -1;
            assertThat(r.next()).as("one connection carries every write").isFalse();
            return pid;
        }
    }

    @Test
    void theLedgersOwnBackendOnThisMachineIsMadeUrgent() throws Exception {
        started(Stores.POSTGRESQL, true);
        long backend = ledgerBackend();
        assertThat(asked).containsExactly("URGENT " + backend + " postgres");
        assertThat(gauge()).isEqualTo(1.0);
    }

    @Test
    void theBackendOfAReopenedStoreIsMadeUrgentInTurn() throws Exception {
        started(Stores.POSTGRESQL, true);
        long first = ledgerBackend();
        try (Connection c = DriverManager.getConnection(fx.store.url(), fx.store.user(), "");
             ResultSet r = c.createStatement().executeQuery("SELECT pg_terminate_backend(" + first + ")")) {
            assertThat(r.next()).isTrue();
        }
        // the next change meets the dead connection; the ledger goes on in memory and the keeper reopens the store
        fx.publish(fx.methane(io.safegrid.model.Level.YELLOW, io.safegrid.model.finding.Condition.ACTIVE, 1.0));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> fx.service.storeUp()
                && fx.registry.get("safegrid.alarms.store.reopen").tag("result", "ok").counter().count() == 1);
        long second = ledgerBackend();
        assertThat(second).isNotEqualTo(first);
        assertThat(asked).containsExactly("URGENT " + first + " postgres", "URGENT " + second + " postgres");
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
