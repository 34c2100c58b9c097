package io.safegrid.ingest.mqtt;

import static io.safegrid.ingest.TestDeployments.CH4;
import static io.safegrid.ingest.TestDeployments.CH4_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.safegrid.ingest.IngestFixture;
import io.safegrid.model.reading.Reading;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Debian's mosquitto_pub, MQTT 3.1.1 and 5, against the running ingest. */
class MosquittoPubTest {
    static final Path MOSQUITTO_PUB = Path.of("/usr/bin/mosquitto_pub");

    private IngestFixture fx;

    @BeforeEach
    void start() {
        assumeTrue(Files.isExecutable(MOSQUITTO_PUB), "mosquitto_pub not installed (apt-get install mosquitto-clients)");
        fx = new IngestFixture();
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    record Result(int exit, String output) {
    }

    private Result pub(String version, String user, String password, String topic, String message) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(MOSQUITTO_PUB.toString(), "-h", "127.0.0.1", "-p",
                String.valueOf(fx.ingest.mqttPort()), "-V", version, "-q", "1", "-u", user, "-P", password,
                "-t", topic, "-m", message, "-i", "pub-" + System.nanoTime()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("mosquitto_pub finished").isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void publishesOverMqtt311And5() throws Exception {
        String topic = ReadingTopic.of("coalmine-7", CH4);
        Result v311 = pub("mqttv311", CH4, CH4_SECRET, topic, "{\"value\": 0.31}");
        Result v5 = pub("5", CH4, CH4_SECRET, topic, "[{\"value\": 0.5}, {\"value\": 0.51}]");
        assertThat(v311.exit()).as(v311.output()).isZero();
        assertThat(v5.exit()).as(v5.output()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 3);
        assertThat(fx.readings).extracting(Reading::value).containsExactly(0.31, 0.5, 0.51);
    }

    @Test
    void badPasswordIsRefusedWithEachVersionsCode() throws Exception {
        String topic = ReadingTopic.of("coalmine-7", CH4);
        Result v311 = pub("mqttv311", CH4, "nope", topic, "{\"value\": 1}");
        Result v5 = pub("5", CH4, "nope", topic, "{\"value\": 1}");
        assertThat(v311.exit()).isNotZero();
        assertThat(v311.output()).containsIgnoringCase("bad user name or password");
        assertThat(v5.exit()).isNotZero();
        assertThat(v5.output()).containsIgnoringCase("bad user name or password");
        assertThat(fx.rejected("mqtt", "bad-credentials")).isEqualTo(2);
        assertThat(fx.readings).isEmpty();
    }

    @Test
    void mqtt5GetsAReasonCodeForABadPayload() throws Exception {
        Result r = pub("5", CH4, CH4_SECRET, ReadingTopic.of("coalmine-7", CH4), "not json");
        assertThat(r.output()).containsIgnoringCase("payload format invalid");
        assertThat(fx.rejected("mqtt", "bad-json")).isEqualTo(1);
    }

    @Test
    void mqtt5RefusesATimeNoRuleOrRecordCouldTakeAndTakesTheNextReading() throws Exception {
        String topic = ReadingTopic.of("coalmine-7", CH4);
        Result epoch = pub("5", CH4, CH4_SECRET, topic, "{\"value\": 1, \"ts\": -99999999999999999}");
        Result farFuture = pub("5", CH4, CH4_SECRET, topic, "{\"value\": 1, \"ts\": \"+999999999-01-01T00:00:00Z\"}");
        Result now = pub("5", CH4, CH4_SECRET, topic, "{\"value\": 0.7}");
        assertThat(epoch.output()).containsIgnoringCase("payload format invalid");
        assertThat(farFuture.output()).containsIgnoringCase("payload format invalid");
        assertThat(now.exit()).as(now.output()).isZero();
        assertThat(fx.rejected("mqtt", "bad-time")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.readings.size() == 1);
        assertThat(fx.readings).extracting(Reading::value).containsExactly(0.7);
    }
}
