package io.safegrid.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.config.demo.DemoCounty;
import io.safegrid.ingest.hj212.Hj212FrameEncoder;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Issue 24's kill -9 target at full rate, for one protocol or several at once: a real node (its own JVM, all
 * roles, embedded QuestDB) takes numbered readings at {@code rate}/s over MQTT QoS 1 (pipelined, 1,000 in
 * flight per device), HJ 212 (2011 frames asking for 9014, pipelined on one connection per data logger)
 * or HTTP (batches of 50, 8 requests in flight per device); after {@code seconds} it is killed with
 * SIGKILL and restarted, and every reading without an acknowledgement is sent again, as devices do.
 * Repeated {@code runs} times on one data directory. At the end the record is read back once, and each
 * acknowledged reading is counted in the run whose acknowledgement it got: acknowledged, missing from
 * the record, recorded more than once. Also per run: kill to the first acknowledgement from the new
 * process (the restart, JVM start included). The CI-sized version is {@code KillNineTest} in node.
 *
 * <p>{@code java -cp bench/target/classes:$(cat bench/target/cp.txt) io.safegrid.bench.KillNineRuns
 * mqtt|hj212|http|all|<comma list> [runs] [readings/s in all, shared evenly] [seconds]}
 */
public final class KillNineRuns {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The record's QuestDB asks for it; set in the node's config since the node is another process. */
    private static final String QUESTDB_PASSWORD = "kill-nine-runs-record-password";

    /** One numbered stream of readings; each number stands for {@code sensors} readings at {@code timeOf(n)}. */
    abstract static class Stream {
        final String[] sensors;
        /** Numbers handed out: 0 .. next-1. */
        int next;
        /** The run whose acknowledgement each number got; 0 while unacknowledged. Guarded by this. */
        private int[] ackedIn = new int[1 << 16];

        Stream(String... sensors) {
            this.sensors = sensors;
        }

        abstract long timeOf(int n);

        synchronized int take() {
            return next++;
        }

        synchronized void acked(int n, int run) {
            if (n >= ackedIn.length) {
                ackedIn = java.util.Arrays.copyOf(ackedIn, Math.max(n + 1, ackedIn.length * 2));
            }
            if (ackedIn[n] == 0) {
                ackedIn[n] = run;
            }
        }

        synchronized int ackedIn(int n) {
            return n < ackedIn.length ? ackedIn[n] : 0;
        }

        synchronized List<Integer> unacknowledged() {
            List<Integer> out = new ArrayList<>();
            for (int n = 0; n < next; n++) {
                if (ackedIn(n) == 0) {
                    out.add(n);
                }
            }
            return out;
        }
    }

    /** A protocol's senders: new numbers at a rate until stopped or the node is gone, and resends. */
    interface Protocol {
        List<Stream> streams();

        /** Sends new numbers at {@code perSecond} readings over all streams until {@code stop} or the node is gone. */
        void send(double perSecond, int run, java.util.function.BooleanSupplier stop) throws Exception;

        /** Sends every unacknowledged number again, until each is acknowledged; returns how many were resent. */
        int resend(int run) throws Exception;
    }

    private final int questDbPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong firstAck = new AtomicLong();
    private volatile int run;
    private volatile boolean stop;

    private KillNineRuns(int questDbPort) {
        this.questDbPort = questDbPort;
    }

