package io.safegrid.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.safegrid.config.AlarmsConfig;
import io.safegrid.config.ConfigException;
import io.safegrid.config.Deployment;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code alarms:} section: where the alarm path keeps its state. */
class AlarmsSectionTest {
    private static final String HEAD = HazardsSectionTest.HEAD;

    private static Deployment read(String yaml, Map<String, String> env) {
        return HazardsSectionTest.read(yaml, env);
    }

    @Test
    void leftOutTheStoreIsTheEmbeddedFile() {
        AlarmsConfig a = read(HEAD, Map.of()).alarms();
        assertThat(a).isEqualTo(AlarmsConfig.defaults());
        assertThat(a.postgres()).isFalse();
    }

    @Test
    void aPostgresStoreIsReadWithItsSecretFromTheEnvironment() {
        AlarmsConfig a = read(HEAD + """
                alarms:
                  store: {url: "jdbc:postgresql://db:5432/safegrid", user: safegrid, password: "${ALARM_DB_PASSWORD}"}
                """, Map.of("ALARM_DB_PASSWORD", "s3cret")).alarms();
        assertThat(a).isEqualTo(AlarmsConfig.at("jdbc:postgresql://db:5432/safegrid", "safegrid", "s3cret"));
        assertThat(a.postgres()).isTrue();
        assertThat(a.toString()).doesNotContain("s3cret");
    }

    @Test
    void aStandbyWaitsForAPostgresStoreAndNeedsOne() {
        AlarmsConfig a = read(HEAD + """
                alarms:
                  store: {url: "jdbc:postgresql://db:5432/safegrid", user: safegrid}
                  standby: true
                """, Map.of()).alarms();
        assertThat(a.standby()).isTrue();
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> read(HEAD + """
                alarms:
                  standby: true
                """, Map.of()));
        assertThat(e.getMessage()).contains("alarms.standby", "PostgreSQL");
    }

    @Test
    void aUrlOfAnotherDatabaseIsNamedWithItsKey() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> read(HEAD + """
                alarms:
                  store: {url: "mysql://x", pasword: y}
                """, Map.of()));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("alarms.store.url").contains("jdbc:postgresql:").contains("pasword");
    }
}
