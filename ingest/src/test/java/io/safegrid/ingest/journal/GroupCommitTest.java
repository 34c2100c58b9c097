package io.safegrid.ingest.journal;

import static io.safegrid.ingest.TestDeployments.CH4;
import static io.safegrid.ingest.TestDeployments.CH4_SECRET;
import static io.safegrid.ingest.TestDeployments.CO_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.safegrid.ingest.IngestFixture;
import io.safegrid.ingest.mqtt.ReadingTopic;
import io.safegrid.model.reading.Reading;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acknowledgements over real sockets wait for the journal; one it cannot write is never acknowledged. */
class GroupCommitTest {
    @TempDir
    Path dir;
    private final IngestFixture fx = new IngestFixture();
    private MqttClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null && client.isConnected()) {
            client.disconnect();
        }
        fx.close();
    }

    private MqttClient connect() throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + fx.ingest.mqttPort(), "gc-" + System.nanoTime(), new MemoryPersistence());
        c.setTimeToWait(30_000);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(CH4);
        o.setPassword(CH4_SECRET.toCharArray());
        o.setAutomaticReconnect(false);
        // Paho frees an in-flight slot on its callback thread, which can lag the PUBACK on a loaded machine
        o.setMaxInflight(1000);
        c.connect(o);
        return c;
    }

    @Test
    void everyAcknowledgedReadingIsInTheJournalAndComesBackFromIt() throws Exception {
        Journal journal = Journal.open(JournalSettings.defaults(dir), fx.registry, Clock.systemUTC());
        fx.ingest.acknowledgeWith(new GroupCommit(journal));
        client = connect();
        String topic = ReadingTopic.of("coalmine-7", CH4);
        for (int i = 1; i <= 200; i++) {
            client.publish(topic, ("{\"value\": " + i + "}").getBytes(StandardCharsets.UTF_8), 1, false);
            // publish returns on PUBACK
            assertThat(journal.lastSequence()).as("PUBACK %d came after the journal held it", i).isGreaterThanOrEqualTo(i);
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + fx.ingest.httpPort() + "/api/v1/readings"))
                .header("Authorization", "Bearer " + CO_SECRET).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\": \"co-01\", \"readings\": [{\"value\": 7}, {\"value\": 8}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(journal.lastSequence()).isEqualTo(202);
        journal.close();

        try (Journal again = Journal.open(JournalSettings.defaults(dir), fx.registry, Clock.systemUTC())) {
            List<Reading> back = new ArrayList<>();
            again.replay(back::add);
            assertThat(back).hasSize(202);
            assertThat(back.subList(0, 200)).extracting(Reading::value)
                    .isEqualTo(java.util.stream.IntStream.rangeClosed(1, 200).mapToObj(i -> (double) i).toList());
            assertThat(back.subList(200, 202)).extracting(Reading::deviceId).containsOnly("co-01");
        }
    }

    @Test
    void aGroupTheJournalCannotWriteIsNotAcknowledgedAndTheDeviceMustSendItAgain() throws Exception {
        Journal journal = Journal.open(JournalSettings.defaults(dir), fx.registry, Clock.systemUTC());
        fx.ingest.acknowledgeWith(new GroupCommit(journal));
        client = connect();
        String topic = ReadingTopic.of("coalmine-7", CH4);
        client.publish(topic, "{\"value\": 1}".getBytes(StandardCharsets.UTF_8), 1, false);
        journal.close();   // as if the disk had failed
        assertThatThrownBy(() -> client.publish(topic, "{\"value\": 2}".getBytes(StandardCharsets.UTF_8), 1, false))
                .isInstanceOf(MqttException.class);
        assertThat(fx.registry.counter("safegrid.journal.append.failures").count()).isEqualTo(1);
    }
}
