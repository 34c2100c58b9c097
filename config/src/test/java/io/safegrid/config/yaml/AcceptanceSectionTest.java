package io.safegrid.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.safegrid.config.AcceptanceConfig;
import io.safegrid.config.ConfigError;
import io.safegrid.config.ConfigException;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code acceptance:} section: the reading time window and the ingest journal. */
class AcceptanceSectionTest {
    private static final String HEAD = """
            name: 测试
            grid: {id: xian, kind: county}
            """;

    private static Deployment read(String yaml) {
        return new DeploymentLoader(Map.<String, String>of()::get).read("county.yaml", yaml, null);
    }

    private static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> read(yaml));
        assertThat(e).as("expected the file to be rejected").isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void leftOutTheJournalIsOnAndForcedEverySecond() {
        AcceptanceConfig a = read(HEAD).acceptance();
        assertThat(a).isEqualTo(AcceptanceConfig.defaults());
        assertThat(a.journal()).isTrue();
        assertThat(a.fsync()).isEqualTo("interval");
        assertThat(a.maxClockSkew()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void everyKeyIsRead() {
        AcceptanceConfig a = read(HEAD + """
                acceptance:
                  max-clock-skew: 30s
                  journal: true
                  fsync: always
                  fsync-interval: 200ms
                  journal-max-mb: 256
                  journal-max-age: 6h
                  journal-segment-mb: 16
                  checkpoint-interval: 5s
                """).acceptance();
        assertThat(a).isEqualTo(new AcceptanceConfig(Duration.ofSeconds(30), true, "always", Duration.ofMillis(200),
                256L << 20, Duration.ofHours(6), 16L << 20, Duration.ofSeconds(5)));
    }

    @Test
    void mistakesAreNamedWithTheirKey() {
        List<String> e = errors(HEAD + """
                acceptance:
                  fsync: sometimes
                  max-clock-skew: 0s
                  journal-max-mb: 32
                  journal-segment-mb: 64
                  jurnal: false
                """);
        assertThat(String.join("\n", e)).contains("acceptance.fsync", "none, interval or always")
                .contains("acceptance.max-clock-skew", "above 0")
                .contains("acceptance.journal-segment-mb", "quarter")
                .contains("jurnal");
    }
}
