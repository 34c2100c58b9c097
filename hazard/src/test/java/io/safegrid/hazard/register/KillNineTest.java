package io.safegrid.hazard.register;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.HazardsConfig;
import io.safegrid.config.demo.DemoCounty;
import io.safegrid.hazard.store.HazardDatabase;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.hazard.Actor;
import io.safegrid.model.hazard.HazardEvent;
import io.safegrid.model.hazard.HazardGrade;
import io.safegrid.model.hazard.HazardSource;
import io.safegrid.model.hazard.NewHazard;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A register in another JVM reports hazards and says each id once {@code report} returned; it is
 * killed with SIGKILL mid-run. Every hazard it confirmed must be in the file, with its audit line.
 */
class KillNineTest {
    @TempDir
    Path dir;

    /** The child: reports hazards as fast as it can, printing each id once committed. */
    public static void main(String[] args) throws Exception {
        HazardSettings s = HazardSettings.of(HazardsConfig.defaults(), Path.of(args[0]));
        HazardService r = new HazardService(ConfigSource.of(DemoCounty.load(n -> null)), s, Clock.systemUTC(),
                new SimpleMeterRegistry()).start(false);
        GridPath site = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");
        Actor a = new Actor("zhang-hui", site, false);
        for (int i = 0; ; i++) {
            String id = r.report(a, new NewHazard(site, List.of(), null, HazardSource.SELF_CHECK, null, HazardGrade.GENERAL,
                    null, "隐患 " + i, List.of())).id();
            System.out.println("committed " + id);
            System.out.flush();
        }
    }

    @Test
    void everyConfirmedReportSurvivesSigkill() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KillNineTest.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> confirmed = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            String line;
            while (confirmed.size() < 200 && (line = in.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    confirmed.add(line.substring("committed ".length()));
                }
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(confirmed).hasSize(200);
        HazardSettings s = new HazardSettings(HazardDatabase.embeddedUrl(dir), null, null, 1 << 20, List.of("jpeg"), 5,
                java.time.Duration.ofDays(3), java.time.Duration.ofDays(1), java.time.Duration.ofMinutes(1));
        try (HazardService r = new HazardService(ConfigSource.of(DemoCounty.load(n -> null)), s, Clock.systemUTC(),
                new SimpleMeterRegistry()).start(false)) {
            for (String id : confirmed) {
                assertThat(r.get(id)).as(id).isPresent();
                assertThat(r.timeline(id)).extracting(HazardEvent::type).containsExactly(HazardEvent.Type.REPORTED);
            }
        }
    }
}
