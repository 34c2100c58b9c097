package io.safegrid.node.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.safegrid.config.ThreadSettings;
import io.safegrid.model.bus.Urgency;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class RealtimeTest {

    @Test
    void withRealTimeOffAnUrgentThreadStaysAnOrdinaryOne() throws Exception {
        AtomicInteger policy = new AtomicInteger(-2);
        Scheduling off = new Scheduling(new ThreadSettings(true, ThreadSettings.Realtime.OFF, 1));
        Thread t = new Thread(off.at(Urgency.URGENT, () -> policy.set(Realtime.policyOfCurrentThread())), "urgent");
        t.start();
        t.join();
        assertThat(policy).hasValue(0); // SCHED_OTHER
    }

    @Test
    void anUrgentThreadRunsRealTimeAndSoDoTheThreadsItStarts() throws Exception {
        assumeTrue(osAllowsRealTime(), "this user may not use real-time scheduling (needs root, CAP_SYS_NICE or RLIMIT_RTPRIO)");
        Scheduling on = new Scheduling(new ThreadSettings(true, ThreadSettings.Realtime.ON, 1));
        AtomicInteger child = new AtomicInteger(-2);
        int own = on.makeOn(Urgency.URGENT, () -> {
            // what an HTTP client's selector thread gets when the client is made here
            Thread t = new Thread(() -> child.set(Realtime.policyOfCurrentThread()));
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return Realtime.policyOfCurrentThread();
        });
        assertThat(own).isEqualTo(Realtime.SCHED_FIFO_POLICY);
        assertThat(child).hasValue(Realtime.SCHED_FIFO_POLICY);
        assertThat(Realtime.refusal()).isNull();
        // a normal thread made afterwards is not affected
        AtomicInteger normal = new AtomicInteger(-2);
        Thread n = new Thread(on.at(Urgency.NORMAL, () -> normal.set(Realtime.policyOfCurrentThread())), "normal");
        n.start();
        n.join();
        assertThat(normal).hasValue(0);
    }

    private static boolean osAllowsRealTime() throws Exception {
        try {
            return new ProcessBuilder("chrt", "--fifo", "1", "true").start().waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
