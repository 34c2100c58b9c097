package io.safegrid.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.AcceptanceConfig;
import io.safegrid.config.Deployment;
import io.safegrid.config.demo.DemoCounty;
import io.safegrid.ingest.journal.Journal;
import io.safegrid.ingest.journal.JournalSettings;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.reading.DataFlag;
import io.safegrid.model.reading.Period;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.reading.Statistic;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Issue 24's restart target: a node killed with {@code readings} in its ingest journal that the record
 * had not confirmed (the checkpoint at 0: the record lagging or stopped) comes back; timed from the
 * restart (JVM start included) to ingest taking a new MQTT QoS 1 reading again, to the journal's replay
 * logged, and to every replayed reading counted in the record (the embedded QuestDB). The journal is
 * written by the node's own {@link Journal} class with the node's settings, into the data directory the
 * node then starts on, as a node leaves it after {@code kill -9}.
 *
 * <p>{@code java -cp bench/target/classes:$(cat bench/target/cp.txt) io.safegrid.bench.JournalReplay [readings]}
 */
public final class JournalReplay {
    /** The record's QuestDB asks for it; set in the node's config since the node is another process. */
    private static final String QUESTDB_PASSWORD = "journal-replay-record-password";

    private static final String[][] DEVICES = {
            {"kc-ch4-t1", "demo-kc-ch4-t1-7Qx2"}, {"kc-co-1", "demo-kc-co-1-3Rt8"},
            {"kc-temp-1", "demo-kc-temp-1-5Yh1"}, {"kc-fan-1", "demo-kc-fan-1-2Pd6"}};

    private JournalReplay() {
    }

    public static void main(String[] args) throws Exception {
        IngestThroughput.quietLogs();
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("safegrid-replay");
        int mqtt = freePort();
        int questDb = freePort();
        Path data = dir.resolve("data");
        Path config = dir.resolve("county.yaml");
        Files.writeString(config, DemoCounty.text()
                .replaceAll("(?m)^(  (http|hj212|ingest-http|video-push)-port:) \\d+", "$1 0")
                .replaceFirst("(?m)^  mqtt-port: \\d+", "  mqtt-port: " + mqtt)
                .replaceAll("(?m)^  bind-address: .*$", "")
                .replaceFirst("(?m)^  listen-port: 5060", "  listen-port: 0")   // GB/T 28181: no fixed port on a shared machine
                .replaceFirst("(?m)^  data-dir: .*$", "  bind-address: 127.0.0.1\n  data-dir: " + data)
                + "\nrecord:\n  questdb-http-port: " + questDb + "\n  questdb-password: " + QUESTDB_PASSWORD + "\n");

        // what a killed node leaves: every reading journaled and acknowledged, none confirmed by the record
        Deployment county = DemoCounty.load();
        long t0 = System.nanoTime();
        long base = Instant.now().toEpochMilli() - 3_600_000;
        Instant received = Instant.now();
        try (Journal j = Journal.open(JournalSettings.of(AcceptanceConfig.defaults(), data.resolve("journal")),
                new SimpleMeterRegistry(), Clock.systemUTC())) {
            List<Reading> group = new ArrayList<>(1000);
            for (int i = 0; i < total; i++) {
                Sensor s = county.sensor(DEVICES[i % DEVICES.length][0]).orElseThrow();
                group.add(new Reading(s.id(), s.site(), s.metric(), 0.1, Instant.ofEpochMilli(base + i / DEVICES.length),
                        Period.REALTIME, Statistic.VALUE, DataFlag.N, received));
                if (group.size() == 1000) {
                    j.append(group);
                    group.clear();
                }
            }
            j.append(group);
            System.out.printf("journal: %,d readings, %,d bytes, written in %d ms%n", j.lastSequence(), j.bytes(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }

        Path log = dir.resolve("node.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long start = System.nanoTime();
        Process node = new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                "io.safegrid.node.cli.SafeGridCli", "run", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        AtomicLong accepting = new AtomicLong();
        Thread probe = new Thread(() -> {
            int n = 0;
            while (accepting.get() == 0 && node.isAlive()) {
                try {
                    MqttClient c = new MqttClient("tcp://127.0.0.1:" + mqtt, "probe-" + n, new MemoryPersistence());
                    MqttConnectOptions o = new MqttConnectOptions();
                    o.setUserName(DEVICES[0][0]);
                    o.setPassword(DEVICES[0][1].toCharArray());
                    o.setConnectionTimeout(2);
                    c.setTimeToWait(2000);
                    c.connect(o);
                    c.publish("safegrid/kecheng-coal/" + DEVICES[0][0] + "/readings",
                            ("{\"value\":0.1,\"ts\":" + (base - 1000 - n) + "}").getBytes(StandardCharsets.UTF_8), 1, false);
                    accepting.compareAndSet(0, System.nanoTime());
                    c.disconnect();
                    c.close();
                } catch (Exception notYet) {
                    n++;
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "probe");
        probe.start();
        long replayed = 0;
        long recorded = 0;
        long deadline = start + TimeUnit.SECONDS.toNanos(240);
        HttpClient http = HttpClient.newHttpClient();
        long count = 0;
        while (System.nanoTime() < deadline && node.isAlive()) {
            if (replayed == 0 && Files.readString(log).contains("Ingest journal replayed")) {
                replayed = System.nanoTime();
            }
            if (replayed > 0 || accepting.get() > 0) {
                try {
                    String sql = "select count() from reading where timestamp >= " + base * 1000 + " and device in ('kc-ch4-t1', "
                            + "'kc-co-1', 'kc-temp-1', 'kc-fan-1')";
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + questDb
                            + "/exec?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                            .header("Authorization", io.safegrid.record.QuestDbLogin.authorization(QUESTDB_PASSWORD)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    count = new ObjectMapper().readTree(r.body()).path("dataset").path(0).path(0).asLong();
                    if (count >= total) {
                        recorded = System.nanoTime();
                        break;
                    }
                } catch (Exception notYet) {
                    // QuestDB not up yet
                }
            }
            Thread.sleep(100);
        }
        probe.join(5000);
        System.out.printf("restart → ingest accepting (a new QoS 1 reading acknowledged): %s%n", secs(accepting.get(), start));
        System.out.printf("restart → journal replay logged (all %,d on the bus): %s%n", total, secs(replayed, start));
        System.out.printf("restart → all %,d replayed readings in the record: %s (%,d counted)%n", total, secs(recorded, start), count);
        node.destroy();
        long stopping = System.nanoTime();
        boolean stopped = node.waitFor(15, TimeUnit.SECONDS);
        System.out.printf("SIGTERM: node %s in %d ms; node log %s%n", stopped ? "stopped" : "did NOT stop",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping), log);
        if (!stopped) {
            node.destroyForcibly();
        }
        System.out.printf("RESULT replay of %,d: accepting %s, in the record %s%n", total, secs(accepting.get(), start),
                secs(recorded, start));
        System.exit(recorded > 0 ? 0 : 1);
    }

    private static String secs(long at, long start) {
        return at == 0 ? "not reached" : String.format("%.1f s", (at - start) / 1e9);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
