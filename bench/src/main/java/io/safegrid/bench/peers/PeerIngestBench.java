package io.safegrid.bench.peers;

import io.safegrid.bench.ProcessCpu;
import io.safegrid.node.load.LoadFleet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * SafeGrid's MQTT ingest next to the Java brokers an integrator would embed instead (HiveMQ CE, Moquette),
 * in one run, under the same load: single-reading JSON PUBLISHes from {@code devices} connections, offered
 * as fast as each target takes them ({@link LoadClient}, in separate processes so the device connections
 * and the target's do not share one process's file handles), first at QoS 0, then at QoS 1. Each target
 * consumes in-process and parses the same JSON ({@link ReadingSink}). A target's figure is readings
 * consumed per second over the measuring window, and per CPU-second of this process (the target's core
 * use), which is what the ratios are taken on when the machine is shared. At QoS 0 the offer is capped, second by
 * second, at twice what the target took in the last one ({@link #pace}).
 *
 * <p>{@code taskset -c 0 java -Dsafegrid.bench.clientCpus=1 … PeerIngestBench [devices] [seconds] [warm-up s]
 * [peers] [qos]}; peers is a comma list of {@code safegrid,hivemq,moquette}, qos of {@code 0,1}.
 * {@code safegrid.bench.clientCpus} pins the load processes ({@code taskset -c}).
 */
public final class PeerIngestBench {
    /** Device connections per load process: well under the per-process file handle limit. */
    private static final int PER_CLIENT = 10_000;
    private static final long SELF = ProcessHandle.current().pid();

    record Row(String target, int qos, double perSecond, double cpuCores, double perCpuSecond, double offeredPerSecond,
               long bad, double jitCores, String threads) {
        /** Readings per CPU-second of everything but the JIT compiler's threads: the steady cost, without warming. */
        double perCpuSecondNoJit() { return perSecond / (cpuCores - jitCores); }
    }

    public static void main(String[] args) {
        try {
            bench(args);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);   // a broker's non-daemon threads would keep the JVM, and the bench lock, alive
        }
        System.exit(0);
    }

    private static void bench(String[] args) throws Exception {
        quietLogs();
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int warm = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String[] peers = (args.length > 3 ? args[3] : "safegrid,hivemq,moquette").split(",");
        String[] qosList = (args.length > 4 ? args[4] : "0,1").split(",");
        LoadFleet fleet = LoadFleet.of(devices);
        System.out.printf(Locale.ROOT, "peers: %d devices, %d s warm-up, %d s measured, this process on %d CPU(s), load on %s%n",
                devices, warm, seconds, Runtime.getRuntime().availableProcessors(),
                System.getProperty("safegrid.bench.clientCpus", "any CPU"));
        List<Row> rows = new ArrayList<>();
        for (String p : peers) {
            Target t = switch (p.trim()) {
                case "safegrid" -> new SafeGridTarget(fleet);
                case "hivemq" -> new HiveMqTarget();
                case "moquette" -> new MoquetteTarget();
                default -> throw new IllegalArgumentException("unknown peer " + p);
            };
            rows.addAll(measure(t, fleet, seconds, warm, qosList));
            System.gc();
            Thread.sleep(2000);
        }
        System.out.println();
        System.out.println("| target | QoS | devices | readings/s | target CPU (cores) | of which JIT | readings per CPU-second | without the JIT | offered/s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %,.0f | %.2f | %.2f | %,.0f | %,.0f | %,.0f |%n", r.target(), r.qos(),
                    devices, r.perSecond(), r.cpuCores(), r.jitCores(), r.perCpuSecond(), r.perCpuSecondNoJit(),
                    r.offeredPerSecond());
        }
        for (String q : qosList) {
            int qos = Integer.parseInt(q.trim());
            Row sg = find(rows, "SafeGrid", qos);
            for (Row r : rows) {
                if (sg != null && r.qos() == qos && r != sg) {
                    System.out.printf(Locale.ROOT, "QoS %d: SafeGrid / %s = %.2fx readings/s, %.2fx per CPU-second, %.2fx without the JIT%n",
                            qos, r.target(), sg.perSecond() / r.perSecond(), sg.perCpuSecond() / r.perCpuSecond(),
                            sg.perCpuSecondNoJit() / r.perCpuSecondNoJit());
                }
            }
        }
    }

    /** Without a logback.xml logback logs DEBUG; the brokers' start-up chatter too. Keep the output to the results. */
    private static void quietLogs() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
            // Moquette warns once per QoS 0 message it drops when its session queues are full; counted, not logged
            ctx.getLogger("io.moquette").setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    private static Row find(List<Row> rows, String prefix, int qos) {
        return rows.stream().filter(r -> r.target().startsWith(prefix) && r.qos() == qos).findFirst().orElse(null);
    }

    private static List<Row> measure(Target t, LoadFleet fleet, int seconds, int warm, String[] qosList) throws Exception {
        ReadingSink sink = new ReadingSink(fleet);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<Row> rows = new ArrayList<>();
        List<Client> clients = new ArrayList<>();
        t.start(port, sink);
        try {
            long t0 = System.nanoTime();
            int n = fleet.devices();
            for (int first = 0; first < n; first += PER_CLIENT) {
                clients.add(Client.start(port, first, Math.min(PER_CLIENT, n - first), n));
            }
            for (Client c : clients) {
                c.expect("READY", Duration.ofMinutes(4));
            }
            System.out.printf(Locale.ROOT, "%s: %d devices connected in %.1f s%n", t.name(), n, (System.nanoTime() - t0) / 1e9);
            for (String q : qosList) {
                int qos = Integer.parseInt(q.trim());
                clients.forEach(c -> c.send("RUN " + qos));
                Thread pacer = qos == 0 ? pace(sink, clients) : null;
                Thread.sleep(warm * 1000L);
                clients.forEach(c -> c.send("MARK"));
                for (Client c : clients) {
                    c.sent();
                }
                long r0 = sink.readings();
                Map<String, Double> threads0 = ProcessCpu.byThread(SELF);
                long cpu0 = cpuNanos();
                long w0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                long r1 = sink.readings();
                long cpu1 = cpuNanos();
                long w1 = System.nanoTime();
                Map<String, Double> threads1 = ProcessCpu.byThread(SELF);
                clients.forEach(c -> c.send("MARK"));
                long offered = 0;
                for (Client c : clients) {
                    offered += c.sent();
                }
                if (pacer != null) {
                    pacer.interrupt();
                    pacer.join();
                }
                clients.forEach(c -> c.send("PAUSE"));
                for (Client c : clients) {
                    c.sent();
                }
                drain(sink);
                double wall = (w1 - w0) / 1e9;
                double cpu = (cpu1 - cpu0) / 1e9;
                double jit = jitSeconds(threads1) - jitSeconds(threads0);
                Row row = new Row(t.name(), qos, (r1 - r0) / wall, cpu / wall, (r1 - r0) / cpu, offered / wall, sink.bad(),
                        jit / wall, ProcessCpu.difference(threads0, threads1));
                rows.add(row);
                System.out.printf(Locale.ROOT, "%s QoS %d: %,.0f readings/s on %.2f cores (JIT %.2f) = %,.0f per CPU-second, %,.0f without the JIT; offered %,.0f/s; bad %d%n",
                        row.target(), qos, row.perSecond(), row.cpuCores(), row.jitCores(), row.perCpuSecond(),
                        row.perCpuSecondNoJit(), row.offeredPerSecond(), row.bad());
                System.out.println("  CPU by thread: " + row.threads());
                Thread.sleep(1000);
            }
        } finally {
            for (Client c : clients) {
                c.stop();
            }
            t.close();
        }
        return rows;
    }

    /**
     * At QoS 0, caps the offer every second at twice what the target took in the last one (at least
     * 20,000/s): still more than it takes, so its ceiling shows, without a broker that reads everything
     * off its sockets and queues it in memory (HiveMQ) growing that queue past its heap.
     */
    private static Thread pace(ReadingSink sink, List<Client> clients) {
        Thread t = new Thread(() -> {
            long last = sink.readings();
            try {
                while (true) {
                    Thread.sleep(1000);
                    long now = sink.readings();
                    double each = Math.max(20_000, 2.0 * (now - last)) / clients.size();
                    last = now;
                    clients.forEach(c -> c.send("RATE " + each));
                }
            } catch (InterruptedException e) {
                // the phase is over
            }
        }, "qos0-pacer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until what was sent has been consumed (or dropped), so one phase does not count the last one's backlog. */
    private static void drain(ReadingSink sink) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long last = -1;
        int still = 0;
        while (System.nanoTime() < until && still < 3) {   // 3 quiet seconds: a starved target may pause for one
            long now = sink.readings();
            still = now == last ? still + 1 : 0;
            last = now;
            Thread.sleep(1000);
        }
    }

    /** CPU seconds of the JIT compiler's threads ({@code C1/C2 CompilerThread}, names cut at 15 characters). */
    private static double jitSeconds(Map<String, Double> byThread) {
        return byThread.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre")).mapToDouble(Map.Entry::getValue).sum();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** One {@link LoadClient} process and its answers. */
    private static final class Client {
        private final Process process;
        private final PrintWriter in;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        private Client(Process process) {
            this.process = process;
            this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        if (l.equals("READY") || l.startsWith("SENT ")) {
                            lines.add(l);
                        } else {
                            System.out.println("  [load] " + l);
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            }, "load-client-out");
            reader.setDaemon(true);
            reader.start();
        }

        static Client start(int port, int first, int count, int total) throws java.io.IOException {
            List<String> cmd = new ArrayList<>();
            String cpus = System.getProperty("safegrid.bench.clientCpus");
            if (cpus != null && !cpus.isBlank()) {
                cmd.addAll(List.of("taskset", "-c", cpus));
            }
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(List.of("-Xmx1g", "-XX:+ExitOnOutOfMemoryError", "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener", "-cp", System.getProperty("java.class.path"),
                    LoadClient.class.getName(), "127.0.0.1", Integer.toString(port), Integer.toString(first),
                    Integer.toString(count), Integer.toString(total)));
            return new Client(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        }

        void send(String line) { in.println(line); }

        void expect(String what, Duration within) throws Exception {
            String l = lines.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (!what.equals(l)) {
                throw new IllegalStateException("load client: expected " + what + ", got " + l);
            }
        }

        long sent() throws Exception {
            String l = lines.poll(30, TimeUnit.SECONDS);
            if (l == null || !l.startsWith("SENT ")) {
                throw new IllegalStateException("load client: expected SENT, got " + l);
            }
            return Long.parseLong(l.split(" ")[1]);
        }

        void stop() throws InterruptedException {
            send("EXIT");
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
