package io.safegrid.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.safegrid.config.AssessmentConfig;
import io.safegrid.config.ConfigError;
import io.safegrid.config.ConfigException;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code assessment:} section: the accident store, indicator weights, the veto and the scheduled reports. */
class AssessmentSectionTest {
    private static final String HEAD = """
            name: 测试
            grid: {id: xian, kind: county}
            """;

    private static Deployment read(String yaml) {
        return new DeploymentLoader(Map.of("DB_PW", "s3cret")::get).read("county.yaml", yaml, null);
    }

    @Test
    void leftOutItIsEmbeddedWithTheDefaultWeightsAndAFatalVeto() {
        AssessmentConfig a = read(HEAD).assessment();
        assertThat(a).isEqualTo(AssessmentConfig.defaults());
        assertThat(a.weights().values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(100.0);
        assertThat(a.vetoSeverities()).containsExactly("fatal");
    }

    @Test
    void weightsLeftOutKeepTheirDefaultsAndEveryOtherKeyIsRead() {
        AssessmentConfig a = read(HEAD + """
                assessment:
                  store: {url: "jdbc:postgresql://db:5432/safegrid", user: safegrid, password: "${DB_PW}"}
                  weights: {hazard-closure: 30, devices-offline: 0}
                  ack-target: 10m
                  veto: {accidents: [fatal, serious], score: 40}
                  reports:
                    - {node: xian, spans: [weekly, monthly], hour: 7}
                    - {node: xian}
                """).assessment();
        assertThat(a.password()).isEqualTo("s3cret");
        assertThat(a.weight("hazard-closure")).isEqualTo(30.0);
        assertThat(a.weight("devices-offline")).isZero();
        assertThat(a.weight("ack-median")).isEqualTo(10.0);
        assertThat(a.ackTarget()).isEqualTo(Duration.ofMinutes(10));
        assertThat(a.vetoSeverities()).containsExactly("fatal", "serious");
        assertThat(a.vetoScore()).isEqualTo(40.0);
        assertThat(a.reports()).containsExactly(new AssessmentConfig.ScheduledReport("xian", List.of("weekly", "monthly"), 7),
                new AssessmentConfig.ScheduledReport("xian", AssessmentConfig.SPANS, 8));
        assertThat(a.toString()).doesNotContain("s3cret");
    }

    @Test
    void mistakesAreNamedWithTheirKey() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> read(HEAD + """
                assessment:
                  weights: {hazard-closur: 30, ack-median: -1}
                  veto: {accidents: [deadly], score: 120}
                  reports: [{node: xian, spans: [yearly]}]
                """));
        assertThat(e).isNotNull();
        assertThat(e.errors().toString()).contains("hazard-closur");
        assertThat(e.errors()).extracting(ConfigError::path).contains("assessment.weights",
                "assessment.weights.ack-median", "assessment.veto.accidents", "assessment.veto.score",
                "assessment.reports[0].spans");
    }
}
