package io.safegrid.ingest.intake;

import static io.safegrid.ingest.TestDeployments.CH4;
import static io.safegrid.ingest.TestDeployments.CH4_SECRET;
import static io.safegrid.ingest.TestDeployments.CO;
import static io.safegrid.ingest.TestDeployments.CO_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.config.ConfigSource;
import io.safegrid.ingest.SensorIngest;
import io.safegrid.ingest.TestDeployments;
import io.safegrid.ingest.mqtt.ReadingTopic;
import io.safegrid.model.Level;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.judging.Judge;
import io.safegrid.model.reading.Reading;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The judging hop when alerting is behind: FINDINGS holds one finding and its consumer is stuck.
 * The connection whose readings raise findings must be held (reads paused, counted, no PUBACK),
 * while the same event loop keeps serving other connections; once alerting catches up every held
 * reading's finding arrives, none lost, none twice, in order, and only then is it acknowledged.
 */
class JudgedBackpressureTest {
    private final InProcessBus bus = new InProcessBus(1, t -> t == Topic.FINDINGS ? 1 : 64);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CountDownLatch alertingCatchesUp = new CountDownLatch(1);
    private final List<Finding> alerted = new CopyOnWriteArrayList<>();
    private final List<Reading> recorded = new CopyOnWriteArrayList<>();
    /** The thread each reading was judged on, by value: every value in this test is sent once. */
    private final Map<Double, Thread> judgedOn = new ConcurrentHashMap<>();
    private final SensorIngest ingest;

    JudgedBackpressureTest() {
        bus.subscribe(Topic.FINDINGS, "alerting", (k, f) -> {
            alertingCatchesUp.await();
            alerted.add(f);
        });
        bus.subscribe(Topic.READINGS, "record", (k, r) -> recorded.add(r));
        ingest = new SensorIngest(ConfigSource.of(TestDeployments.deployment()), bus, registry, Clock.systemUTC());
        // a threshold rule of its own: every methane reading above 1 raises a finding
        Judge rules = (deviceId, readings) -> {
            List<Finding> out = new ArrayList<>();
            for (Reading r : readings) {
                judgedOn.put(r.value(), Thread.currentThread());
                if (r.value() == 99) {
                    throw new IllegalArgumentException("a judge with a bug");
                }
                if (r.metric().equals("methane") && r.value() > 1) {
                    out.add(new Finding("f-" + r.value(), FindingKind.THRESHOLD, Level.ORANGE, Condition.ACTIVE, deviceId,
                            r.site(), "methane-high", null, r.value(), 1.0, r.time(), "methane " + r.value(), null, Map.of()));
                }
            }
            return out;
        };
        ingest.judgeWith(rules);
        ingest.start();
    }

    @AfterEach
    void stop() {
        alertingCatchesUp.countDown();
        ingest.close();
        bus.close();
    }

    private double count(String name, String protocol) {
        Counter c = registry.find(name).tag("protocol", protocol).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aFullFindingsTopicHoldsOnlyItsConnectionAndTheEventLoopServesTheOthers() throws Exception {
        MqttAsyncClient methane = new MqttAsyncClient("tcp://127.0.0.1:" + ingest.mqttPort(), "held", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(CH4);
        o.setPassword(CH4_SECRET.toCharArray());
        o.setMaxInflight(100);
        methane.connect(o).waitForCompletion(30_000);
        try {
            String topic = ReadingTopic.of("coalmine-7", CH4);
            List<IMqttDeliveryToken> tokens = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {   // 1.5 .. 4.0: six findings; alerting holds one, FINDINGS one
                tokens.add(methane.publish(topic, ("{\"value\": " + (1 + i * 0.5) + "}").getBytes(StandardCharsets.UTF_8), 1, false));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> count("safegrid.ingest.backpressure.findings", "mqtt") >= 1);
            // the pause is counted just after the held finding, on the event loop
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(count("safegrid.ingest.backpressure.pauses", "mqtt")).as("reads paused, counted").isGreaterThanOrEqualTo(1));
            Thread held = judgedOn.get(2.0);
            assertThat(held).as("judged on ingest's event loop").isInstanceOf(FastThreadLocalThread.class);
            Thread.sleep(200);
            assertThat(tokens.get(tokens.size() - 1).isComplete()).as("no PUBACK while its finding waits").isFalse();

            // other connections, one new one each (Netty hands them to its event loops in turn), are served
            // while the methane connection is held, until one was judged on the held connection's event loop
            boolean sameLoopServed = false;
            for (int i = 1; i <= 64 && !sameLoopServed; i++) {
                double v = i / 100.0;
                assertThat(post(CO_SECRET, "{\"deviceId\": \"" + CO + "\", \"value\": " + v + "}"))
                        .as("reading %s of another connection is taken while FINDINGS is full", v).isEqualTo(202);
                sameLoopServed = judgedOn.get(v) == held;
            }
            assertThat(sameLoopServed).as("the held connection's event loop served another connection").isTrue();
            assertThat(alerted).as("alerting is still stuck").isEmpty();

            alertingCatchesUp.countDown();
            for (IMqttDeliveryToken t : tokens) {
                t.waitForCompletion(30_000);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> alerted.size() == 6);
            assertThat(alerted).extracting(Finding::value).containsExactly(1.5, 2.0, 2.5, 3.0, 3.5, 4.0);
            assertThat(recorded.stream().filter(r -> r.deviceId().equals(CH4)).map(Reading::value).toList())
                    .containsExactly(1.5, 2.0, 2.5, 3.0, 3.5, 4.0);
        } finally {
            methane.disconnect().waitForCompletion(30_000);
            methane.close();
        }
    }

    @Test
    void aJudgeThatThrowsLeavesItsReadingOnTheBusOnceAndTheNextIsJudged() throws Exception {
        alertingCatchesUp.countDown();
        MqttAsyncClient methane = new MqttAsyncClient("tcp://127.0.0.1:" + ingest.mqttPort(), "bug", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(CH4);
        o.setPassword(CH4_SECRET.toCharArray());
        methane.connect(o).waitForCompletion(30_000);
        try {
            String topic = ReadingTopic.of("coalmine-7", CH4);
            methane.publish(topic, "{\"value\": 99}".getBytes(StandardCharsets.UTF_8), 1, false).waitForCompletion(30_000);
            methane.publish(topic, "{\"value\": 1.5}".getBytes(StandardCharsets.UTF_8), 1, false).waitForCompletion(30_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> alerted.size() == 1 && recorded.size() == 2);
            Thread.sleep(200);
            assertThat(recorded).extracting(Reading::value).containsExactly(99.0, 1.5);
            assertThat(alerted).extracting(Finding::value).containsExactly(1.5);
            assertThat(count("safegrid.ingest.judge.failures", "mqtt")).isEqualTo(1);
        } finally {
            methane.disconnect().waitForCompletion(30_000);
            methane.close();
        }
    }

    /** One reading over a connection of its own (Connection: close); the status code. */
    private int post(String token, String body) throws Exception {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket("127.0.0.1", ingest.httpPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/readings HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(head.substring(9, 12));
        }
    }
}
