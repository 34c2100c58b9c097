package io.safegrid.model.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class RealtimeTest {

    @AfterEach
    void off() {
        System.clearProperty(Realtime.PROPERTY);
    }

    @Test
    void withoutThePropertyAnUrgentThreadStaysAnOrdinaryOne() throws Exception {
        AtomicInteger policy = new AtomicInteger(-2);
        Thread t = Urgency.URGENT.newThread(() -> policy.set(Realtime.policyOfCurrentThread()), "urgent");
        t.start();
        t.join();
        assertThat(policy).hasValue(0); // SCHED_OTHER
    }

    @Test
    void anUrgentThreadRunsRealTimeAndSoDoTheThreadsItStarts() throws Exception {
        assumeTrue(osAllowsRealTime(), "this user may not use real-time scheduling (needs root, CAP_SYS_NICE or RLIMIT_RTPRIO)");
        System.setProperty(Realtime.PROPERTY, "true");
        AtomicInteger child = new AtomicInteger(-2);
        int own = Urgency.URGENT.makeOnThread(() -> {
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
        Thread n = Urgency.NORMAL.newThread(() -> normal.set(Realtime.policyOfCurrentThread()), "normal");
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