    public static void main(String[] args) throws Exception {
        IngestThroughput.quietLogs();
        String protocol = args.length > 0 ? args[0].toLowerCase(Locale.ROOT) : "mqtt";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        double rate = args.length > 2 ? Double.parseDouble(args[2]) : 20_000;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        Path dir = Files.createTempDirectory("safegrid-kill9");
        int mqtt = freePort();
        int hj212 = freePort();
        int ingestHttp = freePort();
        KillNineRuns k = new KillNineRuns(freePort());
        Path config = dir.resolve("county.yaml");
        Files.writeString(config, DemoCounty.text()
                .replaceAll("(?m)^(  (http|video-push)-port:) \\d+", "$1 0")
                .replaceFirst("(?m)^  mqtt-port: \\d+", "  mqtt-port: " + mqtt)
                .replaceFirst("(?m)^  hj212-port: \\d+", "  hj212-port: " + hj212)
                .replaceFirst("(?m)^  ingest-http-port: \\d+", "  ingest-http-port: " + ingestHttp)
                .replaceAll("(?m)^  bind-address: .*$", "")
                .replaceFirst("(?m)^  listen-port: 5060", "  listen-port: 0")   // GB/T 28181: no fixed port on a shared machine
                .replaceFirst("(?m)^  data-dir: .*$", "  bind-address: 127.0.0.1\n  data-dir: " + dir.resolve("data"))
                // every device of the bench comes from 127.0.0.1, where a fleet comes from many addresses
                .replaceFirst("(?m)^  max-readings-per-second-per-device: \\d+", "  max-readings-per-second-per-device: 1000000\n"
                        + "  ingest-limits: {max-unauthenticated-per-address: 100000}")
                + "\nrecord:\n  questdb-http-port: " + k.questDbPort + "\n  questdb-password: " + QUESTDB_PASSWORD + "\n");
        List<String> names = protocol.equals("all") ? List.of("mqtt", "hj212", "http") : List.of(protocol.split(","));
        List<Protocol> ps = new ArrayList<>();
        for (String name : names) {
            ps.add(switch (name) {
                case "mqtt" -> k.new Mqtt(mqtt);
                case "hj212" -> k.new Hj212(hj212);
                case "http" -> k.new Http(ingestHttp);
                default -> throw new IllegalArgumentException("protocol: mqtt, hj212, http, a comma list or all");
            });
        }
        double each = rate / ps.size();
        Path log = dir.resolve("node.log");
        System.out.printf("%s: %d runs at %.0f readings/s in all (%.0f/s each) for %d s each; node log %s%n", names, runs, rate,
                each, seconds, log);
        long[] restartMillis = new long[runs + 2];
        int[][] resent = new int[ps.size()][runs + 2];
        long killedAt = 0;
        Process node = null;
        for (int r = 1; r <= runs + 1; r++) {
            k.run = r;
            k.firstAck.set(0);
            node = start(config, log, r - 1);
            if (killedAt > 0) {
                restartMillis[r] = -1;
            }
            for (int i = 0; i < ps.size(); i++) {
                resent[i][r] = ps.get(i).resend(r);
            }
            if (killedAt > 0) {
                restartMillis[r] = TimeUnit.NANOSECONDS.toMillis(k.firstAck.get() - killedAt);
            }
            if (r == runs + 1) {
                break;   // the last start only takes the resends
            }
            k.stop = false;
            List<Thread> senders = new ArrayList<>();
            for (Protocol p : ps) {
                Thread sender = new Thread(() -> {
                    try {
                        p.send(each, k.run, () -> k.stop);
                    } catch (Exception gone) {
                        // killed: the rest is resent after the restart
                    }
                }, "send");
                sender.start();
                senders.add(sender);
            }
            if (killedAt > 0 && k.firstAck.get() == 0) {
                while (k.firstAck.get() == 0 && node.isAlive()) {
                    Thread.sleep(5);
                }
                restartMillis[r] = TimeUnit.NANOSECONDS.toMillis(k.firstAck.get() - killedAt);
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);   // in mid-stream
            killedAt = System.nanoTime();
            k.stop = true;
            for (Thread t : senders) {
                t.join(30_000);
            }
            System.out.printf("run %d: killed; restart to first acknowledgement %d ms%n", r, restartMillis[r]);
        }

        long totalMissing = 0;
        StringBuilder results = new StringBuilder();
        for (int i = 0; i < ps.size(); i++) {
            Protocol p = ps.get(i);
            // read the record back once everything has arrived
            Map<String, Map<Long, Integer>> stored = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (true) {
                boolean complete = true;
                for (Stream s : p.streams()) {
                    long ackedNumbers = java.util.stream.IntStream.range(0, s.next).filter(n -> s.ackedIn(n) > 0).count();
                    for (String sensor : s.sensors) {
                        stored.put(sensor, k.stored(sensor));
                        complete &= stored.get(sensor).size() >= ackedNumbers;
                    }
                }
                if (complete || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(1000);
            }
            long[] acked = new long[runs + 2];
            long[] missing = new long[runs + 2];
            long[] dup = new long[runs + 2];
            for (Stream s : p.streams()) {
                for (int n = 0; n < s.next; n++) {
                    int in = s.ackedIn(n);
                    if (in == 0) {
                        continue;
                    }
                    for (String sensor : s.sensors) {
                        acked[in]++;
                        Integer c = stored.get(sensor).get(s.timeOf(n));
                        if (c == null) {
                            missing[in]++;
                        } else if (c > 1) {
                            dup[in] += c - 1;
                        }
                    }
                }
            }
            String name = names.get(i);
            System.out.printf("%n%s, %.0f readings/s offered, %d s per run; readings counted in the run whose node "
                    + "acknowledged them (resends after a kill count in the next run)%n", name, each, seconds);
            System.out.println("| run | acknowledged | missing from the record | recorded twice | resent at this start | kill -9 → first acknowledgement |");
            System.out.println("|---|---|---|---|---|---|");
            long totalAcked = 0;
            long lost = 0;
            long totalDup = 0;
            for (int r = 1; r <= runs + 1; r++) {
                System.out.printf("| %s | %,d | %d | %d | %,d | %s |%n", r == runs + 1 ? "final restart" : String.valueOf(r),
                        acked[r], missing[r], dup[r], resent[i][r],
                        r == 1 ? "(first start)" : String.format("%.1f s", restartMillis[r] / 1000.0));
                totalAcked += acked[r];
                lost += missing[r];
                totalDup += dup[r];
            }
            System.out.printf("| all | %,d | %d | %d | | |%n", totalAcked, lost, totalDup);
            totalMissing += lost;
            results.append(String.format("RESULT %s: acknowledged readings missing after %d kill -9: %d (of %,d), recorded "
                    + "twice: %d%n", name, runs, lost, totalAcked, totalDup));
        }
        node.destroy();
        long stopping = System.nanoTime();
        System.out.printf("SIGTERM: node %s in %d ms%n", node.waitFor(10, TimeUnit.SECONDS) ? "stopped" : "did NOT stop",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
        System.out.print(results);
        System.exit(totalMissing == 0 ? 0 : 1);
    }

    private void acked(Stream s, int n, int r) {
        s.acked(n, r);
        firstAck.compareAndSet(0, System.nanoTime());
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
            Thread.sleep(20);
        }
        throw new IllegalStateException("node not ready in 120 s; see " + log);
    }

    /** Each stored time of the sensor's readings (epoch ms) and how many rows it has. */
    private Map<Long, Integer> stored(String sensor) throws IOException, InterruptedException {
        String sql = "select cast(timestamp as long) t, count() c from reading where device = '" + sensor + "'";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + questDbPort
                + "/exec?limit=0,100000000&query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                .header("Authorization", io.safegrid.record.QuestDbLogin.authorization(QUESTDB_PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<Long, Integer> out = new HashMap<>();
        JSON.readTree(r.body()).path("dataset").forEach(row -> out.put(row.path(0).asLong() / 1000, row.path(1).asInt()));
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits until {@code due} (System.nanoTime) in 1 ms steps; the senders pace by the clock, not by sleeps. */
    private static long due(long start, long sent, double perSecond) {
        return start + (long) (sent / perSecond * 1e9);
    }

    // ---- MQTT 3.1.1 QoS 1: acknowledged by PUBACK ----

    private final class Mqtt implements Protocol {
        private final String[][] devices = {
                {"kc-ch4-t1", "demo-kc-ch4-t1-7Qx2"}, {"kc-co-1", "demo-kc-co-1-3Rt8"},
                {"kc-temp-1", "demo-kc-temp-1-5Yh1"}, {"kc-fan-1", "demo-kc-fan-1-2Pd6"}};
        private final int port;
        private final long base = Instant.now().toEpochMilli() - 3_600_000;
        private final List<Stream> streams = new ArrayList<>();

        Mqtt(int port) {
            this.port = port;
            for (String[] d : devices) {
                streams.add(new Stream(d[0]) {
                    @Override
                    long timeOf(int n) { return base + n; }
                });
            }
        }

        @Override
        public List<Stream> streams() { return streams; }

        private MqttAsyncClient connect(int d) throws Exception {
            MqttAsyncClient c = new MqttAsyncClient("tcp://127.0.0.1:" + port, devices[d][0] + "-" + System.nanoTime(),
                    new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setUserName(devices[d][0]);
            o.setPassword(devices[d][1].toCharArray());
            o.setMaxInflight(1000);
            o.setAutomaticReconnect(false);
            c.connect(o).waitForCompletion(10_000);
            return c;
        }

        private void publish(MqttAsyncClient c, int d, int n, Semaphore window, int r) throws Exception {
            Stream s = streams.get(d);
            MqttMessage m = new MqttMessage(("{\"value\":0.1,\"ts\":" + s.timeOf(n) + "}").getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            window.acquire();
            c.publish("safegrid/kecheng-coal/" + devices[d][0] + "/readings", m, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    acked(s, n, r);
                    window.release();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    window.release();
                }
            });
        }

        @Override
        public void send(double perSecond, int r, java.util.function.BooleanSupplier stopped) throws Exception {
            List<Thread> threads = new ArrayList<>();
            for (int d = 0; d < devices.length; d++) {
                int dev = d;
                Thread t = new Thread(() -> {
                    try {
                        MqttAsyncClient c = connect(dev);
                        Semaphore window = new Semaphore(1000);
                        long start = System.nanoTime();
                        long sent = 0;
                        while (!stopped.getAsBoolean() && c.isConnected()) {
                            while (System.nanoTime() >= due(start, sent, perSecond / devices.length) && c.isConnected()) {
                                publish(c, dev, streams.get(dev).take(), window, r);
                                sent++;
                            }
                            Thread.sleep(1);
                        }
                    } catch (Exception gone) {
                        // killed
                    }
                }, "send-" + devices[d][0]);
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
        }

        @Override
        public int resend(int r) throws Exception {
            int resent = 0;
            for (int d = 0; d < devices.length; d++) {
                MqttAsyncClient c = connect(d);
                Semaphore window = new Semaphore(1000);
                for (int n : streams.get(d).unacknowledged()) {
                    publish(c, d, n, window, r);
                    resent++;
                }
                window.acquire(1000);
                c.disconnect().waitForCompletion(5000);
                c.close();
            }
            return resent;
        }
    }

    // ---- HJ 212: 2011 frames asking for a reply, acknowledged by 9014 ----

    private final class Hj212 implements Protocol {
        private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
        private static final DateTimeFormatter QN = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZONE);
        private static final DateTimeFormatter DATA_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZONE);
        /** MN, PW, ST, then sensor id and factor pairs: each frame carries one reading per sensor. */
        private final String[][] loggers = {
                {"33140000HD01010000000001", "hd260511", "32", "hd-t101-level", "p10101", "hd-t101-pressure", "p10102",
                        "hd-t101-temp", "a01001", "hd-co-1", "a21005"},
                {"33140000PG39010000000002", "pg390201", "39", "pg-pm10", "a34002", "pg-wind", "a01007"}};
        private final int port;
        /** One frame per second of DataTime, the standard's resolution; far enough back for 10 runs at 20,000/s. */
        private final long base = (Instant.now().getEpochSecond() - 5 * 86_400) * 1000;
        private final List<Stream> streams = new ArrayList<>();

        Hj212(int port) {
            this.port = port;
            for (String[] l : loggers) {
                String[] sensors = new String[(l.length - 3) / 2];
                for (int i = 0; i < sensors.length; i++) {
                    sensors[i] = l[3 + 2 * i];
                }
                streams.add(new Stream(sensors) {
                    @Override
                    long timeOf(int n) { return base + n * 1000L; }
                });
            }
        }

        @Override
        public List<Stream> streams() { return streams; }

        private byte[] frame(int l, int n) {
            String[] lg = loggers[l];
            Instant t = Instant.ofEpochMilli(streams.get(l).timeOf(n));
            StringBuilder cp = new StringBuilder("DataTime=").append(DATA_TIME.format(t));
            for (int i = 3; i < lg.length; i += 2) {
                cp.append(';').append(lg[i + 1]).append("-Rtd=0.1,").append(lg[i + 1]).append("-Flag=N");
            }
            return Hj212FrameEncoder.frame("QN=" + QN.format(t) + ";ST=" + lg[2] + ";CN=2011;PW=" + lg[1] + ";MN=" + lg[0]
                    + ";Flag=5;CP=&&" + cp + "&&");
        }

        /** One logger's connection: frames written in order, 9014s read back by QN. */
        private final class Link implements AutoCloseable {
            final int logger;
            final Socket socket = new Socket();
            final OutputStream out;
            final Semaphore window = new Semaphore(2000);
            final Map<Long, Integer> inFlight = new ConcurrentHashMap<>();
            final Thread reader;
            final int r;
            volatile boolean closed;

            Link(int logger, int r) throws IOException {
                this.logger = logger;
                this.r = r;
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                socket.setTcpNoDelay(true);
                out = new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
                reader = new Thread(this::read, "hj212-replies");
                reader.setDaemon(true);
                reader.start();
            }

            void send(int n) throws Exception {
                if (!window.tryAcquire()) {
                    out.flush();   // what waits in the buffer must reach the node for its replies to free room
                    window.acquire();
                }
                inFlight.put(streams.get(logger).timeOf(n), n);
                out.write(frame(logger, n));
            }

            private void read() {
                try (InputStream in = new BufferedInputStream(socket.getInputStream())) {
                    ByteArrayOutputStream line = new ByteArrayOutputStream();
                    int prev = -1;
                    int c;
                    while ((c = in.read()) >= 0) {
                        line.write(c);
                        if (prev == '\r' && c == '\n') {
                            String reply = line.toString(StandardCharsets.US_ASCII);
                            line.reset();
                            int at = reply.indexOf("QN=");
                            if (reply.contains("CN=9014") && at >= 0) {
                                long t = Instant.from(QN.parse(reply.substring(at + 3, at + 20))).toEpochMilli();
                                Integer n = inFlight.remove(t);
                                if (n != null) {
                                    acked(streams.get(logger), n, r);
                                    window.release();
                                }
                            }
                        }
                        prev = c;
                    }
                } catch (IOException | RuntimeException gone) {
                    // killed
                } finally {
                    closed = true;
                    window.release(100_000);   // wake a sender waiting for room
                }
            }

            void drain(long millis) throws Exception {
                out.flush();
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                while (!inFlight.isEmpty() && !closed && System.nanoTime() < end) {
                    Thread.sleep(5);
                }
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        }

        @Override
        public void send(double perSecond, int r, java.util.function.BooleanSupplier stopped) throws Exception {
            List<Thread> threads = new ArrayList<>();
            int readings = streams.stream().mapToInt(s -> s.sensors.length).sum();
            for (int l = 0; l < loggers.length; l++) {
                int lg = l;
                // each logger sends as many frames a second; a frame is a reading per sensor
                double frames = perSecond / readings;
                Thread t = new Thread(() -> {
                    try (Link link = new Link(lg, r)) {
                        long start = System.nanoTime();
                        long sent = 0;
                        while (!stopped.getAsBoolean() && !link.closed) {
                            while (System.nanoTime() >= due(start, sent, frames) && !link.closed) {
                                link.send(streams.get(lg).take());
                                sent++;
                            }
                            link.out.flush();
                            Thread.sleep(1);
                        }
                    } catch (Exception gone) {
                        // killed
                    }
                }, "send-" + loggers[l][0]);
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
        }

        @Override
        public int resend(int r) throws Exception {
            int resent = 0;
            for (int l = 0; l < loggers.length; l++) {
                boolean first = true;
                for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90); System.nanoTime() < until; ) {
                    List<Integer> todo = streams.get(l).unacknowledged();
                    if (todo.isEmpty()) {
                        break;
                    }
                    try (Link link = new Link(l, r)) {
                        for (int n : todo) {
                            link.send(n);
                        }
                        resent += first ? todo.size() : 0;   // numbers resent, not tries
                        first = false;
                        link.drain(30_000);
                    }
                }
            }
            return resent;
        }
    }

    // ---- HTTP: batches of 50, acknowledged by 202 ----

    private final class Http implements Protocol {
        private static final int BATCH = 50;
        private final String[][] devices = {
                {"kc-dust-1", "demo-kc-dust-1-8Lk3"}, {"lng-v1-level", "demo-lng-v1-level-3Hq2"},
                {"lng-v1-pressure", "demo-lng-v1-pres-7Jf5"}, {"wjz-fan-1", "demo-wjz-fan-1-1Zs5"}};
        private final int port;
        private final long base = Instant.now().toEpochMilli() - 3_600_000;
        private final List<Stream> streams = new ArrayList<>();
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        Http(int port) {
            this.port = port;
            for (String[] d : devices) {
                streams.add(new Stream(d[0]) {
                    @Override
                    long timeOf(int n) { return base + n; }
                });
            }
        }

        @Override
        public List<Stream> streams() { return streams; }

        /** Posts the numbers as one batch; false when the node is gone. */
        private java.util.concurrent.CompletableFuture<Boolean> post(int d, List<Integer> ns, Semaphore window, int r)
                throws InterruptedException {
            Stream s = streams.get(d);
            StringBuilder b = new StringBuilder("{\"deviceId\":\"").append(devices[d][0]).append("\",\"readings\":[");
            for (int i = 0; i < ns.size(); i++) {
                b.append(i == 0 ? "" : ",").append("{\"value\":0.1,\"ts\":").append(s.timeOf(ns.get(i))).append('}');
            }
            b.append("]}");
            window.acquire();
            return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/readings"))
                            .header("Authorization", "Bearer " + devices[d][1]).timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString(b.toString())).build(), HttpResponse.BodyHandlers.discarding())
                    .handle((resp, e) -> {
                        window.release();
                        if (resp != null && resp.statusCode() == 202) {
                            ns.forEach(n -> acked(s, n, r));
                        }
                        return resp != null;
                    });
        }

