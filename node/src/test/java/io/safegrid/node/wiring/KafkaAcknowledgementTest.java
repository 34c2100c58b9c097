package io.safegrid.node.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.bus.kafka.embedded.EmbeddedKafka;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.node.TestCounty;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On Kafka the broker's log is the journal: a QoS 1 PUBACK goes out only once the broker has stored the
 * reading ({@code acks=all}), for a burst of pipelined publishes as for one, and none while the broker is away.
 */
class KafkaAcknowledgementTest {
    @TempDir
    Path dir;

    @Test
    void aPubackMeansTheBrokerHoldsTheReading() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(Files.createDirectories(dir.resolve("kafka")));
        boolean brokerUp = true;
        String yaml = TestCounty.yaml(Files.createDirectories(dir.resolve("node")))
                + "\nbus: {kind: kafka, bootstrap-servers: \"" + kafka.bootstrapServers()
                + "\", topic-prefix: acks., partitions: 3}\n";
        Deployment d = new DeploymentLoader(k -> null).read("county.yaml", yaml, null);
        try (Node node = new Node(ConfigSource.of(d), null, Metrics.create()).start()) {
            MqttAsyncClient c = new MqttAsyncClient("tcp://127.0.0.1:" + node.stages().mqttPort(), "kc-ch4-t1",
                    new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setUserName("kc-ch4-t1");
            o.setPassword("demo-kc-ch4-t1-7Qx2".toCharArray());
            o.setMaxInflight(1000);
            c.connect(o).waitForCompletion(30_000);
            List<IMqttDeliveryToken> sent = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sent.add(c.publish("safegrid/kecheng-coal/kc-ch4-t1/readings",
                        ("{\"value\":0." + (100 + i) + "}").getBytes(StandardCharsets.UTF_8), 1, false));
            }
            for (IMqttDeliveryToken t : sent) {
                t.waitForCompletion(30_000);
            }
            assertThat(sent).allMatch(IMqttDeliveryToken::isComplete);
            assertThat(recordsOf(kafka.bootstrapServers(), "acks.readings", "kc-ch4-t1")).isGreaterThanOrEqualTo(40);

            kafka.close();
            brokerUp = false;
            IMqttDeliveryToken held = c.publish("safegrid/kecheng-coal/kc-ch4-t1/readings",
                    "{\"value\":0.5}".getBytes(StandardCharsets.UTF_8), 1, false);
            Thread.sleep(5_000);
            assertThat(held.isComplete()).as("PUBACK while no broker can store the reading").isFalse();
            c.disconnectForcibly(1_000, 1_000);
            c.close(true);
        } finally {
            if (brokerUp) {
                kafka.close();
            }
        }
    }

    /** Readings of the device on the topic, read back by a consumer of its own (the broker still up). */
    private static long recordsOf(String bootstrap, String topic, String device) {
        AtomicLong n = new AtomicLong();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "acks-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (device.equals(r.key())) {
                        n.incrementAndGet();
                    }
                    if (r.headers().lastHeader("safegrid-bundle") != null) {   // readings travel in bundles of lines
                        r.value().lines().filter(l -> l.startsWith(device + "\t")).forEach(l -> n.incrementAndGet());
                    }
                });
                return n.get() >= 40;
            });
        }
        return n.get();
    }
}
