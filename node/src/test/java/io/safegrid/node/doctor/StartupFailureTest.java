package io.safegrid.node.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.config.AlarmsConfig;
import io.safegrid.config.Deployment;
import io.safegrid.testing.Deployments;
import java.sql.SQLException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a node prints when its PostgreSQL alarm store is held by another alerting node. */
class StartupFailureTest {

    @Test
    void anAlarmStoreHeldByAnotherNodeNamesItsKeyAndTheStandbyFix() {
        Deployment d = Deployments.builder()
                .alarms(AlarmsConfig.at("jdbc:postgresql://db:5432/safegrid?password=secret", "safegrid", "secret")).build();
        Finding f = StartupFailure.explain(new IllegalStateException(new SQLException(
                "the alarm store jdbc:postgresql://db:5432/safegrid is in use by another SafeGrid alerting node", "55P03")),
                d, Set.of("alerting"));
        assertThat(f).isNotNull();
        String line = f.line(Texts.of("en"));
        assertThat(line).startsWith("alarms.store.url: the alarm store at jdbc:postgresql://db:5432/safegrid is held by")
                .contains("alarms.standby: true").doesNotContain("secret");
        assertThat(f.line(Texts.of("zh"))).contains("告警库", "alarms.standby: true");
    }
}
