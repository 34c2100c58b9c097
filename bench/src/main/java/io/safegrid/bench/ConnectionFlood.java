package io.safegrid.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.safegrid.ingest.hj212.Hj212FrameEncoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 23's file-handle target on a real node: the node runs as its own process (the demo county, all
 * roles, embedded QuestDB, default ingest limits) and {@code processes} {@link FloodClients} processes
 * together offer it {@code connections} unauthenticated connections, idle and dripping, spread over
 * its MQTT, HJ 212 and HTTP ingest ports and {@code addresses} source addresses in 127.0.0.0/8, each
 * reopening what the node closes. Node and attackers are separate processes because this machine
 * allows a process at most 20,000 file handles.
 *
 * <p>Meanwhile a valid device of each protocol connects once a second and is timed from connect to
 * its acknowledgement; a valid MQTT device sends 50 QoS 1 readings a second throughout, and the record
 * (QuestDB) is counted for them. Prints the node's file handles (sampled from /proc), what its guards
 * held and refused (its /metrics), the probes' p50 and max, the record's count during the flood,
 * suspended record tables and "Too many open files" lines in the node's log.
 *
 * <p>{@code java -cp bench/target/classes:$(cat bench/target/cp.txt) io.safegrid.bench.ConnectionFlood
 * [connections 20000] [processes 4] [addresses 1000] [probe seconds 40] [reopen/s per process 250] [drip seconds 3]}
 */
public final class ConnectionFlood {
    private static final ZoneId COUNTY = ZoneId.of("Asia/Shanghai");
    private static final String[] PROTOCOLS = {"mqtt", "hj212", "http"};

    private final NodeProcess node;
    private final int mqttPort;
    private final int hj212Port;
    private final int httpPort;

    private ConnectionFlood(NodeProcess node) {
        this.node = node;
        this.mqttPort = node.mqttPort;
        this.hj212Port = node.hj212Port;
        this.httpPort = node.httpPort;
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int processes = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int addresses = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        int probeSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        double reopen = args.length > 4 ? Double.parseDouble(args[4]) : 250;
        double drip = args.length > 5 ? Double.parseDouble(args[5]) : 3;
        try (NodeProcess node = new NodeProcess(100_000)) {
            System.out.printf("node log %s%n", node.log);
            new ConnectionFlood(node).run(connections, processes, addresses, probeSeconds, reopen, drip);
        }
    }