        @Override
        public void send(double perSecond, int r, java.util.function.BooleanSupplier stopped) throws Exception {
            List<Thread> threads = new ArrayList<>();
            for (int d = 0; d < devices.length; d++) {
                int dev = d;
                Thread t = new Thread(() -> {
                    Semaphore window = new Semaphore(8);
                    long start = System.nanoTime();
                    long sent = 0;
                    java.util.concurrent.atomic.AtomicBoolean gone = new java.util.concurrent.atomic.AtomicBoolean();
                    try {
                        while (!stopped.getAsBoolean() && !gone.get()) {
                            while (System.nanoTime() >= due(start, sent, perSecond / devices.length) && !gone.get()) {
                                List<Integer> ns = new ArrayList<>(BATCH);
                                for (int i = 0; i < BATCH; i++) {
                                    ns.add(streams.get(dev).take());
                                }
                                post(dev, ns, window, r).thenAccept(up -> {
                                    if (!up) {
                                        gone.set(true);
                                    }
                                });
                                sent += BATCH;
                            }
                            Thread.sleep(1);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "send-" + devices[d][0]);
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
        }

        @Override
        public int resend(int r) throws Exception {
            int resent = 0;
            for (int d = 0; d < devices.length; d++) {
                boolean first = true;
                for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90); System.nanoTime() < until; ) {
                    List<Integer> todo = streams.get(d).unacknowledged();
                    if (todo.isEmpty()) {
                        break;
                    }
                    Semaphore window = new Semaphore(8);
                    List<java.util.concurrent.CompletableFuture<Boolean>> all = new ArrayList<>();
                    for (int i = 0; i < todo.size(); i += BATCH) {
                        all.add(post(d, todo.subList(i, Math.min(todo.size(), i + BATCH)), window, r));
                    }
                    for (var f : all) {
                        f.join();
                    }
                    resent += first ? todo.size() : 0;   // numbers resent, not tries
                    first = false;
                }
            }
            return resent;
        }
    }
}
