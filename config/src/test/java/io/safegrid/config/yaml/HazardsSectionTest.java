package io.safegrid.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.safegrid.config.ConfigError;
import io.safegrid.config.ConfigException;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.config.HazardsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code hazards:} section: the hazard register's store, photo limits and deadline reminders. */
class HazardsSectionTest {
    static final String HEAD = """
            name: 测试
            grid: {id: xian, kind: county}
            """;

    static Deployment read(String yaml, Map<String, String> env) {
        return new DeploymentLoader(env::get).read("county.yaml", yaml, null);
    }

    @Test
    void leftOutTheRegisterIsEmbeddedWithItsDefaults() {
        HazardsConfig h = read(HEAD, Map.of()).hazards();
        assertThat(h).isEqualTo(HazardsConfig.defaults());
        assertThat(h.url()).isNull();
        assertThat(h.photoMaxBytes()).isEqualTo(8 << 20);
    }

    @Test
    void everyKeyIsReadAndSecretsComeFromTheEnvironment() {
        HazardsConfig h = read(HEAD + """
                hazards:
                  store: {url: "jdbc:postgresql://db:5432/safegrid", user: safegrid, password: "${HAZARD_DB_PASSWORD}"}
                  photo-max-kb: 512
                  photo-types: [jpeg, png]
                  photos-per-hazard: 8
                  warn-before: 2d
                  climb-after: 12h
                  scan-every: 30s
                """, Map.of("HAZARD_DB_PASSWORD", "s3cret")).hazards();
        assertThat(h).isEqualTo(new HazardsConfig("jdbc:postgresql://db:5432/safegrid", "safegrid", "s3cret", 512 << 10,
                List.of("jpeg", "png"), 8, Duration.ofDays(2), Duration.ofHours(12), Duration.ofSeconds(30)));
        assertThat(h.toString()).doesNotContain("s3cret");
    }

    @Test
    void mistakesAreNamedWithTheirKey() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> read(HEAD + """
                hazards:
                  store: {url: "mysql://x"}
                  photo-types: [gif]
                  warn-before: 0s
                """, Map.of()));
        assertThat(e).isNotNull();
        assertThat(e.errors().stream().map(ConfigError::toString).toList()).anySatisfy(s -> assertThat(s).contains("hazards.store.url"))
                .anySatisfy(s -> assertThat(s).contains("hazards.photo-types").contains("gif"))
                .anySatisfy(s -> assertThat(s).contains("hazards.warn-before"));
    }
}
