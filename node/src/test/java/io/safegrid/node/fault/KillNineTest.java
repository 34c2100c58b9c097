package io.safegrid.node.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.node.TestCounty;
import io.safegrid.testing.FreePorts;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's test of the journal: a real node in its own JVM takes numbered MQTT QoS 1, HJ 212
 * (with 9014 replies) and HTTP readings, is killed with SIGKILL in the middle, twice; after each
 * restart the devices send again only what got no acknowledgement. Every acknowledged reading must be
 * in the record (the embedded QuestDB) in the end, once: a lost one would leave a gap, since nobody
 * sends it again. Finally SIGTERM must stop the node within 10 s.
 */
class KillNineTest {
    private static final int KILLS = 2;
    private static final Duration SENDING = Duration.ofSeconds(3);
    /** Numbers each device hands out (at least) between a start and the kill after it. */
    private static final int PER_RUN = 30;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<ChildNode> started = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    /** The record's QuestDB asks for it: the node runs in another process, so it is set in the config. */
    private static final String QUESTDB_PASSWORD = "kill-nine-test-record-password";

    @Test
    void everyAcknowledgedReadingIsInTheRecordAfterKillNineAndRestart() throws Exception {
        int mqtt = freePort();
        int hj212 = freePort();
        int ingestHttp = freePort();
        int questDb = freePort();
        Path config = dir.resolve("county.yaml");
        Files.writeString(config, TestCounty.yaml(dir.resolve("data"))
                .replaceFirst("(?m)^  mqtt-port: 0", "  mqtt-port: " + mqtt)
                .replaceFirst("(?m)^  hj212-port: 0", "  hj212-port: " + hj212)
                .replaceFirst("(?m)^  ingest-http-port: 0", "  ingest-http-port: " + ingestHttp)
                .replaceFirst("(?m)^  max-readings-per-second-per-device: \\d+", "  max-readings-per-second-per-device: 100000")
                + "\nrecord:\n  questdb-http-port: " + questDb + "\n  questdb-password: " + QUESTDB_PASSWORD + "\nacceptance:\n  checkpoint-interval: 1s\n");
        Path log = dir.resolve("node.log");
        long now = Instant.now().toEpochMilli();
        List<NumberedSender> devices = List.of(
                new Senders.Mqtt(mqtt, "kc-ch4-t1", "demo-kc-ch4-t1-7Qx2", "kecheng-coal", now - 3_600_000),
                new Senders.Mqtt(mqtt, "kc-co-1", "demo-kc-co-1-3Rt8", "kecheng-coal", now - 3_600_000),
                new Senders.Hj212(hj212, "pg-pm10", "33140000PG39010000000002", "pg390201", "a34002", now / 1000 - 86_400),
                new Senders.Http(ingestHttp, "kc-dust-1", "demo-kc-dust-1-8Lk3", now - 3_600_000));

        ChildNode node = null;
        for (int run = 0; run <= KILLS; run++) {
            node = ChildNode.start(config, log);
            started.add(node);
            node.awaitReady(Duration.ofSeconds(90), run);
            for (NumberedSender d : devices) {
                int resent = d.resendUnacknowledged();
                System.out.printf("run %d: %s resent %d%n", run, d.device, resent);
            }
            if (run == KILLS) {
                break;
            }
            List<Thread> threads = new ArrayList<>();
            int[] from = new int[devices.size()];
            for (int i = 0; i < devices.size(); i++) {
                NumberedSender d = devices.get(i);
                from[i] = d.next.get();
                d.stop = false;
                Thread t = new Thread(d, "send-" + d.device);
                t.start();
                threads.add(t);
            }
            Thread.sleep(SENDING.toMillis());
            // a node just started on a loaded machine may be slow at first: killed once every device is well under way
            long under = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < under && !underWay(devices, from)) {
                Thread.sleep(100);
            }
            node.kill();
            for (NumberedSender d : devices) {
                d.stop = true;
            }
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
        for (NumberedSender d : devices) {
            System.out.printf("%s: %d sent, all acknowledged after resends%n", d.device, d.next.get());
            assertThat(d.acknowledged).hasSize(d.next.get());
            assertThat(d.next.get()).as("%s sent a fair number", d.device).isGreaterThan(50);
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (NumberedSender d : devices) {
            long[] counts;
            do {
                counts = counts(questDb, d.device);
                if (counts[0] == d.next.get() && counts[1] == d.next.get()) {
                    break;
                }
                Thread.sleep(500);
            } while (System.nanoTime() < deadline);
            assertThat(counts[1]).as("%s: distinct readings in the record; missing: %s\n%s", d.device,
                    missing(questDb, d), node.tail()).isEqualTo(d.next.get());
            assertThat(counts[0]).as("%s: rows in the record (duplicates?)", d.device).isEqualTo(d.next.get());
        }

        assertThat(node.terminate(Duration.ofSeconds(10))).as("SIGTERM stops the node within 10 s\n" + node.tail()).isTrue();
        assertThat(node.log()).contains("Ingest journal replayed").contains("Ingest journal closed")
                .as("the node closes its databases itself, in order, not H2's hook at exit")
                .doesNotContain("Database is already closed");
    }

    /** A node left running by a failed assertion would hold its ports and a core through the rest of the suite. */
    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (ChildNode n : started) {
            if (n.alive()) {
                n.kill();
            }
        }
    }

    /** Whether every device has handed out {@link #PER_RUN} numbers since {@code from}. */
    private static boolean underWay(List<NumberedSender> devices, int[] from) {
        for (int i = 0; i < devices.size(); i++) {
            if (devices.get(i).next.get() - from[i] < PER_RUN) {
                return false;
            }
        }
        return true;
    }

    /** Rows and distinct times of the device's readings in the record. */
    private long[] counts(int questDb, String device) throws Exception {
        JsonNode r = query(questDb, "select count() n, count_distinct(timestamp) d from reading where device = '" + device + "'");
        JsonNode row = r.path("dataset").path(0);
        return new long[]{row.path(0).asLong(-1), row.path(1).asLong(-1)};
    }

    private String missing(int questDb, NumberedSender d) throws Exception {
        JsonNode r = query(questDb, "select cast(timestamp as long) t from reading where device = '" + d.device + "'");
        TreeSet<Long> stored = new TreeSet<>();
        r.path("dataset").forEach(row -> stored.add(row.path(0).asLong() / 1000));
        List<Integer> gone = new ArrayList<>();
        for (int n = 0; n < d.next.get() && gone.size() < 50; n++) {
            if (!stored.contains(d.timeOf(n))) {
                gone.add(n);
            }
        }
        return gone.toString();
    }

    private JsonNode query(int port, String sql) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/exec?query="
                + URLEncoder.encode(sql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10))
                .header("Authorization", io.safegrid.record.QuestDbLogin.authorization(QUESTDB_PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body());
    }

    /** The node is restarted on the same ports, so they must stay free in between: none the kernel hands out. */
    private static int freePort() throws Exception {
        return FreePorts.outsideEphemeralRange();
    }
}
