package io.safegrid.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.NodeSettings;
import io.safegrid.ingest.mqtt.ReadingTopic;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.finding.Condition;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

class SensorIngestTest {
    static final class MovableClock extends Clock {
        volatile Instant now = Instant.parse("2024-03-15T02:00:00Z");

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override public Clock withZone(ZoneId zone) { return this; }

        @Override public Instant instant() { return now; }
    }

    @Test
    void theOfflineWatchRunsOnItsOwnAndADeviceThatSpeaksAgainIsCleared() throws Exception {
        MovableClock clock = new MovableClock();
        try (IngestFixture fx = new IngestFixture(TestDeployments.deployment(), new InProcessBus(), clock)) {
            clock.now = clock.now.plusSeconds(31);
            await().atMost(Duration.ofSeconds(30)).until(() -> fx.findings.stream()
                    .anyMatch(f -> f.sourceId().equals(TestDeployments.CH4) && f.condition() == Condition.ACTIVE));
            MqttClient c = new MqttClient("tcp://127.0.0.1:" + fx.ingest.mqttPort(), "back", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setUserName(TestDeployments.CH4);
            o.setPassword(TestDeployments.CH4_SECRET.toCharArray());
            c.connect(o);
            c.publish(ReadingTopic.of("coalmine-7", TestDeployments.CH4), "{\"value\": 0.2}".getBytes(StandardCharsets.UTF_8), 1, false);
            c.disconnect();
            c.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> fx.findings.stream()
                    .anyMatch(f -> f.sourceId().equals(TestDeployments.CH4) && f.condition() == Condition.CLEARED));
            assertThat(fx.ingest.sessions().isOffline(TestDeployments.CH4)).isFalse();
            assertThat(fx.ingest.sessions().isOffline(TestDeployments.CO)).isTrue();
        }
    }

    @Test
    void portMinusOneTurnsAListenerOff() {
        NodeSettings n = new NodeSettings("t", NodeSettings.ALL_ROLES, "127.0.0.1", -1, -1, 0, -1, -1, null, 4096, 50, null);
        try (InProcessBus bus = new InProcessBus();
             SensorIngest ingest = new SensorIngest(ConfigSource.of(TestDeployments.deployment(n, List.of())), bus,
                     new SimpleMeterRegistry(), Clock.systemUTC())) {
            ingest.start();
            assertThat(ingest.mqttPort()).isEqualTo(-1);
            assertThat(ingest.httpPort()).isEqualTo(-1);
            assertThat(ingest.hj212Port()).isPositive();
        }
    }
}
