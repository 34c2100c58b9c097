package io.safegrid.ingest.intake;

import static io.safegrid.ingest.TestDeployments.CH4;
import static io.safegrid.ingest.TestDeployments.CH4_SECRET;
import static io.safegrid.ingest.TestDeployments.MN;
import static io.safegrid.ingest.TestDeployments.PW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.ingest.SensorIngest;
import io.safegrid.ingest.TestDeployments;
import io.safegrid.ingest.hj212.Hj212FrameEncoder;
import io.safegrid.ingest.mqtt.ReadingTopic;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.reading.Reading;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bus of one partition holding 4 readings and a consumer that is stuck until the test lets it
 * go: ingest must stop reading (autoRead off), hold what it has, and deliver everything in order.
 */
class BackpressureTest {
    private final InProcessBus bus = new InProcessBus(1, t -> 4);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Reading> got = new CopyOnWriteArrayList<>();
    private final SensorIngest ingest;

    BackpressureTest() {
        bus.subscribe(Topic.READINGS, "slow", (k, r) -> {
            release.await();
            got.add(r);
        });
        ingest = new SensorIngest(ConfigSource.of(TestDeployments.deployment()), bus, registry, Clock.systemUTC());
        ingest.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        ingest.close();
        bus.close();
    }

    private double pauses(String protocol) {
        Counter c = registry.find("safegrid.ingest.backpressure.pauses").tag("protocol", protocol).counter();
        return c == null ? 0 : c.count();
    }

    private long published() {
        return bus.stats().stream().filter(s -> s.topic().equals("readings")).findFirst().orElseThrow().published();
    }

    @Test
    void hj212StreamIsHeldNotDropped() throws Exception {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (int i = 1; i <= 40; i++) {
            frames.writeBytes(Hj212FrameEncoder.frame("QN=20240315103000" + String.format("%03d", i) + ";ST=22;CN=2011;PW="
                    + PW + ";MN=" + MN + ";Flag=4;CP=&&a21005-Rtd=" + i + "&&"));
        }
        try (Socket s = new Socket("127.0.0.1", ingest.hj212Port())) {
            s.getOutputStream().write(frames.toByteArray());
            s.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> pauses("hj212") >= 1);
            Thread.sleep(300);
            assertThat(published()).as("the bus holds only what fits").isLessThan(40);
            release.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 40);
        }
        assertThat(got).extracting(Reading::value)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 40).mapToObj(i -> (double) i).toList());
    }

    @Test
    void mqttPubackWaitsForTheBusAndBatchesLargerThanTheQueueStillGoIn() throws Exception {
        MqttAsyncClient c = new MqttAsyncClient("tcp://127.0.0.1:" + ingest.mqttPort(), "bp", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(CH4);
        o.setPassword(CH4_SECRET.toCharArray());
        o.setMaxInflight(100);
        c.connect(o).waitForCompletion(30_000);
        try {
            String topic = ReadingTopic.of("coalmine-7", CH4);
            List<IMqttDeliveryToken> tokens = new ArrayList<>();
            for (int i = 1; i <= 12; i++) {
                tokens.add(c.publish(topic, ("{\"value\": " + i + "}").getBytes(StandardCharsets.UTF_8), 1, false));
            }
            StringBuilder batch = new StringBuilder("[");
            for (int i = 13; i <= 22; i++) {
                batch.append(i > 13 ? "," : "").append("{\"value\": ").append(i).append('}');
            }
            tokens.add(c.publish(topic, batch.append(']').toString().getBytes(StandardCharsets.UTF_8), 1, false));
            await().atMost(Duration.ofSeconds(30)).until(() -> pauses("mqtt") >= 1);
            Thread.sleep(300);
            assertThat(tokens.get(tokens.size() - 1).isComplete()).as("no PUBACK before the bus takes it").isFalse();
            release.countDown();
            for (IMqttDeliveryToken t : tokens) {
                t.waitForCompletion(30_000);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 22);
            assertThat(got).extracting(Reading::value)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 22).mapToObj(i -> (double) i).toList());
        } finally {
            c.disconnect().waitForCompletion(30_000);
            c.close();
        }
    }
}
