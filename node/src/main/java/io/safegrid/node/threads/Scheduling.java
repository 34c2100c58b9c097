package io.safegrid.node.threads;

import io.safegrid.config.ThreadSettings;
import io.safegrid.model.bus.Urgency;
import io.safegrid.model.scheduling.ThreadPolicy;

/**
 * The node's thread policy, from {@code node.threads} in the deployment: every stage and the bus get
 * this one. Urgent threads run at {@link Thread#MAX_PRIORITY} (ahead of bulk work where the JVM maps
 * priorities to the OS, see docs/operations.md "Thread priorities") and, when real-time is on, under
 * {@code SCHED_FIFO} ({@link Realtime}): a woken one then does not wait for a core at all. The
 * others run at normal priority.
 */
public final class Scheduling implements ThreadPolicy {
    private final boolean priorities;
    private final boolean realtime;

    public Scheduling(ThreadSettings settings) {
        this.priorities = settings.priorities();
        this.realtime = switch (settings.realtime()) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> Realtime.allowedHere();
        };
    }

    /** Whether urgent threads ask for real-time scheduling. */
    public boolean realtime() {
        return realtime;
    }

    @Override
    public void enter(Urgency urgency) {
        if (priorities) {
            Thread.currentThread().setPriority(urgency.onAlarmPath() ? Thread.MAX_PRIORITY : Thread.NORM_PRIORITY);
        }
        if (realtime && urgency.onAlarmPath()) {
            Realtime.applyToCurrentThread();
        }
    }

    @Override
    public boolean serveAlongside(Urgency urgency, long pid, String name) {
        return realtime && urgency.onAlarmPath() && Realtime.applyToProcess(pid, name);
    }
}
