package io.safegrid.node.threads;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.model.bus.Urgency;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says at start whether the alarm path's threads ({@link Urgency#URGENT}) really run ahead of bulk
 * work: the JVM maps Java priorities to the OS only with {@code -XX:ThreadPriorityPolicy=1}, and the
 * OS lets a process raise one only with root, {@code CAP_SYS_NICE} or a nice limit. Without both the
 * node works the same, but on a busy node an alarm waits for a core behind recording.
 */
public final class UrgencyCheck {
    private static final Logger LOG = LoggerFactory.getLogger(UrgencyCheck.class);
    static final int UNKNOWN = Integer.MIN_VALUE;

    private UrgencyCheck() {
    }

    /**
     * Logs how urgent threads are scheduled and publishes it: their nice value as
     * {@code safegrid.node.urgent.nice}, and {@code safegrid.node.urgent.realtime} 1 when they run
     * real-time ({@link Realtime}).
     */
    public static void report(Scheduling scheduling, MeterRegistry registry) {
        int[] seen = urgentThread(scheduling);
        int nice = seen[0];
        boolean realtime = seen[1] == Realtime.SCHED_FIFO_POLICY;
        // a supplier gauge: Micrometer holds it strongly (a gauge on an object keeps only a weak
        // reference, and a local AtomicInteger read NaN after the first collection)
        Gauge.builder("safegrid.node.urgent.nice", () -> nice == UNKNOWN ? Double.NaN : nice)
                .description("OS nice value of the alarm path's threads (below 0: ahead of bulk work)").register(registry);
        Gauge.builder("safegrid.node.urgent.realtime", () -> realtime ? 1 : 0)
                .description("1 when the alarm path's threads run real-time (SCHED_FIFO), ahead of all other work").register(registry);
        if (realtime) {
            LOG.info("alarm path threads run real-time (SCHED_FIFO {}), ahead of all other work", Realtime.PRIORITY);
            return;
        }
        if (scheduling.realtime()) {
            LOG.warn("real-time scheduling of the alarm path was refused ({}); give the service LimitRTPRIO=1 or compose"
                    + " ulimits rtprio: 1 (docs/operations.md)", Realtime.refusal());
        }
        if (nice == UNKNOWN) {
            LOG.info("cannot read thread priorities on this OS; the alarm path's threads run at the JVM's default");
        } else if (nice < 0) {
            LOG.info("alarm path threads run at nice {}, ahead of bulk work such as recording", nice);
        } else {
            LOG.warn("alarm path threads run at the normal OS priority (nice {}): on a busy node alarms wait for a core"
                    + " behind recording. Start the JVM with -XX:ThreadPriorityPolicy=1 as root, with CAP_SYS_NICE or"
                    + " with LimitNICE=-5 (the safegrid launcher adds the flag when allowed); see docs/operations.md", nice);
        }
    }

    /** The nice value an {@link Urgency#URGENT} thread gets here, or {@link #UNKNOWN}. */
    static int urgentNice(Scheduling scheduling) {
        return urgentThread(scheduling)[0];
    }

    /** Nice value ({@link #UNKNOWN} where unreadable) and scheduling policy (-1 where unreadable) of a fresh {@link Urgency#URGENT} thread. */
    private static int[] urgentThread(Scheduling scheduling) {
        return scheduling.makeOn(Urgency.URGENT, () -> new int[] {Realtime.niceOfCurrentThread().orElse(UNKNOWN),
                Realtime.policyOfCurrentThread()});
    }
}
