package io.safegrid.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool on real files: order, prepend, progress across restarts, torn lines, the disk limit. */
class SpoolTest {
    @TempDir
    Path dir;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    Spool open() { return new Spool(dir, 64 * 1024, 8 * 1024, registry, Clock.systemUTC()); }

    static List<String> lines(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "reading,device=d value=" + i + " " + (1_700_000_000_000L + i)).toList();
    }

    /** Everything left, acknowledging as a writer would. */
    static List<String> drain(Spool spool, int batch) {
        List<String> out = new ArrayList<>();
        for (Spool.Batch b = spool.next(batch); b != null; b = spool.next(batch)) {
            out.addAll(b.lines());
            spool.ack(b);
        }
        return out;
    }

    @Test
    void replaysInOrderWithPrependedLinesFirstAcrossSegments() {
        try (Spool spool = open()) {
            spool.append(lines(100, 600)); // several 8 KiB segments
            spool.prepend(lines(0, 100)); // the writer's failed batch: older than anything spooled
            assertThat(registry.get("safegrid.record.spool.segments").gauge().value()).isGreaterThan(2);
            assertThat(drain(spool, 37)).containsExactlyElementsOf(lines(0, 600));
            assertThat(spool.isEmpty()).isTrue();
            assertThat(registry.get("safegrid.record.spool.bytes").gauge().value()).isZero();
        }
    }

    @Test
    void aRestartResumesAfterTheLastAcknowledgedBatch() {
        try (Spool spool = open()) {
            spool.append(lines(0, 50));
            Spool.Batch first = spool.next(20);
            spool.ack(first);
            spool.next(20); // taken but never acknowledged: the process died mid-request
        }
        try (Spool again = open()) {
            assertThat(again.pending()).isEqualTo(30);
            assertThat(drain(again, 100)).containsExactlyElementsOf(lines(20, 50));
        }
    }

    @Test
    void aTornLastLineFromACrashIsDiscarded() throws Exception {
        try (Spool spool = open()) {
            spool.append(lines(0, 10));
        }
        Path segment;
        try (var files = Files.list(dir)) {
            segment = files.filter(p -> p.toString().endsWith(".lp")).findFirst().orElseThrow();
        }
        Files.write(segment, "reading,device=d val".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (Spool again = open()) {
            assertThat(drain(again, 100)).containsExactlyElementsOf(lines(0, 10));
        }
    }

    @Test
    void pastTheLimitWholeOldestSegmentsGoAndAreCounted() {
        try (Spool spool = open()) {
            spool.append(lines(0, 3_000)); // about 150 KiB into a 64 KiB spool
            double dropped = registry.counter("safegrid.record.points.dropped").count();
            assertThat(dropped).isPositive();
            assertThat(spool.bytes()).isLessThanOrEqualTo(64 * 1024);
            List<String> left = drain(spool, 500);
            assertThat(left.size() + (long) dropped).isEqualTo(3_000);
            assertThat(left).containsExactlyElementsOf(lines(3_000 - left.size(), 3_000));
        }
    }

    @Test
    void oneSpoolDirectoryServesOneRecorderAtATime() {
        try (Spool spool = open()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(this::open).hasMessageContaining("in use by another recorder");
        }
        try (Spool again = open()) {
            assertThat(again.isEmpty()).isTrue();
        }
    }

    @Test
    void aWriteTheFullDiskTookOnlyPartOfIsWrittenWholeOnceSpaceReturnsNeitherTornNorTwice() throws Exception {
        try (io.safegrid.testing.SmallDisk disk = io.safegrid.testing.SmallDisk.mount(dir.resolve("small"), 4)) {
            Spool spool = new Spool(disk.dir.resolve("spool"), 64L << 20, 16L << 20, registry, Clock.systemUTC());
            // room for a few pages: the 64 KiB buffer's flush gets part of it onto the disk, then fails
            disk.fillLeaving(10_000);
            List<String> taken = new ArrayList<>();
            int refused = 0;
            for (String line : lines(0, 3_000)) {
                try {
                    spool.append(line);
                    taken.add(line);
                } catch (java.io.UncheckedIOException full) {
                    refused++;
                }
            }
            assertThat(refused).isPositive();
            assertThat(spool.refusing()).isTrue();
            assertThat(spool.force()).isFalse();

            disk.free();
            assertThat(spool.force()).isTrue();
            assertThat(spool.refusing()).isFalse();
            assertThat(drain(spool, 500)).containsExactlyElementsOf(taken);
            spool.close();
        }
    }
}
