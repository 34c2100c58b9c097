package io.safegrid.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.config.demo.DemoCounty;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Issue 24's kill -9 target at full rate: a real node (its own JVM, all roles, embedded QuestDB) takes
 * numbered MQTT QoS 1 readings from several devices at up to {@code rate}/s (pipelined, up to 1,000 in
 * flight per device); after {@code seconds} it is killed with SIGKILL, restarted, every reading without
 * a PUBACK is sent again, and the record is checked for every number. Repeated {@code runs} times on
 * one data directory; prints per run how many were acknowledged, resent and missing (the target is
 * 0 missing over 10 runs). The CI-sized version is {@code KillNineTest} in the node module.
 *
 * <p>{@code java -cp bench/target/classes:$(cat bench/target/cp.txt) io.safegrid.bench.KillNineRuns [runs] [readings/s] [seconds]}
 */
public final class KillNineRuns {
    private static final String[][] DEVICES = {
            {"kc-ch4-t1", "demo-kc-ch4-t1-7Qx2"}, {"kc-co-1", "demo-kc-co-1-3Rt8"},
            {"kc-temp-1", "demo-kc-temp-1-5Yh1"}, {"kc-fan-1", "demo-kc-fan-1-2Pd6"}};

    /** The record's QuestDB asks for it; set in the node's config since the node is another process. */
    private static final String QUESTDB_PASSWORD = "kill-nine-runs-record-password";

    private final int mqttPort;
    private final int questDbPort;
    private final long base = Instant.now().toEpochMilli() - 3_600_000;
    private final List<Set<Integer>> acked = new ArrayList<>();
    private final int[] next = new int[DEVICES.length];
    private final HttpClient http = HttpClient.newHttpClient();

    private KillNineRuns(int mqttPort, int questDbPort) {
        this.mqttPort = mqttPort;
        this.questDbPort = questDbPort;
        for (int i = 0; i < DEVICES.length; i++) {
            acked.add(ConcurrentHashMap.newKeySet());
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 20_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path dir = Files.createTempDirectory("safegrid-kill9");
        KillNineRuns k = new KillNineRuns(freePort(), freePort());
        Path config = dir.resolve("county.yaml");
        Files.writeString(config, DemoCounty.text()
                .replaceAll("(?m)^(  (http|hj212|ingest-http|video-push)-port:) \\d+", "$1 0")
                .replaceFirst("(?m)^  mqtt-port: \\d+", "  mqtt-port: " + k.mqttPort)
                .replaceAll("(?m)^  bind-address: .*$", "")
                .replaceFirst("(?m)^  data-dir: .*$", "  bind-address: 127.0.0.1\n  data-dir: " + dir.resolve("data"))
                .replaceFirst("(?m)^  max-readings-per-second-per-device: \\d+", "  max-readings-per-second-per-device: 1000000")
                + "\nrecord:\n  questdb-http-port: " + k.questDbPort + "\n  questdb-password: " + QUESTDB_PASSWORD + "\n");
        Path log = dir.resolve("node.log");
        System.out.printf("%d runs at %.0f readings/s for %d s each; node log %s%n", runs, rate, seconds, log);
        long totalLost = 0;
        for (int run = 1; run <= runs; run++) {
            Process node = start(config, log, run - 1);
            int resent = k.resend();
            List<Thread> senders = k.send(rate);
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);   // in mid-stream
            k.stop = true;
            for (Thread t : senders) {
                t.join(30_000);
            }
            k.stop = false;
            long acknowledged = k.acked.stream().mapToLong(Set::size).sum();
            System.out.printf("run %d: killed; %d acknowledged so far, %d resent after the previous kill%n", run,
                    acknowledged, resent);
        }
        Process node = start(config, log, runs);
        System.out.printf("final resend: %d%n", k.resend());
        for (int d = 0; d < DEVICES.length; d++) {
            long lost = k.missing(d, Duration.ofSeconds(120));
            totalLost += lost;
            System.out.printf("%s: %d readings, %d acknowledged, %d missing from the record%n", DEVICES[d][0], k.next[d],
                    k.acked.get(d).size(), lost);
        }
        node.destroy();
        System.out.printf("SIGTERM: node %s within 10 s%n", node.waitFor(10, TimeUnit.SECONDS) ? "stopped" : "did NOT stop");
        System.out.printf("acknowledged readings missing after %d kill -9: %d%n", runs, totalLost);
        System.exit(totalLost == 0 ? 0 : 1);
    }

