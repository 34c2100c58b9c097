package io.safegrid.record;

import static io.safegrid.record.RecordFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.reading.Reading;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record as the node starts it with default settings, across a node restart. */
class RecordServiceTest {
    @TempDir
    Path dataDir;

    @Test
    void defaultsRecordIntoTheEmbeddedStoreAndHistorySurvivesARestart() throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (InProcessBus bus = new InProcessBus();
             RecordService record = RecordService.start(RecordSettings.defaults(dataDir), config(), bus, registry)) {
            assertThat(record.questDbUrl()).startsWith("http://127.0.0.1:");
            bus.publish(Topic.READINGS, "ch4-9", Reading.sample("ch4-9", FACE1, "ch4", 0.42, t));
            await().atMost(Duration.ofSeconds(60)).until(() -> record.history().raw("ch4-9", "ch4", t, t.plusSeconds(1), 10).size() == 1);
            assertThat(record.recorder().serverUp()).isTrue();
            assertThat(registry.get("safegrid.record.server.up").gauge().value()).isEqualTo(1);
        }
        try (InProcessBus bus = new InProcessBus();
             RecordService again = RecordService.start(RecordSettings.defaults(dataDir), config(), bus, new SimpleMeterRegistry())) {
            assertThat(again.history().raw("ch4-9", "ch4", t, t.plusSeconds(1), 10))
                    .containsExactly(new HistoryQueries.Sample(t, 0.42));
        }
    }
}
