package io.safegrid.node.threads;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.config.ThreadSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class UrgencyCheckTest {
    private static final Scheduling SCHEDULING = new Scheduling(ThreadSettings.defaults());

    @Test
    @EnabledOnOs(OS.LINUX)
    void readsTheNiceValueAnUrgentThreadRunsAt() throws Exception {
        // the test JVM has no -XX:ThreadPriorityPolicy=1, so Java priorities stay Java's own: an urgent
        // thread runs at the process's nice (19th field of /proc/self/stat), which the check must report
        String stat = Files.readString(Path.of("/proc/self/stat"));
        int processNice = Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
        assertThat(UrgencyCheck.urgentNice(SCHEDULING)).isEqualTo(processNice);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void theGaugesStillReadWhatTheNodeGotAfterACollection() {
        // /metrics is read hours after start: a gauge whose state only the gauge refers to must survive GC
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        UrgencyCheck.report(SCHEDULING, registry);
        System.gc();
        System.gc();
        assertThat(registry.get("safegrid.node.urgent.nice").gauge().value()).isEqualTo(UrgencyCheck.urgentNice(SCHEDULING));
        assertThat(registry.get("safegrid.node.urgent.realtime").gauge().value()).isZero(); // real-time is off by default
    }
}