    private static Process start(Path config, Path log, int readyBefore) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                "io.safegrid.node.cli.SafeGridCli", "run", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            long ready = Files.readAllLines(log).stream().filter(l -> l.contains("SafeGrid is running")).count();
            if (ready > readyBefore) {
                return p;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("node exited; see " + log);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("node not ready in 120 s; see " + log);
    }

    private MqttAsyncClient connect(int d) throws Exception {
        MqttAsyncClient c = new MqttAsyncClient("tcp://127.0.0.1:" + mqttPort, DEVICES[d][0] + "-" + System.nanoTime(),
                new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(DEVICES[d][0]);
        o.setPassword(DEVICES[d][1].toCharArray());
        o.setMaxInflight(1000);
        o.setAutomaticReconnect(false);
        c.connect(o).waitForCompletion(10_000);
        return c;
    }

    private void publish(MqttAsyncClient c, int d, int n, Semaphore window) throws Exception {
        MqttMessage m = new MqttMessage(("{\"value\":0.1,\"ts\":" + (base + n) + "}").getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        window.acquire();
        c.publish("safegrid/kecheng-coal/" + DEVICES[d][0] + "/readings", m, null, new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                acked.get(d).add(n);
                window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                window.release();
            }
        });
    }

    private volatile boolean stop;

    /** New numbers at {@code rate} over all devices, until the node is gone or {@link #stop}. */
    private List<Thread> send(double rate) {
        List<Thread> threads = new ArrayList<>();
        double perDevice = rate / DEVICES.length;
        for (int d = 0; d < DEVICES.length; d++) {
            int dev = d;
            Thread t = new Thread(() -> {
                try {
                    MqttAsyncClient c = connect(dev);
                    Semaphore window = new Semaphore(1000);
                    long start = System.nanoTime();
                    long sent = 0;
                    while (!stop && c.isConnected()) {
                        long due = (long) ((System.nanoTime() - start) / 1e9 * perDevice);
                        while (sent < due && c.isConnected()) {
                            int n;
                            synchronized (next) {
                                n = next[dev]++;
                            }
                            publish(c, dev, n, window);
                            sent++;
                        }
                        Thread.sleep(1);
                    }
                } catch (Exception gone) {
                    // killed: the rest is resent after the restart
                }
            }, "send-" + DEVICES[d][0]);
            t.start();
            threads.add(t);
        }
        return threads;
    }

    /** Sends again every number without a PUBACK, as a device keeps what was not acknowledged. */
    private int resend() throws Exception {
        int resent = 0;
        for (int d = 0; d < DEVICES.length; d++) {
            MqttAsyncClient c = connect(d);
            Semaphore window = new Semaphore(1000);
            for (int n = 0; n < next[d]; n++) {
                if (!acked.get(d).contains(n)) {
                    publish(c, d, n, window);
                    resent++;
                }
            }
            window.acquire(1000);
            c.disconnect().waitForCompletion(5000);
            c.close();
        }
        return resent;
    }

    /** Acknowledged numbers not in the record, once the record has stopped growing or {@code wait} has passed. */
    private long missing(int d, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        Set<Long> stored = Set.of();
        while (System.nanoTime() < deadline) {
            stored = storedTimes(DEVICES[d][0]);
            if (stored.size() >= acked.get(d).size()) {
                break;
            }
            Thread.sleep(1000);
        }
        Set<Long> have = stored;
        return acked.get(d).stream().filter(n -> !have.contains(base + n)).count();
    }

    private Set<Long> storedTimes(String device) throws IOException, InterruptedException {
        String sql = "select cast(timestamp as long) t from reading where device = '" + device + "'";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + questDbPort
                + "/exec?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                .header("Authorization", io.safegrid.alerting.record.QuestDbLogin.authorization(QUESTDB_PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode rows = new ObjectMapper().readTree(r.body()).path("dataset");
        Set<Long> out = ConcurrentHashMap.newKeySet();
        rows.forEach(row -> out.add(row.path(0).asLong() / 1000));
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