    private void run(int connections, int processes, int addresses, int probeSeconds, double reopen, double drip)
            throws Exception {
        long nodePid = node.pid();
        System.out.printf("node pid %d, open files limit %s%n", nodePid, node.maxOpenFiles());
        HandleSampler handles = new HandleSampler(nodePid);
        Feeder feeder = null;
        List<Process> flooders = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {   // the valid paths JIT-compiled before the flood
                for (String p : PROTOCOLS) {
                    probe(p);
                }
            }
            handles.start();
            feeder = new Feeder(mqttPort);
            feeder.start();
            Thread.sleep(3000);
            Map<String, Double> before = node.metrics();
            System.out.printf("before the flood: node holds %d file handles; ingest connections open %s%n", handles.now(),
                    byProtocol(before, "safegrid_ingest_connections_open"));
            long recordedBefore = recorded();
            long ackedBefore = feeder.acked.get();
            long floodFrom = System.currentTimeMillis();
            handles.resetMax();

            long t0 = System.nanoTime();
            CountDownLatch opened = new CountDownLatch(processes);
            List<String[]> finals = new ArrayList<>();
            for (int k = 0; k < processes; k++) {
                flooders.add(flooder(k, connections / processes + (k < connections % processes ? 1 : 0),
                        Math.max(1, addresses / processes), reopen, drip, opened, finals));
            }
            boolean allOpened = opened.await(90, TimeUnit.SECONDS);
            System.out.printf("flood: %d connections from %d processes and %d addresses %s after %.1f s; reopening at %.0f/s"
                            + " per process, half of them dripping a byte every %.0f s%n", connections, processes, addresses,
                    allOpened ? "all tried" : "NOT all tried", (System.nanoTime() - t0) / 1e9, reopen, drip);

            Map<String, List<Long>> times = new LinkedHashMap<>();
            Map<String, Integer> failures = new TreeMap<>();
            for (String p : PROTOCOLS) {
                times.put(p, new ArrayList<>());
            }
            long probeEnd = System.nanoTime() + probeSeconds * 1_000_000_000L;
            long nextCount = 0;
            int maxGuardOpen = 0;
            int maxUnauthenticated = 0;
            while (System.nanoTime() < probeEnd) {
                long round = System.nanoTime();
                for (String p : PROTOCOLS) {
                    long s0 = System.nanoTime();
                    try {
                        probe(p);
                        times.get(p).add(System.nanoTime() - s0);
                    } catch (IOException | RuntimeException e) {
                        failures.merge(p + ": " + e.getMessage(), 1, Integer::sum);
                    }
                }
                Map<String, Double> m = node.metrics();
                maxGuardOpen = Math.max(maxGuardOpen, (int) NodeProcess.sum(m, "safegrid_ingest_connections_open"));
                maxUnauthenticated = Math.max(maxUnauthenticated, (int) NodeProcess.sum(m, "safegrid_ingest_connections_unauthenticated"));
                if (System.nanoTime() >= nextCount) {
                    nextCount = System.nanoTime() + 10_000_000_000L;
                    System.out.printf("  t=%4.0f s: node file handles %d (max %d); ingest open %s, unauthenticated %s;"
                                    + " record: %d points of the fed device (%d acknowledged since the flood began)%n",
                            (System.nanoTime() - t0) / 1e9, handles.now(), handles.max(),
                            byProtocol(m, "safegrid_ingest_connections_open"),
                            byProtocol(m, "safegrid_ingest_connections_unauthenticated"), recorded() - recordedBefore,
                            feeder.acked.get() - ackedBefore);
                }
                long rest = 1_000_000_000L - (System.nanoTime() - round);
                if (rest > 0) {
                    Thread.sleep(rest / 1_000_000);
                }
            }
            long floodTo = System.currentTimeMillis();
            Map<String, Double> after = node.metrics();
            for (Process f : flooders) {
                f.getOutputStream().close();   // stop: each prints FINAL
            }
            for (Process f : flooders) {
                f.waitFor(20, TimeUnit.SECONDS);
            }
            double floodSeconds = (System.nanoTime() - t0) / 1e9;

            System.out.printf("%nduring %.0f s of flood:%n", floodSeconds);
            long[] attacker = new long[3];
            for (String[] f : finals) {
                attacker[0] += field(f, "connects");
                attacker[1] += field(f, "established");
                attacker[2] += field(f, "closedByNode");
            }
            System.out.printf("  attackers: %d connects, %d established, %d of them closed by the node%n", attacker[0],
                    attacker[1], attacker[2]);
            System.out.printf("  node: at most %d file handles (%d before the flood; limit %s), its ingest guards held at most"
                            + " %d connections, %d of them unauthenticated%n", handles.max(), handles.baseline,
                    node.maxOpenFiles(), maxGuardOpen, maxUnauthenticated);
            System.out.printf("  node refused or closed: %s%n", delta(before, after, "safegrid_ingest_rejected_total", "reason"));
            for (String p : PROTOCOLS) {
                long[] ns = times.get(p).stream().mapToLong(Long::longValue).sorted().toArray();
                System.out.printf("  valid %-5s device, connect to acknowledgement: %d probes, p50 %.1f ms, max %.1f ms%n", p,
                        ns.length, ns.length == 0 ? Double.NaN : ns[ns.length / 2] / 1e6,
                        ns.length == 0 ? Double.NaN : ns[ns.length - 1] / 1e6);
            }
            System.out.printf("  probe failures: %s%n", failures.isEmpty() ? "none" : failures);
            feeder.close();
            long ackedDuring;
            synchronized (feeder.ackedTimes) {
                ackedDuring = feeder.ackedTimes.stream().filter(t -> t >= floodFrom && t < floodTo).count();
            }
            Thread.sleep(5000);
            System.out.printf("  record: the fed MQTT device's readings timed during the flood: %d acknowledged, %d in the"
                            + " record 5 s later (%d publish failures)%n", ackedDuring, recorded(floodFrom, floodTo),
                    feeder.failures.get());
            System.out.printf("after the flood: suspended record tables: %s; node file handles %d; \"Too many open files\" in"
                            + " the node log: %d lines%n", node.suspendedTables(), handles.now(),
                    node.logLines("Too many open files"));
        } finally {
            handles.interrupt();
            if (feeder != null) {
                feeder.close();
            }
            for (Process f : flooders) {
                f.destroyForcibly();
            }
        }
    }

    private Process flooder(int k, int connections, int addresses, double reopen, double drip, CountDownLatch opened,
                            List<String[]> finals) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                FloodClients.class.getName(), String.valueOf(10 + k), String.valueOf(connections), String.valueOf(addresses),
                String.valueOf(mqttPort), String.valueOf(hj212Port), String.valueOf(httpPort), String.valueOf(reopen),
                String.valueOf(drip), "600").redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("OPENED")) {
                        System.out.printf("  flooder %d: %s%n", k, line);
                        opened.countDown();
                    } else if (line.startsWith("FINAL")) {
                        System.out.printf("  flooder %d: %s%n", k, line);
                        synchronized (finals) {
                            finals.add(line.split(" "));
                        }
                    } else if (!line.startsWith("STATUS")) {
                        System.out.printf("  flooder %d: %s%n", k, line);
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }, "flooder-" + k);
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    private static long field(String[] words, String name) {
        for (String w : words) {
            if (w.startsWith(name + "=")) {
                return Long.parseLong(w.substring(name.length() + 1));
            }
        }
        return 0;
    }

    // ---- valid devices of the demo county

    private void probe(String protocol) throws IOException {
        switch (protocol) {
            case "mqtt" -> mqtt("kc-ch4-t1", "demo-kc-ch4-t1-7Qx2", "safegrid/kecheng-coal/kc-ch4-t1/readings");
            case "hj212" -> hj212("33140000PG39010000000002", "pg390201", "a34002");
            default -> httpReading("kc-dust-1", "demo-kc-dust-1-8Lk3");
        }
    }

    private void mqtt(String user, String secret, String topic) throws IOException {
        try (Socket s = new Socket("127.0.0.1", mqttPort)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(HostileClients.packet(0x10, HostileClients.concat(HostileClients.str("MQTT"),
                    new byte[] {4, (byte) 0xC2, 0, 60}, HostileClients.str("probe" + System.nanoTime()),
                    HostileClients.str(user), HostileClients.str(secret))));
            HostileClients.expect(s.getInputStream(), 0x20, 0x02, 0x00, 0x00);
            s.getOutputStream().write(HostileClients.packet(0x32, HostileClients.concat(HostileClients.str(topic),
                    new byte[] {0, 1}, "{\"value\": 0.3}".getBytes(StandardCharsets.UTF_8))));
            HostileClients.expect(s.getInputStream(), 0x40, 0x02, 0x00, 0x01);
        }
    }

    private void hj212(String mn, String pw, String factor) throws IOException {
        String now = ZonedDateTime.now(COUNTY).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        try (Socket s = new Socket("127.0.0.1", hj212Port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(Hj212FrameEncoder.frame("QN=" + now + "001;ST=22;CN=2011;PW=" + pw + ";MN=" + mn
                    + ";Flag=5;CP=&&DataTime=" + now + ";" + factor + "-Rtd=0.05&&"));
            String line = HostileClients.line(s.getInputStream());
            if (!line.contains("CN=9014")) {
                throw new IOException("HJ 212 not acknowledged: " + line);
            }
        }
    }

    private void httpReading(String device, String secret) throws IOException {
        byte[] body = ("{\"deviceId\": \"" + device + "\", \"value\": 0.05}").getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket("127.0.0.1", httpPort)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("POST /api/v1/readings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + secret
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(body);
            String line = HostileClients.line(s.getInputStream());
            if (!line.startsWith("HTTP/1.1 202")) {
                throw new IOException("HTTP not accepted: " + line);
            }
        }
    }

    /** A valid MQTT device sending 50 QoS 1 readings a second, each with its own time, counting PUBACKs. */
    private static final class Feeder extends Thread implements AutoCloseable {
        static final String DEVICE = "kc-co-1";
        private final int port;
        final AtomicLong acked = new AtomicLong();
        /** The reading time of every acknowledged reading, in order. */
        final List<Long> ackedTimes = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicLong failures = new AtomicLong();
        private volatile boolean stop;

        Feeder(int port) {
            super("feeder");
            setDaemon(true);
            this.port = port;
        }

        @Override
        public void run() {
            long last = 0;
            while (!stop) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(5000);
                    s.getOutputStream().write(HostileClients.packet(0x10, HostileClients.concat(HostileClients.str("MQTT"),
                            new byte[] {4, (byte) 0xC2, 0, 60}, HostileClients.str("feeder" + System.nanoTime()),
                            HostileClients.str(DEVICE), HostileClients.str("demo-kc-co-1-3Rt8"))));
                    HostileClients.expect(s.getInputStream(), 0x20, 0x02, 0x00, 0x00);
                    int id = 1;
                    while (!stop) {
                        long ts = Math.max(last + 1, System.currentTimeMillis());
                        last = ts;
                        id = id % 65535 + 1;
                        s.getOutputStream().write(HostileClients.packet(0x32, HostileClients.concat(
                                HostileClients.str("safegrid/kecheng-coal/" + DEVICE + "/readings"),
                                new byte[] {(byte) (id >> 8), (byte) id},
                                ("{\"value\": 2.0, \"ts\": " + ts + "}").getBytes(StandardCharsets.UTF_8))));
                        HostileClients.expect(s.getInputStream(), 0x40, 0x02, id >> 8, id & 0xFF);
                        acked.incrementAndGet();
                        ackedTimes.add(ts);
                        Thread.sleep(20);
                    }
                } catch (IOException e) {
                    failures.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            stop = true;
        }
    }

    // ---- what the node shows

    /** The fed device's points in the record. */
    private long recorded() throws Exception {
        JsonNode rows = node.sql("select count() from reading where device = '" + Feeder.DEVICE + "'");
        return rows.path(0).path(0).asLong(-1);
    }

    /** The fed device's points in the record with a time in [from, to) (epoch ms). */
    private long recorded(long from, long to) throws Exception {
        JsonNode rows = node.sql("select count() from reading where device = '" + Feeder.DEVICE + "' and timestamp >= "
                + from * 1000 + " and timestamp < " + to * 1000);
        return rows.path(0).path(0).asLong(-1);
    }

    private static String byProtocol(Map<String, Double> m, String name) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith(name + "{")) {
                out.merge(label(k, "protocol"), v.longValue(), Long::sum);
            }
        });
        return out.toString();
    }

    private static String delta(Map<String, Double> before, Map<String, Double> after, String name, String by) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((k, v) -> {
            if (k.startsWith(name + "{")) {
                long d = (long) (v - before.getOrDefault(k, 0.0));
                if (d > 0) {
                    out.merge(label(k, by) + "/" + label(k, "protocol"), d, Long::sum);
                }
            }
        });
        return out.toString();
    }

    private static String label(String key, String label) {
        Matcher m = Pattern.compile(label + "=\"([^\"]*)\"").matcher(key);
        return m.find() ? m.group(1) : "?";
    }

    /** The node process's open file handles, sampled every 100 ms. */
    private static final class HandleSampler extends Thread {
        private final Path fds;
        private volatile long now;
        private volatile long max;
        long baseline;

        HandleSampler(long pid) {
            super("handles");
            setDaemon(true);
            this.fds = Path.of("/proc/" + pid + "/fd");
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                try (var s = Files.list(fds)) {
                    now = s.count();
                    max = Math.max(max, now);
                    Thread.sleep(100);
                } catch (IOException | java.io.UncheckedIOException gone) {
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long now() { return now; }

        long max() { return max; }

        void resetMax() {
            baseline = now;
            max = now;
        }
    }
}
