package io.safegrid.node.doctor;

import io.safegrid.config.Deployment;
import io.safegrid.node.threads.Realtime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this user, with these limits, may run the alarm path's threads real-time ({@link Realtime}):
 * a thread of this process asks for {@code SCHED_FIFO} 1 as the node's would.
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
        if (granted.get()) {
            return List.of(Finding.ok(null, "realtime.ok"));
        }
        String why = Realtime.refusal() == null ? "-" : Realtime.refusal();
        return List.of(Finding.warn(null, "realtime.refused", why));
    }
}
