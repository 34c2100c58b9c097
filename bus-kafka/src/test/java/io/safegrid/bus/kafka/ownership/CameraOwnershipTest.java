package io.safegrid.bus.kafka.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.kafka.embedded.EmbeddedKafka;
import io.safegrid.bus.kafka.KafkaBus;
import io.safegrid.bus.kafka.KafkaBusSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class CameraOwnershipTest {
    private static final Logger LOG = LoggerFactory.getLogger(CameraOwnershipTest.class);
    @TempDir
    static Path logs;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void broker() throws Exception {
        kafka = EmbeddedKafka.start(logs);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static KafkaBusSettings settings(String prefix, String node) {
        // the bus creates the cameras topic; 6 shares, a 3 s session so the crash case stays short
        return KafkaBusSettings.of(kafka.bootstrapServers(), prefix, 6, node).withSessionTimeout(Duration.ofSeconds(3));
    }

    private static final List<String> CAMERAS = IntStream.range(0, 40).mapToObj(i -> "cam-" + i).toList();

    private static Set<String> owned(CameraOwnership o) {
        Set<String> s = new HashSet<>();
        CAMERAS.stream().filter(o::owns).forEach(s::add);
        return s;
    }

    @Test
    void twoNodesSplitTheCamerasAndTheSurvivorTakesAllWhenOneLeaves() throws Exception {
        try (KafkaBus bus = new KafkaBus(settings("own1.", "a"), new SimpleMeterRegistry());
             CameraOwnership a = new CameraOwnership(settings("own1.", "a"), new SimpleMeterRegistry());
             CameraOwnership b = new CameraOwnership(settings("own1.", "b"), new SimpleMeterRegistry())) {
            AtomicInteger bChanges = new AtomicInteger();
            b.onChange(bChanges::incrementAndGet);
            a.start();
            b.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> a.ownedPartitions().size() + b.ownedPartitions().size() == 6
                    && !a.ownedPartitions().isEmpty() && !b.ownedPartitions().isEmpty());
            assertThat(owned(a)).doesNotContainAnyElementsOf(owned(b));
            Set<String> all = new HashSet<>(owned(a));
            all.addAll(owned(b));
            assertThat(all).containsExactlyInAnyOrderElementsOf(CAMERAS);
            // the partition of a camera is Kafka's own key hash, so a producer keyed by camera id agrees
            assertThat(a.partitionOf("cam-7")).isEqualTo(b.partitionOf("cam-7")).isBetween(0, 5);

            long t0 = System.nanoTime();
            a.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> owned(b).size() == CAMERAS.size());
            LOG.info("clean leave: survivor owned every camera after {} ms", (System.nanoTime() - t0) / 1_000_000);
            // listeners run after the owned set is updated, so the count may trail the await above by a moment
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(bChanges.get()).isGreaterThanOrEqualTo(2));
        }
    }

    @Test
    void aNodeThatDiesLosesItsCamerasAfterTheSessionTimeout() throws Exception {
        try (KafkaBus bus = new KafkaBus(settings("own2.", "a"), new SimpleMeterRegistry());
             CameraOwnership a = new CameraOwnership(settings("own2.", "a"), new SimpleMeterRegistry());
             CameraOwnership b = new CameraOwnership(settings("own2.", "b"), new SimpleMeterRegistry())) {
            a.start();
            b.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> !a.ownedPartitions().isEmpty() && !b.ownedPartitions().isEmpty()
                    && a.ownedPartitions().size() + b.ownedPartitions().size() == 6);
            long t0 = System.nanoTime();
            a.closeWithoutLeaving();
            await().atMost(Duration.ofSeconds(30)).until(() -> b.ownedPartitions().size() == 6);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            LOG.info("crash: survivor owned every camera after {} ms (session timeout 3000 ms)", ms);
            // it took the group's failure detection, not a goodbye
            assertThat(ms).isGreaterThanOrEqualTo(2_000);
        }
    }
}
