package io.safegrid.record;

import static io.safegrid.record.RecordFixtures.FACE1;
import static io.safegrid.record.RecordFixtures.config;
import static io.safegrid.record.RecordFixtures.settings;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record table QuestDB suspended (it still takes HTTP writes, but shows nothing): the watch sees
 * it in {@code wal_tables()}, the recorder holds points in its spool and says it is down, and once
 * the table is resumed every point is there.
 */
class WalWatchTest {
    /**
     * Ten minutes before the last midnight (UTC): the first big batch crosses into a new day partition, which
     * the WAL's apply job must allocate on the full disk. Within one day's partition QuestDB refuses the lines
     * at ingest instead, and whether a run saw that depended on the hour it ran at.
     */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(10, ChronoUnit.MINUTES);
    @TempDir
    Path dir;
    private EmbeddedQuestDb questDb;
    private Recorder recorder;
    private InProcessBus bus;
    private io.safegrid.testing.SmallDisk disk;

    @AfterEach
    void stop() throws Exception {
        if (recorder != null) {
            recorder.close();
        }
        if (bus != null) {
            bus.close();
        }
        if (questDb != null) {
            questDb.close();
        }
        if (disk != null) {
            disk.close();
        }
    }

    private long readings() throws Exception {
        return RecordFixtures.questDbRow(questDb.url(), questDb.authorization(), "select count() from reading").get(0).asLong();
    }

    private void publish(int from, int n) throws Exception {
        for (int i = from; i < from + n; i++) {
            bus.publish(Topic.READINGS, "ch4-1", Reading.sample("ch4-1", FACE1, "ch4", 0.1 + i * 0.001, T0.plusSeconds(i)));
        }
    }

    @Test
    void aFullDiskSuspendsTablesAndTheRecordIsDownUntilSpaceReturnsThenEveryPointIsThere() throws Exception {
        disk = io.safegrid.testing.SmallDisk.mount(dir.resolve("small"), 1024);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RecordSettings s = settings(disk.dir.resolve("record"));
        questDb = new EmbeddedQuestDb(s).start();
        bus = new InProcessBus();
        recorder = new Recorder(s, questDb.url(), config(), bus, registry);
        WalWatch wal = new WalWatch(questDb.url(), questDb.authorization(), Duration.ofSeconds(1), Duration.ofMillis(300), registry);
        recorder.writeOnlyWhile(wal::healthy);
        recorder.start();
        publish(0, 20);
        await().atMost(Duration.ofSeconds(30)).until(() -> readings() == 20);
        wal.check();
        assertThat(wal.healthy()).isTrue();

        disk.fill();
        long t0 = System.nanoTime();
        int[] sent = {20};
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            publish(sent[0], 20_000);
            sent[0] += 20_000;
            wal.check();
            return !wal.healthy() || !recorder.serverUp();
        });
        System.out.printf("record down %d ms after the disk filled: wal healthy %s, server up %s, suspended %s%n",
                (System.nanoTime() - t0) / 1_000_000, wal.healthy(), recorder.serverUp(),
                registry.get("safegrid.record.wal.suspended").gauge().value());

        disk.free();
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            wal.check();
            return wal.healthy() && recorder.serverUp() && readings() == sent[0];
        });
    }
}
