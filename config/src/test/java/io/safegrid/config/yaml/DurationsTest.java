package io.safegrid.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsWhatPeopleWrite() {
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse(" 1H 5M ")).isEqualTo(Duration.ofMinutes(65));
        assertThat(Durations.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("0s")).isZero();
    }

    @Test
    void rejectsNumbersWithoutUnitsAndJunk() {
        for (String bad : new String[] {"60", "", "s", "10 minutes", "1h-5m", "-5s", "5x"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Durations.parse("60")).hasMessage("'60' is not a duration (write e.g. 30s, 10m, 1h, 1h30m, 500ms)");
    }

    @Test
    void formatsBackToWhatItReads() {
        for (Duration d : new Duration[] {Duration.ofSeconds(90), Duration.ofHours(26), Duration.ofMillis(1500), Duration.ZERO}) {
            assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
        }
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    }
}
