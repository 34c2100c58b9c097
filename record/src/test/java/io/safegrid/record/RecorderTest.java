package io.safegrid.record;

import static io.safegrid.record.RecordFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.reading.Reading;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder's promises that need no particular time-series server. */
class RecorderTest {
    @TempDir
    Path dir;

    @Test
    void aHungServerNeitherHoldsUpTheBusNorLosesAPoint() throws Exception {
        // a server that accepts connections and never answers: every write times out
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             InProcessBus bus = new InProcessBus()) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(hung.accept());
                    }
                } catch (Exception closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            RecordSettings s = settings(dir).withBatch(500, Duration.ofMillis(50)).withSpool(2_000, 64L << 20, 1L << 20)
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMillis(400));
            Recorder recorder = new Recorder(s, "http://127.0.0.1:" + hung.getLocalPort(), config(), bus, registry);
            recorder.start();
            Instant base = Instant.now();
            long started = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                bus.publish(Topic.READINGS, "ch4-" + (i % 8), Reading.sample("ch4-" + (i % 8), FACE1, "ch4", i, base.plusMillis(i)));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> registry.counter("safegrid.record.points.spooled").count() >= 20_000 - 500);
            double seconds = (System.nanoTime() - started) / 1e9;
            // the writer is stuck in a 2 s request timeout the whole time; the bus was not. Held up by the
            // writer, 40 batches of 500 would take 80 s; the bound leaves a loaded machine room below that
            assertThat(seconds).isLessThan(30);
            recorder.close();
            assertThat(registry.counter("safegrid.record.points.written").count()).isZero();
            assertThat(recorder.spooledPoints()).isEqualTo(20_000);
            for (Socket c : held) {
                c.close();
            }
        }
    }

    @Test
    void aStoreSlowerThanTheInputNeitherHoldsUpTheBusNorReordersNorLosesAPoint() throws Exception {
        // a real HTTP store that takes every batch but needs 250 ms for each: about 2,000 points/s, so the
        // bus's 20,000 have 5 s, even on a loaded machine, to be taken before half of them are stored
        List<String> stored = java.util.Collections.synchronizedList(new ArrayList<>());
        com.sun.net.httpserver.HttpServer server = store((ex, lines) -> {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stored.addAll(lines);
            ex.sendResponseHeaders(204, -1);
        });
        int points = 20_000;
        try (InProcessBus bus = new InProcessBus()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            RecordSettings s = settings(dir).withInfluxDb("http://127.0.0.1:" + server.getAddress().getPort(), "o", "b", "")
                    .withBatch(500, Duration.ofMillis(50)).withSpool(2_000, 64L << 20, 1L << 20);
            Recorder recorder = new Recorder(s, config(), bus, registry);
            recorder.start();
            Instant base = Instant.parse("2026-11-29T00:00:00Z");
            for (int i = 0; i < points; i++) {
                bus.publish(Topic.READINGS, "ch4-" + (i % 8), Reading.sample("ch4-" + (i % 8), FACE1, "ch4", i, base.plusMillis(i)));
            }
            // the record's bus consumer has taken every reading while the store still lags far behind
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> delivered(bus) == points);
            int storedWhenTaken = stored.size();
            assertThat(storedWhenTaken).isLessThan(points / 2);
            assertThat(registry.counter("safegrid.record.points.spooled").count()).isPositive();
            assertThat(recorder.serverUp()).isTrue(); // slow is not down: nothing was refused or timed out

            // the store catches up from the spool: every point once, each series in its own order
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> registry.counter("safegrid.record.points.written").count() == points);
            recorder.close();
            assertThat(stored).hasSize(points).doesNotHaveDuplicates();
            java.util.Map<String, Long> last = new java.util.HashMap<>();
            for (String line : stored) {
                String device = line.replaceAll(".*device=([^,]+),.*", "$1");
                long time = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
                assertThat(time).as(line).isGreaterThan(last.getOrDefault(device, Long.MIN_VALUE));
                last.put(device, time);
            }
            assertThat(recorder.spooledPoints()).isZero();
            assertThat(registry.counter("safegrid.record.points.dropped").count()).isZero();
        } finally {
            server.stop(0);
        }
    }

    /** How a test store answers one write request, given its lines (un-gzipped). */
    interface StoreAnswer {
        void answer(com.sun.net.httpserver.HttpExchange ex, List<String> lines) throws java.io.IOException;
    }

    /** A real HTTP store on a free loopback port, started; the caller stops it. */
    private static com.sun.net.httpserver.HttpServer store(StoreAnswer answer) throws java.io.IOException {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v2/write", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if ("gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
            }
            answer.answer(ex, new String(body, java.nio.charset.StandardCharsets.UTF_8).lines().toList());
            ex.close();
        });
        server.start();
        return server;
    }

    private static long delivered(InProcessBus bus) {
        return bus.stats().stream().filter(t -> t.topic().equals(Topic.READINGS.name())).mapToLong(t -> t.delivered())
                .sum();
    }

    @Test
    void theEmbeddedStoreGetsRequestsOf25000LinesAndTheRestWithinFlushInterval() throws Exception {
        List<Integer> batches = java.util.Collections.synchronizedList(new ArrayList<>());
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v2/write", ex -> {
            batches.add((int) new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .lines().count());
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        try {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            RecordSettings s = settings(dir); // embedded target: QuestDB commits once per request
            assertThat(s.requestLines()).isEqualTo(25_000);
            Recorder recorder = new Recorder(s, "http://127.0.0.1:" + server.getAddress().getPort(), config(), null, registry);
            Instant base = Instant.parse("2026-11-29T00:00:00Z");
            for (int i = 0; i < 60_000; i++) { // queued before the writer starts
                recorder.record(Reading.sample("ch4-" + (i % 8), FACE1, "ch4", i, base.plusMillis(i)));
            }
            recorder.start();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> registry.counter("safegrid.record.points.written").count() == 60_000);
            recorder.close();
            assertThat(batches).containsExactly(25_000, 25_000, 10_000);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void settingsRefuseWhatCannotWork() {
        RecordSettings d = RecordSettings.defaults(dir);
        assertThat(d.target()).isEqualTo(RecordSettings.Target.QUESTDB_EMBEDDED);
        assertThat(d.batchLines()).isEqualTo(5_000);
        assertThat(d.withInfluxDb("http://tsdb:8086", "o", "b", "t").requestLines()).isEqualTo(5_000);
        assertThat(d.withSpool(10_000, 1 << 20, 1 << 18).requestLines()).isEqualTo(10_000); // never above memory
        assertThat(d.spoolDir()).isEqualTo(dir.resolve("spool"));
        assertThat(d.questDbDir()).isEqualTo(dir.resolve("questdb"));
        assertThatThrownBy(() -> d.withInfluxDb(" ", "o", "b", "t")).hasMessageContaining("record.url");
        assertThatThrownBy(() -> d.withSpool(100_000, 1 << 20, 1 << 20)).hasMessageContaining("spoolMaxBytes");
        assertThatThrownBy(() -> d.withBatch(5_000, Duration.ZERO)).hasMessageContaining("positive");
    }

    @Test
    void towardsInfluxDbItSendsGzippedBatchesOfFiveThousandWithTokenOrgAndBucket() throws Exception {
        List<Integer> batches = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v2/write", ex -> {
            requests.add(ex.getRequestURI().getQuery() + " | " + ex.getRequestHeaders().getFirst("Content-Encoding")
                    + " | " + ex.getRequestHeaders().getFirst("Authorization"));
            byte[] body = ex.getRequestBody().readAllBytes();
            if ("gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
            }
            batches.add((int) new String(body, java.nio.charset.StandardCharsets.UTF_8).lines().count());
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        try {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            RecordSettings s = settings(dir).withInfluxDb("http://127.0.0.1:" + server.getAddress().getPort(),
                    "puxian-ajj", "safegrid", "s3cret");
            Recorder recorder = new Recorder(s, config(), null, registry);
            for (int i = 0; i < 12_000; i++) { // queued before the writer starts, so batches fill up
                recorder.record(Reading.sample("ch4-" + (i % 8), FACE1, "ch4", i, Instant.now()));
            }
            recorder.start();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> registry.counter("safegrid.record.points.written").count() == 12_000);
            recorder.close();
            assertThat(batches).containsExactly(5_000, 5_000, 2_000);
            assertThat(requests).allSatisfy(r -> assertThat(r)
                    .contains("org=puxian-ajj").contains("bucket=safegrid").contains("precision=ms")
                    .contains("| gzip |").endsWith("Token s3cret"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void awaitDurableWaitsUntilWhatWasOfferedBeforeIsStoredOrSpooled() throws Exception {
        List<String> stored = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        com.sun.net.httpserver.HttpServer server = store((ex, lines) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stored.addAll(lines);
            ex.sendResponseHeaders(204, -1);
        });
        try {
            RecordSettings s = settings(dir).withInfluxDb("http://127.0.0.1:" + server.getAddress().getPort(), "o", "b", "")
                    .withBatch(500, Duration.ofMillis(20));
            Recorder recorder = new Recorder(s, config(), null, new SimpleMeterRegistry());
            recorder.start();
            for (int i = 0; i < 10; i++) {
                recorder.offer("reading,device=d" + i + " value=" + i + " " + (1_700_000_000_000_000_000L + i));
            }
            assertThat(recorder.awaitDurable(Duration.ofMillis(300))).as("the store has not answered").isFalse();
            release.countDown();
            assertThat(recorder.awaitDurable(Duration.ofSeconds(10))).isTrue();
            assertThat(stored).hasSize(10);
            recorder.close();
            assertThat(recorder.awaitDurable(Duration.ofSeconds(1))).as("a stopped recorder confirms nothing").isFalse();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void whenTheStoreAndTheSpoolShareAFullDiskPointsWaitInMemoryTheCheckpointWaitsAndEachArrivesOnce() throws Exception {
        // a real HTTP store that refuses for want of space (as QuestDB does, HTTP 500 errno 28) while `full`
        java.util.concurrent.atomic.AtomicBoolean full = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<String> stored = java.util.Collections.synchronizedList(new ArrayList<>());
        com.sun.net.httpserver.HttpServer server = store((ex, lines) -> {
            if (full.get()) {
                byte[] answer = "{\"code\":\"internal error\",\"message\":\"write error: reading, errno: 28, error: No space left\"}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                ex.sendResponseHeaders(500, answer.length);
                ex.getResponseBody().write(answer);
            } else {
                stored.addAll(lines);
                ex.sendResponseHeaders(204, -1);
            }
        });
        try (io.safegrid.testing.SmallDisk disk = io.safegrid.testing.SmallDisk.mount(dir.resolve("small"), 16);
             InProcessBus bus = new InProcessBus()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            RecordSettings s = settings(disk.dir).withInfluxDb("http://127.0.0.1:" + server.getAddress().getPort(), "o", "b", "")
                    .withBatch(500, Duration.ofMillis(50)).withSpool(2_000, 64L << 20, 1L << 20);
            Recorder recorder = new Recorder(s, config(), bus, registry);
            recorder.start();
            disk.fill();
            Instant base = Instant.parse("2026-11-29T00:00:00Z");
            int[] sent = {0};
            java.util.function.IntConsumer publish = n -> {
                for (int i = sent[0]; i < sent[0] + n; i++) {
                    try {
                        bus.publish(Topic.READINGS, "ch4-" + (i % 8), Reading.sample("ch4-" + (i % 8), FACE1, "ch4", i, base.plusMillis(i)));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                sent[0] += n;
            };
            // past what memory holds (2,000): the spool's disk refuses too, and up to twice that waits in memory
            publish.accept(3_500);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> delivered(bus) == 3_500
                    && !recorder.serverUp());
            assertThat(recorder.downReason()).startsWith("disk full").contains("the server at http://127.0.0.1:");
            assertThat(recorder.memoryPoints()).isGreaterThan(2_000);
            assertThat(registry.counter("safegrid.record.points.lost").count()).isZero();
            // the ingest journal's checkpoint does not pass points that are only in memory
            assertThat(recorder.awaitDurable(Duration.ofMillis(300))).isFalse();

            disk.free();
            full.set(false);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> recorder.serverUp()
                    && recorder.memoryPoints() == 0 && recorder.spooledPoints() == 0);
            assertThat(recorder.downReason()).isNull();
            assertThat(recorder.awaitDurable(Duration.ofSeconds(10))).isTrue();
            assertThat(stored).hasSize(3_500).doesNotHaveDuplicates();

            // past twice what memory holds, on a disk still full: the rest is lost, counted, and from then on the
            // checkpoint never passes them, so the journal keeps their readings for the next start
            full.set(true);
            disk.fill();
            publish.accept(10_000);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> delivered(bus) == 13_500);
            double lost = registry.counter("safegrid.record.points.lost").count();
            assertThat(lost).isPositive();
            disk.free();
            full.set(false);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> recorder.serverUp()
                    && recorder.memoryPoints() == 0 && recorder.spooledPoints() == 0);
            // the last batch taken from memory may still be on its way to the store (no awaitDurable after a loss)
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(stored).hasSize(13_500 - (int) lost));
            assertThat(stored).doesNotHaveDuplicates();
            assertThat(recorder.awaitDurable(Duration.ofMillis(300))).isFalse();
            recorder.close();
        } finally {
            server.stop(0);
        }
    }
}
