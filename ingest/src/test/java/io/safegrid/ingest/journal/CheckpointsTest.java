package io.safegrid.ingest.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.Reading;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
    @TempDir
    Path dir;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    static List<Reading> two() {
        Instant now = Instant.now();
        return List.of(Reading.sample("a", GridPath.of("x"), "methane", 1, now), Reading.sample("b", GridPath.of("x"), "co", 2, now));
    }

    @Test
    void theCheckpointMovesOnlyWhenEveryStageConfirmsAndTheLastOneSaysWhatIsLeft() throws Exception {
        Journal j = Journal.open(new JournalSettings(dir, JournalSettings.Fsync.INTERVAL, Duration.ofMillis(50), 16L << 20,
                Duration.ofHours(1), 1L << 20, Duration.ofMillis(100)), meters, Clock.systemUTC());
        AtomicBoolean recordUp = new AtomicBoolean(true);
        Checkpoints c = new Checkpoints(j, List.of(Checkpoints.Stage.of("bus", t -> true),
                Checkpoints.Stage.of("record", t -> recordUp.get())), meters);
        c.start();
        j.append(two());
        await().atMost(Duration.ofSeconds(30)).until(() -> j.confirmed() == 2);
        recordUp.set(false);
        j.append(two());
        await().atMost(Duration.ofSeconds(30)).until(() -> meters.counter("safegrid.journal.checkpoint.stalls").count() > 0);
        assertThat(j.confirmed()).isEqualTo(2);
        assertThat(j.unconfirmed()).isEqualTo(2);
        c.close();
        try (Journal again = Journal.open(JournalSettings.defaults(dir), new SimpleMeterRegistry(), Clock.systemUTC())) {
            assertThat(again.replay(r -> { })).as("what the record never confirmed comes back").isEqualTo(2);
        }
    }
}
