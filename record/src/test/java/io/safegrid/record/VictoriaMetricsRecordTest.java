package io.safegrid.record;

import static io.safegrid.record.RecordFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.reading.Reading;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer against a real server that takes {@code /api/v2/write}: VictoriaMetrics, started and
 * stopped by the test (skipped when the Debian package is not installed). Each reading carries its
 * sequence number as value, so completeness and order per series can be checked point by point.
 */
class VictoriaMetricsRecordTest {
    @TempDir
    Path dir;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void needsServer() {
        assumeTrue(VictoriaMetrics.installed(),
                "victoria-metrics not installed (apt-get install -y victoria-metrics); skipping the real-server tests");
    }

    /** A real sink that also notes what the server acknowledged, in order: the server itself sorts by time. */
    static final class NotingSink implements LineSink {
        final LineSink real;
        final List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());

        NotingSink(LineSink real) { this.real = real; }

        @Override
        public void write(List<String> lines) throws WriteFailure {
            real.write(lines);
            acknowledged.addAll(lines);
        }

        @Override
        public void close() { real.close(); }
    }

    static Reading reading(int seq, Instant base) {
        String device = "ch4-" + (seq % 4);
        return Reading.sample(device, FACE1, "ch4", seq, base.plusMillis(seq));
    }

    double counter(String name) { return registry.counter(name).count(); }

    /** Writing as to a production InfluxDB 2.x: gzip on. */
    RecordSettings influx(String url) {
        RecordSettings s = settings(dir.resolve("node")).withInfluxDb(url, "safegrid", "safegrid", "test-token");
        assertThat(s.gzip()).isTrue();
        return s;
    }

    @Test
    void pointsWrittenByTheRecorderArriveWithTheirGridTags() throws Exception {
        try (VictoriaMetrics vm = new VictoriaMetrics(dir.resolve("vm"), freePort()).start();
             InProcessBus bus = new InProcessBus()) {
            Recorder recorder = new Recorder(influx(vm.url()), config(), bus, registry);
            recorder.start();
            Instant base = Instant.now().minusSeconds(600);
            for (int i = 0; i < 1_000; i++) {
                bus.publish(Topic.READINGS, "ch4-" + (i % 4), reading(i, base));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> vm.count("reading_value") == 1_000);
            Map<Map<String, String>, List<double[]>> series = vm.export("reading_value");
            assertThat(series).hasSize(4);
            Map<String, String> labels = series.keySet().iterator().next();
            assertThat(labels).containsEntry("county", "puxian").containsEntry("township", "keliqiao")
                    .containsEntry("village", "village-3").containsEntry("enterprise", "coalmine-7")
                    .containsEntry("site", "puxian/keliqiao/village-3/coalmine-7/face-1")
                    .containsEntry("metric", "ch4").containsKey("device");
            recorder.close();
            assertThat(counter("safegrid.record.points.written")).isEqualTo(1_000);
            assertThat(counter("safegrid.record.points.spooled")).isZero();
        }
    }

    @Test
    void aServerWhoseDiskIsFullRefusesAndTheRecordIsDownWithTheReasonThenEveryPointArrivesOnce() throws Exception {
        try (io.safegrid.testing.SmallDisk disk = io.safegrid.testing.SmallDisk.mount(dir.resolve("server-disk"), 256);
             VictoriaMetrics vm = new VictoriaMetrics(disk.dir.resolve("vm"), freePort()).start();
             InProcessBus bus = new InProcessBus()) {
            Recorder recorder = new Recorder(influx(vm.url()), config(), bus, registry);
            recorder.start();
            Instant base = Instant.now().minusSeconds(3_600);
            for (int i = 0; i < 1_000; i++) {
                bus.publish(Topic.READINGS, "ch4-" + (i % 4), reading(i, base));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> vm.count("reading_value") == 1_000);

            // below its floor of 10 MB free VictoriaMetrics stops taking data (HTTP 503, "read-only mode");
            // a disk filled to the last byte would fail its own writes first and stop it
            disk.fillLeaving(4L << 20);
            int[] sent = {1_000};
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!recorder.serverUp()) {
                    return true;
                }
                for (int i = sent[0]; i < sent[0] + 100; i++) {
                    bus.publish(Topic.READINGS, "ch4-" + (i % 4), reading(i, base));
                }
                sent[0] += 100;
                return false;
            });
            assertThat(recorder.downReason()).startsWith("disk full").contains("the server at " + vm.url())
                    .contains("read-only mode");
            assertThat(counter("safegrid.record.write.disk.full")).isPositive();
            assertThat(registry.get("safegrid.record.server.up").gauge().value()).isZero();

            disk.free();
            await().atMost(Duration.ofSeconds(60)).until(() -> recorder.serverUp() && recorder.spooledPoints() == 0
                    && recorder.memoryPoints() == 0 && vm.count("reading_value") >= sent[0]);
            recorder.close();
            List<Integer> values = new ArrayList<>();
            vm.export("reading_value").values().forEach(list -> list.forEach(p -> values.add((int) p[1])));
            Collections.sort(values);
            assertThat(values).hasSize(sent[0]);
            for (int i = 0; i < sent[0]; i++) {
                assertThat(values.get(i)).isEqualTo(i);
            }
            assertThat(counter("safegrid.record.points.rejected") + counter("safegrid.record.points.lost")).isZero();
        }
    }

    @Test
    void aServerOutageMidStreamLosesNothingAndKeepsEachSeriesInOrder() throws Exception {
        int total = 40_000;
        try (VictoriaMetrics vm = new VictoriaMetrics(dir.resolve("vm"), freePort()).start();
             InProcessBus bus = new InProcessBus()) {
            RecordSettings s = influx(vm.url()).withSpool(8_000, 8L << 20, 256 * 1024);
            NotingSink sink = new NotingSink(new InfluxLineSink(vm.url(), s));
            Recorder recorder = new Recorder(s, sink, config(), bus, registry, java.time.Clock.systemUTC());
            recorder.start();
            Instant base = Instant.now().minusSeconds(600);
            Thread producer = new Thread(() -> {
                try {
                    for (int i = 0; i < total; i++) {
                        bus.publish(Topic.READINGS, "ch4-" + (i % 4), reading(i, base));
                        if (i % 1_000 == 999) {
                            Thread.sleep(50); // about 20,000 points/s, so the outage falls mid-stream
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            producer.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> counter("safegrid.record.points.written") > 5_000);
            vm.stop();
            await().atMost(Duration.ofSeconds(60)).until(() -> counter("safegrid.record.points.spooled") > 5_000);
            Thread.sleep(500);
            vm.start();
            producer.join();
            await().atMost(Duration.ofSeconds(60)).until(() -> counter("safegrid.record.points.written") >= total
                    && recorder.spooledPoints() == 0);
            recorder.close();

            assertThat(counter("safegrid.record.points.replayed")).isPositive();
            assertThat(counter("safegrid.record.points.dropped")).isZero();
            // the server answered every write; what it took since its restart can show in its export a while later
            await().atMost(Duration.ofSeconds(60)).until(() -> vm.count("reading_value") >= total);
            // exactly every point reached the server, each once
            Map<Map<String, String>, List<double[]>> series = vm.export("reading_value");
            List<Integer> values = new ArrayList<>();
            series.values().forEach(list -> list.forEach(p -> values.add((int) p[1])));
            Collections.sort(values);
            assertThat(values).hasSize(total);
            for (int i = 0; i < total; i++) {
                assertThat(values.get(i)).isEqualTo(i);
            }
            // and each series was acknowledged by the server in the order it was published
            Map<String, Integer> last = new HashMap<>();
            for (String line : sink.acknowledged) {
                String device = line.replaceAll(".*device=([^,]+),.*", "$1");
                int value = (int) Double.parseDouble(line.replaceAll(".* value=([^ ]+) .*", "$1"));
                Integer prev = last.put(device, value);
                assertThat(prev == null ? -1 : prev).as("order of %s", device).isLessThan(value);
            }
            assertThat(sink.acknowledged).hasSize(total);
        }
    }

    @Test
    void pastTheDiskLimitTheOldestAreDroppedAndCountedAndTheNewestSurvive() throws Exception {
        int port = freePort(); // nothing listens here yet: connection refused
        int total = 6_000;
        RecordSettings s = settings(dir.resolve("node")).withBatch(500, Duration.ofMillis(50))
                .withSpool(1_000, 128 * 1024, 32 * 1024);
        Instant base = Instant.now().minusSeconds(600);
        Recorder recorder = new Recorder(s, "http://127.0.0.1:" + port, config(), null, registry);
        recorder.start();
        for (int i = 0; i < total; i++) {
            recorder.record(reading(i, base));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> recorder.memoryPoints() == 0);
        recorder.close();

        double dropped = counter("safegrid.record.points.dropped");
        long kept = recorder.spooledPoints();
        assertThat(dropped).isPositive();
        assertThat(kept + (long) dropped).as("every point is either spooled or counted as dropped").isEqualTo(total);
        assertThat(registry.get("safegrid.record.spool.bytes").gauge().value()).isLessThanOrEqualTo(128 * 1024);
        assertThat(registry.get("safegrid.record.spool.segments").gauge().value()).isPositive();

        // the server appears: what survived is exactly the newest points
        try (VictoriaMetrics vm = new VictoriaMetrics(dir.resolve("vm"), port).start()) {
            SimpleMeterRegistry second = new SimpleMeterRegistry();
            Recorder again = new Recorder(s, vm.url(), config(), null, second);
            again.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> vm.count("reading_value") == kept);
            again.close();
            List<Integer> values = new ArrayList<>();
            vm.export("reading_value").values().forEach(list -> list.forEach(p -> values.add((int) p[1])));
            Collections.sort(values);
            assertThat(values.get(0)).isEqualTo(total - (int) kept);
            assertThat(values.get(values.size() - 1)).isEqualTo(total - 1);
        }
    }

    @Test
    void pointsSpooledBeforeARestartAreReplayedByTheNextRecorder() throws Exception {
        int port = freePort();
        RecordSettings s = settings(dir.resolve("node"));
        Instant base = Instant.now().minusSeconds(600);
        Recorder first = new Recorder(s, "http://127.0.0.1:" + port, config(), null, registry);
        first.start();
        for (int i = 0; i < 3_000; i++) {
            first.record(reading(i, base));
        }
        first.close();
        assertThat(first.spooledPoints()).isEqualTo(3_000);

        try (VictoriaMetrics vm = new VictoriaMetrics(dir.resolve("vm"), port).start();
             InProcessBus bus = new InProcessBus()) {
            SimpleMeterRegistry second = new SimpleMeterRegistry();
            Recorder next = new Recorder(s, vm.url(), config(), bus, second);
            assertThat(second.get("safegrid.record.spool.bytes").gauge().value()).isPositive();
            next.start();
            for (int i = 3_000; i < 3_500; i++) { // new points queue behind the spooled ones
                bus.publish(Topic.READINGS, "ch4-" + (i % 4), reading(i, base));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> vm.count("reading_value") == 3_500);
            next.close();
            assertThat(second.counter("safegrid.record.points.replayed").count()).isGreaterThanOrEqualTo(3_000);
            assertThat(next.spooledPoints()).isZero();
            assertThat(second.get("safegrid.record.spool.bytes").gauge().value()).isZero();
        }
    }
}
