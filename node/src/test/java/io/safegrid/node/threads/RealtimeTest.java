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

    @Test
    void theProcessServingTheAlarmPathIsMadeRealTimeOnlyWhenItIsTheOneNamed() throws Exception {
        assumeTrue(osAllowsRealTime(), "this user may not use real-time scheduling (needs root, CAP_SYS_NICE or RLIMIT_RTPRIO)");
        Scheduling on = new Scheduling(new ThreadSettings(true, ThreadSettings.Realtime.ON, 1));
        Process server = new ProcessBuilder("sleep", "60").start();   // stands for a database backend: a process of its own
        try {
            long pid = server.pid();
            assertThat(on.serveAlongside(Urgency.URGENT, pid, "postgres"))
                    .as("a number that names another program here is not touched").isFalse();
            assertThat(on.serveAlongside(Urgency.NORMAL, pid, "sleep")).as("bulk work's server keeps its place").isFalse();
            assertThat(policyOf(pid)).isZero();

            assertThat(on.serveAlongside(Urgency.URGENT, pid, "sleep")).isTrue();
            assertThat(policyOf(pid)).isEqualTo(Realtime.SCHED_FIFO_POLICY);

            Scheduling off = new Scheduling(new ThreadSettings(true, ThreadSettings.Realtime.OFF, 1));
            assertThat(off.serveAlongside(Urgency.URGENT, pid, "sleep")).as("real-time is off in this node").isFalse();
        } finally {
            server.destroyForcibly().waitFor();
        }
    }

    private static int policyOf(long pid) throws Exception {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[41 - 3]);
    }

    private static boolean osAllowsRealTime() throws Exception {
        try {
            return new ProcessBuilder("chrt", "--fifo", "1", "true").start().waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
