package io.safegrid.alerting.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.alerting.Fixture;
import io.safegrid.alerting.notify.LogNotifier;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.alarm.AlarmState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the service confirmed before a kill -9 is there after it. */
class KillNineTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void acknowledgedAlarmSurvivesKillNine() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                dir.toString()).redirectErrorStream(true).start();
        String id = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("READY ")) {
                    id = line.substring(6).trim();
                    break;
                }
            }
            assertThat(id).as("child reported its alarm").isNotNull();
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no H2 close
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        try (Fixture fx = new Fixture(dir, new LogNotifier())) {
            fx.start();
            Alarm a = fx.service.get(id).orElseThrow();
            assertThat(a.state()).isEqualTo(AlarmState.ACKNOWLEDGED);
            assertThat(fx.service.timeline(id)).extracting(AlarmEvent::type)
                    .containsSubsequence(AlarmEvent.Type.RAISED, AlarmEvent.Type.ACKNOWLEDGED);
        }
    }
}
