package io.safegrid.ingest.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.DataFlag;
import io.safegrid.model.reading.Period;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.reading.Statistic;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    static Reading reading(int i, Instant received) {
        return new Reading("甲烷-" + (i % 3), GridPath.of("county", "mine-7"), "methane", i / 100.0,
                received.minusSeconds(1), Period.MINUTE, Statistic.AVG, DataFlag.C, received);
    }

    static List<Reading> readings(int from, int n) {
        Instant now = Instant.now();
        return IntStream.range(from, from + n).mapToObj(i -> reading(i, now)).toList();
    }

    JournalSettings settings(long segmentBytes, long maxBytes) {
        return new JournalSettings(dir, JournalSettings.Fsync.NONE, Duration.ofSeconds(1), maxBytes, Duration.ofHours(1),
                segmentBytes, Duration.ofSeconds(1));
    }

    Journal open(JournalSettings s) throws IOException {
        return Journal.open(s, meters, Clock.systemUTC());
    }

    static List<Reading> replay(Journal j) throws IOException {
        List<Reading> out = new ArrayList<>();
        j.replay(out::add);
        return out;
    }

    double count(String name) {
        return meters.counter(name).count();
    }

    @Test
    void everyFieldComesBackInOrderAfterAReopen() throws Exception {
        List<Reading> written = new ArrayList<>();
        try (Journal j = open(settings(4096, 1 << 20))) {
            for (int g = 0; g < 20; g++) {
                List<Reading> group = readings(g * 7, 7);
                assertThat(j.append(group)).isEqualTo((g + 1) * 7L);
                written.addAll(group);
            }
        }
        try (Journal j = open(settings(4096, 1 << 20))) {
            assertThat(replay(j)).containsExactlyElementsOf(written);
            assertThat(j.lastSequence()).isEqualTo(140);
            assertThat(j.append(readings(0, 1))).as("sequences go on after a restart").isEqualTo(141);
        }
        assertThat(count("safegrid.journal.replayed")).isEqualTo(140);
        assertThat(count("safegrid.journal.appended")).isEqualTo(141);
    }

    @Test
    void aCheckpointForgetsWhatItCoversAndDeletesItsSegments() throws Exception {
        try (Journal j = open(settings(2048, 1 << 20))) {
            for (int g = 0; g < 50; g++) {
                j.append(readings(g * 4, 4));
            }
            int before = segments().size();
            j.confirm(150);
            assertThat(segments().size()).isLessThan(before);
            assertThat(j.unconfirmed()).isEqualTo(50);
        }
        try (Journal j = open(settings(2048, 1 << 20))) {
            List<Reading> again = replay(j);
            assertThat(again).hasSize(50);
            assertThat(again.get(0).value()).isEqualTo(150 / 100.0);
            j.confirm(j.lastSequence());
            assertThat(replay(j)).isEmpty();
        }
        try (Journal j = open(settings(2048, 1 << 20))) {
            assertThat(replay(j)).as("the confirmed checkpoint survives a restart").isEmpty();
        }
    }

    @Test
    void aTornTailFromAKillIsCutAndWhatCameBeforeItIsKept() throws Exception {
        try (Journal j = open(settings(1 << 20, 4 << 20))) {
            j.append(readings(0, 10));
        }
        Path seg = segments().get(segments().size() - 1);
        long good = Files.size(seg);
        try (Journal j = open(settings(1 << 20, 4 << 20))) {
            j.append(readings(10, 5));
        }
        Path last = segments().get(segments().size() - 1);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(last) - 7);   // the kill came in the middle of the last entry
        }
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[]{0, 0, 0, 40, 1, 2, 3}));   // and garbage after a good end
        }
        try (Journal j = open(settings(1 << 20, 4 << 20))) {
            assertThat(Files.size(seg)).isEqualTo(good);
            List<Reading> back = replay(j);
            assertThat(back).hasSize(14);
            assertThat(back).extracting(Reading::value).startsWith(0.0, 0.01).endsWith(0.13);
        }
        assertThat(count("safegrid.journal.torn")).isEqualTo(2);
    }

    @Test
    void pastItsSizeLimitTheOldestUnconfirmedSegmentIsDroppedAndCounted() throws Exception {
        try (Journal j = open(settings(4096, 16384))) {
            for (int g = 0; g < 100; g++) {
                j.append(readings(g * 10, 10));
            }
            assertThat(j.bytes()).isLessThanOrEqualTo(16384 + 4096);
            assertThat(count("safegrid.journal.dropped")).isPositive();
            List<Reading> left = replay(j);
            assertThat(left.size() + (long) count("safegrid.journal.dropped")).isEqualTo(1000);
            assertThat(left.get(left.size() - 1).value()).isEqualTo(9.99);
        }
    }

    @Test
    void readingsOlderThanTheMaximumAgeAreNotReplayedButCounted() throws Exception {
        Instant old = Instant.now().minus(Duration.ofHours(2));
        try (Journal j = open(settings(1 << 20, 4 << 20))) {
            j.append(List.of(reading(1, old), reading(2, old)));
            j.append(readings(3, 1));
        }
        try (Journal j = open(settings(1 << 20, 4 << 20))) {
            assertThat(replay(j)).extracting(Reading::value).containsExactly(0.03);
        }
        assertThat(count("safegrid.journal.expired")).isEqualTo(2);
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(Journal.SUFFIX)).sorted().toList();
        }
    }
}
