package io.safegrid.alerting.record;

import static io.safegrid.alerting.record.RecordFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.model.bus.InProcessBus;
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
            RecordSettings s = settings(dir).withBatch(500, Duration.ofMillis(50)).withSpool(2_000, 64L << 20, 1L << 20);
            Recorder recorder = new Recorder(s, "http://127.0.0.1:" + hung.getLocalPort(), config(), bus, registry);
            recorder.start();
            Instant base = Instant.now();
            long started = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                bus.publish(Topic.READINGS, "ch4-" + (i % 8), Reading.sample("ch4-" + (i % 8), FACE1, "ch4", i, base.plusMillis(i)));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> registry.counter("safegrid.record.points.spooled").count() >= 20_000 - 500);
            double seconds = (System.nanoTime() - started) / 1e9;
            // the writer is stuck in a 2 s request timeout the whole time; the bus was not
            assertThat(seconds).isLessThan(10);
            recorder.close();
            assertThat(registry.counter("safegrid.record.points.written").count()).isZero();
            assertThat(recorder.spooledPoints()).isEqualTo(20_000);
            for (Socket c : held) {
                c.close();
            }
        }
    }

    @Test
    void settingsRefuseWhatCannotWork() {
        RecordSettings d = RecordSettings.defaults(dir);
        assertThat(d.target()).isEqualTo(RecordSettings.Target.QUESTDB_EMBEDDED);
        assertThat(d.batchLines()).isEqualTo(5_000);
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
}
