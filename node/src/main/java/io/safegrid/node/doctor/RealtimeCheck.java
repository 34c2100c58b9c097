package io.safegrid.node.doctor;

import io.safegrid.alerting.ledger.AlarmStore;
import io.safegrid.config.Deployment;
import io.safegrid.node.threads.Realtime;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this user, with these limits, may run the alarm path's threads real-time ({@link Realtime}):
 * a thread of this process asks for {@code SCHED_FIFO} 1 as the node's would. On an alerting node whose
 * alarm store is a PostgreSQL server on this machine, also whether the backend that commits the alarms
 * may join them: another user's process, which needs more than an RLIMIT_RTPRIO.
 */
public final class RealtimeCheck implements Check {

    @Override
    public String titleKey() { return "check.realtime"; }

    @Override
    public List<Finding> run(Deployment d, Set<String> roles) {
        AtomicBoolean granted = new AtomicBoolean();
        Thread t = new Thread(() -> granted.set(Realtime.applyToCurrentThread()), "doctor-realtime");
        t.start();
        try {
            t.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!granted.get()) {
            String why = Realtime.refusal() == null ? "-" : Realtime.refusal();
            return List.of(Finding.warn(null, "realtime.refused", why));
        }
        List<Finding> out = new ArrayList<>(List.of(Finding.ok(null, "realtime.ok")));
        if (roles.contains("alerting") && d.alarms().postgres()) {
            storeServer(d).ifPresent(out::add);
        }
        return out;
    }

    /** The alarm store's backend on this machine, made real-time as the node would; empty for a server elsewhere or none answering. */
    private static java.util.Optional<Finding> storeServer(Deployment d) {
        try (Connection c = DatabaseCheck.connect(d.alarms().url(), d.alarms().user(), d.alarms().password())) {
            OptionalLong pid = AlarmStore.serverProcessHere(c);
            if (pid.isEmpty()) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(Realtime.applyToProcess(pid.getAsLong(), AlarmStore.SERVER_PROCESS)
                    ? Finding.ok(DatabaseCheck.ALARMS, "realtime.store.ok")
                    : Finding.warn(DatabaseCheck.ALARMS, "realtime.store.refused"));
        } catch (SQLException e) {
            return java.util.Optional.empty();   // DatabaseCheck says why
        }
    }
}
