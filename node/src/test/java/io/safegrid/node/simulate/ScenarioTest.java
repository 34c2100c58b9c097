package io.safegrid.node.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.config.Deployment;
import io.safegrid.config.demo.DemoCounty;
import io.safegrid.model.device.Sensor;
import org.junit.jupiter.api.Test;

class ScenarioTest {

    /** The demo's mine has a power-off controller that works: the demo shows the rule, not a violation. */
    @Test
    void theDemoMinesFeedIsCutWheneverItsMethaneReachesThePowerOffLimit() {
        Deployment d = DemoCounty.load(name -> null);
        Scenario scenario = new Scenario(d, 212);
        Sensor methane = d.sensors().stream().filter(s -> s.id().equals("kc-ch4-t1")).findFirst().orElseThrow();
        Sensor feed = d.sensors().stream().filter(s -> s.id().equals("kc-feed-t1")).findFirst().orElseThrow();
        int high = 0;
        int on = 0;
        for (long t = 0; t < scenario.cycleMs() + Scenario.FIRST_INCIDENT_MS; t += 500) {
            double ch4 = scenario.value(methane, t);
            double power = scenario.value(feed, t);
            if (ch4 >= 1.5) {
                high++;
                assertThat(power).as("feed at %d ms with methane %.3f", t, ch4).isEqualTo(0.0);
            }
            if (power == 1.0) {
                on++;
            }
        }
        assertThat(high).as("the working face's incident reaches the power-off limit").isPositive();
        assertThat(on).as("power is on while methane is normal").isPositive();
    }
}
