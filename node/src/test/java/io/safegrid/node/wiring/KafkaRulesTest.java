package io.safegrid.node.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.bus.kafka.KafkaBus;
import io.safegrid.bus.kafka.embedded.EmbeddedKafka;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.AlarmQuery;
import io.safegrid.node.TestCounty;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On Kafka a device's readings may reach any ingest node, so ingest judges nothing and the rules read
 * READINGS as a consumer group of their own: a reading over the limit still becomes an alarm.
 */
class KafkaRulesTest {
    @TempDir
    Path dir;

    @Test
    void onKafkaTheRulesJudgeWhatTheyReadFromTheBus() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(Files.createDirectories(dir.resolve("kafka")))) {
            String yaml = TestCounty.yaml(Files.createDirectories(dir.resolve("node")))
                    + "\nbus: {kind: kafka, bootstrap-servers: \"" + kafka.bootstrapServers()
                    + "\", topic-prefix: rules., partitions: 2}\n";
            Deployment d = new DeploymentLoader(k -> null).read("county.yaml", yaml, null);
            try (Node node = new Node(ConfigSource.of(d), null, Metrics.create()).start()) {
                assertThat(node.bus()).isInstanceOf(KafkaBus.class);
                MqttClient c = new MqttClient("tcp://127.0.0.1:" + node.stages().mqttPort(), "kc-ch4-t1", new MemoryPersistence());
                MqttConnectOptions o = new MqttConnectOptions();
                o.setUserName("kc-ch4-t1");
                o.setPassword("demo-kc-ch4-t1-7Qx2".toCharArray());
                c.connect(o);
                c.publish("safegrid/kecheng-coal/kc-ch4-t1/readings", "{\"value\":1.2}".getBytes(StandardCharsets.UTF_8), 1, false);
                c.disconnect();
                c.close();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(node.stages().alarmDesk()
                        .list(AlarmQuery.all().page(0, 500)).items())
                        .anySatisfy(a -> {
                            assertThat(a.sourceId()).isEqualTo("kc-ch4-t1");
                            assertThat(a.level()).isEqualTo(Level.ORANGE);
                        }));
            }
        }
    }
}
