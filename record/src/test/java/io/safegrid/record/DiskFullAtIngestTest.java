package io.safegrid.record;

import static io.safegrid.record.RecordFixtures.FACE1;
import static io.safegrid.record.RecordFixtures.config;
import static io.safegrid.record.RecordFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.reading.Reading;
import io.safegrid.testing.SmallDisk;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded QuestDB's disk fills while the points stay within a day partition it already has:
 * QuestDB refuses the lines at ingest (errno 28) instead of suspending a table. The record says it
 * is down and why, holds the points, and writes each of them once when space returns.
 */
class DiskFullAtIngestTest {
    /** 01:00 UTC yesterday: a whole run's points (one a millisecond) fall in that one day, whatever the hour the test runs. */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(23, ChronoUnit.HOURS);
    @TempDir
    Path dir;
    private SmallDisk disk;
    private InProcessBus bus;
    private RecordService record;

    @AfterEach
    void stop() throws Exception {
        try (SmallDisk unmounted = disk; InProcessBus closed = bus) { // unmounted even when QuestDB fails to close
            if (record != null) {
                record.close();
            }
        }
    }

    private JsonNode sql(String query) throws Exception {
        return RecordFixtures.questDbRow(record.questDbUrl(), record.questDbAuthorization(), query);
    }

    private long readings() throws Exception {
        return sql("select count() from reading").get(0).asLong();
    }

    private void publish(int from, int n) throws InterruptedException {
        for (int i = from; i < from + n; i++) {
            bus.publish(Topic.READINGS, "ch4-1", Reading.sample("ch4-1", FACE1, "ch4", i, T0.plusMillis(i)));
        }
    }

    @Test
    void linesRefusedForAFullDiskAreHeldAndTheRecordIsDownUntilSpaceReturnsThenEachIsThereOnce() throws Exception {
        disk = SmallDisk.mount(dir.resolve("small"), 1024);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // memory holds 20,000 points before the spool (on the same full disk) is asked to take more
        RecordSettings s = settings(disk.dir.resolve("record")).withSpool(20_000, 1L << 30, 16L << 20);
        bus = new InProcessBus();
        record = RecordService.start(s, config(), bus, registry);
        publish(0, 20);
        await().atMost(Duration.ofSeconds(30)).until(() -> readings() == 20);
        assertThat(record.writable()).isTrue();

        disk.fill();
        long filled = System.nanoTime();
        int[] sent = {20};
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!record.writable()) {
                return true;
            }
            publish(sent[0], 2_000); // 10,000 points/s: QuestDB takes a few seconds' worth into space it had reserved
            sent[0] += 2_000;
            return false;
        });
        System.out.printf("record down %d ms after the disk filled, after %d points: suspended %s, lost %s, failures %s, "
                + "spooled %s, memory %s%n", (System.nanoTime() - filled) / 1_000_000, sent[0],
                registry.get("safegrid.record.wal.suspended").gauge().value(),
                registry.get("safegrid.record.points.lost").counter().count(),
                registry.get("safegrid.record.write.failures").counter().count(),
                record.recorder().spooledPoints(), record.recorder().memoryPoints());
        assertThat(registry.get("safegrid.record.up").gauge().value()).isZero();
        // on a loaded machine the first failure can be a timed-out request; the retry meets the refusal
        await().atMost(Duration.ofSeconds(30)).until(() -> String.valueOf(record.downReason()).startsWith("disk full"));
        assertThat(record.downReason()).startsWith("disk full").contains(s.questDbDir().toAbsolutePath().toString())
                .containsIgnoringCase("no space left");
        assertThat(registry.get("safegrid.record.write.disk.full").counter().count()).isPositive();
        // more while it is down, past what memory holds: the spool on the same disk takes what fits (QuestDB gives
        // back what each refused request had taken) and memory the rest
        disk.fill();
        publish(sent[0], 30_000);
        sent[0] += 30_000;
        Thread.sleep(1_000);
        assertThat(record.writable()).isFalse();
        // QuestDB refused the lines at ingest: no table was suspended, so only the write's answer told
        assertThat(registry.get("safegrid.record.wal.suspended").gauge().value()).isZero();

        disk.free();
        long freed = System.nanoTime();
        await().atMost(Duration.ofSeconds(120)).until(() -> record.writable() && readings() >= sent[0]);
        System.out.printf("space back: record up with all %d points %d ms later%n", sent[0],
                (System.nanoTime() - freed) / 1_000_000);
        assertThat(record.downReason()).isNull();
        assertThat(readings()).isEqualTo(sent[0]);
        assertThat(sql("select count_distinct(value) from reading").get(0).asLong()).isEqualTo(sent[0]);
        assertThat(registry.get("safegrid.record.points.lost").counter().count()).isZero();
        assertThat(record.recorder().awaitDurable(Duration.ofSeconds(10))).isTrue();
    }
}
