package io.safegrid.alerting.ledger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.model.bus.Urgency;
import io.safegrid.model.scheduling.ThreadPolicy;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the PostgreSQL server process behind the ledger's connection the alarm path's scheduling when
 * it runs on this machine ({@link ThreadPolicy#serveAlongside}). Every alarm commits in that process: at
 * normal priority it queues for a core behind bulk work while the ledger's real-time thread waits on
 * it, which is most of the alarm path's tail on a busy machine. A server on another machine is left to
 * its own cores.
 */
final class ServerScheduling {
    private static final Logger LOG = LoggerFactory.getLogger(ServerScheduling.class);
    private final ThreadPolicy threads;
    private final AtomicInteger alongside = new AtomicInteger();

    ServerScheduling(ThreadPolicy threads, MeterRegistry registry) {
        this.threads = threads;
        Gauge.builder("safegrid.alarms.store.server.urgent", alongside, AtomicInteger::get)
                .description("1 while the alarm store's server process on this machine runs at the alarm path's scheduling")
                .register(registry);
    }

    /** Follows the store the ledger has just taken; on the ledger's thread, between transactions. */
    void follow(AlarmStore store) {
        OptionalLong pid = store.serverProcessHere();
        boolean urgent = pid.isPresent() && threads.serveAlongside(Urgency.URGENT, pid.getAsLong(), AlarmStore.SERVER_PROCESS);
        alongside.set(urgent ? 1 : 0);
        if (urgent) {
            LOG.info("the alarm store's PostgreSQL backend (pid {}) on this machine runs at the alarm path's scheduling",
                    pid.getAsLong());
        }
    }
}
