package io.safegrid.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.safegrid.config.AcceptanceConfig;
import io.safegrid.config.ConfigError;
import io.safegrid.config.ConfigException;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.config.DiskWatermarks;
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
                  disk-warn-free-mb: 4096
                  disk-refuse-free-mb: 1024
                  disk-alarm-reserve-mb: 128
                """).acceptance();
        assertThat(a).isEqualTo(new AcceptanceConfig(Duration.ofSeconds(30), true, "always", Duration.ofMillis(200),
                256L << 20, Duration.ofHours(6), 16L << 20, Duration.ofSeconds(5),
                new DiskWatermarks(4096L << 20, 1024L << 20, 128L << 20)));
    }

    @Test
    void leftOutTheDiskWatermarksAreTwoGibAndHalfAGibWithSixtyFourMibForTheAlarmStore() {
        assertThat(read(HEAD).acceptance().disk()).isEqualTo(new DiskWatermarks(2048L << 20, 512L << 20, 64L << 20));
        assertThat(read(HEAD + "acceptance:\n  disk-refuse-free-mb: 0\n  disk-alarm-reserve-mb: 0\n").acceptance().disk())
                .isEqualTo(new DiskWatermarks(2048L << 20, 0, 0));
    }

    @Test
    void aWarningLevelBelowTheRefusingLevelIsRefused() {
        List<String> e = errors(HEAD + """
                acceptance:
                  disk-warn-free-mb: 100
                  disk-refuse-free-mb: 200
                  disk-alarm-reserve-mb: -1
                """);
        assertThat(String.join("\n", e)).contains("acceptance.disk-warn-free-mb", "at least disk-refuse-free-mb (200)")
                .contains("acceptance.disk-alarm-reserve-mb", "between 0 and");
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
