package io.safegrid.bench;

import io.safegrid.testing.Deployments;
import io.safegrid.testing.PostgresServer;
import com.sun.net.httpserver.HttpServer;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeviceAccess;
import io.safegrid.config.DeviceClassDef;
import io.safegrid.config.MetricDef;
import io.safegrid.config.NodeSettings;
import io.safegrid.config.ThreadSettings;
import io.safegrid.node.threads.Scheduling;
import io.safegrid.config.Roster;
import io.safegrid.config.RuleDef;
import io.safegrid.config.UserDef;
import io.safegrid.model.Level;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.bus.Urgency;
import io.safegrid.model.device.Protocol;
import io.safegrid.model.device.Sensor;
import io.safegrid.model.device.ValueRange;
import io.safegrid.model.grid.EnterpriseProfile;
import io.safegrid.model.grid.Grid;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import io.safegrid.node.load.LoadFleet;
import io.safegrid.node.wiring.Metrics;
import io.safegrid.node.wiring.Node;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * From a reading arriving at ingest to the first notification attempt reaching the SMS gateway,
 * on a whole node (all roles, embedded QuestDB recording everything) while a background MQTT load
 * runs. Each probe is one methane reading over HTTP that crosses the orange limit on a fresh
 * sensor, so it raises a new alarm; the enterprise's duty officer is told by SMS, and a local
 * HTTP server standing in for the gateway notes when the message arrives. One probe at a time,
 * so arrivals match probes in order.
 *
 * <p>The target's clock starts when ingest accepted the reading (its {@code receivedAt}) and stops
 * when the SMS request reaches the gateway (so the channel's own HTTP exchange counts); the client's
 * view, from before its send, is printed too.
 *
 * <p>Run it as the launcher runs a node: {@code -XX:ThreadPriorityPolicy=1} (see docs/operations.md, "Thread
 * priorities"); the node's {@code node.threads.realtime} is {@code auto} ({@code -Dsafegrid.bench.realtime}
 * changes it); the numbers in docs/performance.md say which they had.
 *
 * <p>{@code java ... io.safegrid.bench.AlertLatency [probes] [background readings/s] [load devices] [warm-up probes] [warm-up seconds]}
 */
public final class AlertLatency {
    /**
     * The node's {@code node.threads}: real-time as the launcher would give it ({@code auto}: where this user
     * may), or {@code -Dsafegrid.bench.realtime=on|off|auto}.
     */
    private static final ThreadSettings THREADS = new ThreadSettings(true,
            ThreadSettings.Realtime.valueOf(System.getProperty("safegrid.bench.realtime", "auto").toUpperCase(Locale.ROOT)), 1);

    private static final GridPath MINE = GridPath.parse("bx/town/village/mine");

    public static void main(String[] args) throws Exception {
        IngestThroughput.quietLogs();
        int probes = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        double background = args.length > 1 ? Double.parseDouble(args[1]) : 40_000;
        int loadDevices = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        // unmeasured probes first: the alarm path runs once per probe, so without them the measured
        // probes would time the JIT compiling H2 and the outbox (a node that has run a day is warm)
        int warm = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        // ... and for at least this long under the background load: the JIT compiles the busy paths
        // (ingest, the bus, the recorder) for a minute or so, with a core's worth of C2 at first
        int warmSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 60;

        // the JDK's server writes an answer's head and body apart; with Nagle on, the body waited for the
        // node's delayed ACK (~40 ms), which kept the SMS channel busy and queued the next alarm's message
        System.setProperty("sun.net.httpserver.nodelay", "true");
        LinkedBlockingQueue<long[]> arrivals = new LinkedBlockingQueue<>();
        HttpServer gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        gateway.createContext("/sms", ex -> {
            arrivals.add(new long[] {System.nanoTime(), epochNanos(Instant.now())});
            ex.getRequestBody().readAllBytes();
            byte[] ok = "{\"code\":0}".getBytes();
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        // the gateway stands in for another machine: its thread must not queue behind the node's work for
        // a core (it takes the scheduling of the thread that starts it, under the node's thread policy)
        new Scheduling(THREADS).makeOn(Urgency.URGENT, () -> {
            gateway.start();
            return gateway;
        });

        LoadFleet fleet = LoadFleet.of(loadDevices);
        Path data = Files.createTempDirectory("safegrid-alert-latency");
        Deployment d = deployment(fleet, warm + probes, data, "http://127.0.0.1:" + gateway.getAddress().getPort() + "/sms");
        // -Dsafegrid.bench.alarms=postgres: the alarm store on a PostgreSQL server on this machine, fsync on as in
        // production (Debian's server, started here in a temp dir); default the embedded H2 file
        String store = System.getProperty("safegrid.bench.alarms", "h2");
        PostgresServer pg = null;
        if (store.startsWith("postgres")) {
            pg = PostgresServer.start(true);
            d = Deployments.from(d).alarms(io.safegrid.config.AlarmsConfig.at(pg.freshDatabase("alarms"), "safegrid", ""))
                    .build();
        }
        // -Dsafegrid.bench.bus=kafka: the node's stages meet on Kafka, a broker in a JVM of its own
        // (KafkaBrokerProcess), instead of the in-process bus
        KafkaBrokerProcess kafka = null;
        if (System.getProperty("safegrid.bench.bus", "in-process").equals("kafka")) {
            kafka = KafkaBrokerProcess.start("1g");
            d = Deployments.from(d).bus(new io.safegrid.config.BusConfig(io.safegrid.config.BusConfig.KAFKA,
                    kafka.bootstrapServers(), "alert.", 12, Duration.ofSeconds(10))).build();
        }
        System.out.println("bus: " + (kafka == null ? "in-process" : "Kafka, broker in its own JVM (kafka.Kafka, KRaft)"));
        System.out.println("alarm store: " + (pg == null ? "embedded H2 file" : "PostgreSQL (fsync on, same machine)"));
        var registry = Metrics.create();
        StepTimes steps = new StepTimes(registry, new java.util.LinkedHashSet<>(List.of("safegrid.alarms.ledger.wait",
                "safegrid.alarms.store.transaction", "safegrid.alarms.store.commit", "safegrid.notify.pickup",
                "safegrid.notify.send")));
        Node node = new Node(ConfigSource.of(d), null, registry).start();
        if (pg != null) {
            // the node gives the ledger's backend the alarm path's scheduling where it may (ServerScheduling)
            System.out.println("alarm store's backend at the alarm path's scheduling: "
                    + (registry.get("safegrid.alarms.store.server.urgent").gauge().value() == 1 ? "yes" : "no"));
        }
        // when each probe's alarm was committed and published, seen by an extra bus group on ALARMS (only
        // probes raise alarms there), as urgent as the alarm path's own groups so that it notes the moment it
        // happens. Not on READINGS: a group there would wake for every background reading and slow the node it
        // measures (12 % of a core at 50,000/s). Not on FINDINGS either: the rules publish a finding on ingest's
        // own thread, microseconds after acceptance, and a bench group there would wake at the same real-time
        // priority as alerting's, for the same finding, and wait behind (or delay) its transaction.
        // per probe: when the alarm was seen (nanoTime, then wall clock), and when ingest accepted the reading.
        // The probe carries no device time, so its reading's time, the finding's and the new alarm's raisedAt are
        // ingest's receivedAt (microseconds on Linux), where the target starts
        Map<String, long[]> alarmed = new java.util.concurrent.ConcurrentHashMap<>();
        node.bus().subscribe(Topic.ALARMS, "bench-stages", Urgency.URGENT, (k, e) -> {
            if (e.type() == AlarmEvent.Type.RAISED && e.alarm().sourceId().startsWith("probe-")) {
                alarmed.put(e.alarm().sourceId(),
                        new long[] {System.nanoTime(), epochNanos(Instant.now()), epochNanos(e.alarm().raisedAt())});
            }
        });
        Histogram[] stages = new Histogram[2];
        for (int i = 0; i < stages.length; i++) {
            stages[i] = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
        }
        HttpClient http = HttpClient.newHttpClient();
        URI readings = URI.create("http://127.0.0.1:" + node.stages().ingestHttpPort() + "/api/v1/readings");
        try {
            // the devices run in a JVM of their own, as they would on their own machines: in this one their
            // allocation and threads would be the node's garbage and the node's safepoints
            // -Dsafegrid.bench.devicesNice=N runs them at that nice, so they take the cores the node leaves (as
            // devices on other machines would); 0, the default, lets them compete with the node as equals
            List<String> cmd = new ArrayList<>();
            int devicesNice = Integer.getInteger("safegrid.bench.devicesNice", 0);
            if (devicesNice != 0) {
                cmd.addAll(List.of("nice", "-n", String.valueOf(devicesNice)));
            }
            cmd.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), "io.safegrid.node.cli.SafeGridCli", "load", "mqtt",
                    "--port", String.valueOf(node.stages().mqttPort()), "--devices", String.valueOf(loadDevices),
                    "--rate", String.valueOf(background), "--qos", "0",
                    "--duration", (5 + Math.max(warmSeconds, warm / 40) + probes / 15 + 10) + "s"));
            Process load = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(data.resolve("load.log").toFile()).start();
            Thread.sleep(3000);
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
            Histogram fromIngest = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
            List<long[]> slowest = new ArrayList<>(); // per probe: total, then each stage
            int lost = 0;
            long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmSeconds);
            Machine before = null;
            for (int i = 0; i < warm + probes; i++) {
                if (i == warm - 1) {
                    while (System.nanoTime() < warmUntil) {
                        Thread.sleep(50);
                    }
                }
                if (i == warm) {
                    before = Machine.now();
                    steps.start();
                }
                String body = String.format(Locale.ROOT, "{\"deviceId\":\"probe-%04d\",\"value\":1.2}", i);
                HttpRequest req = HttpRequest.newBuilder(readings).header("Authorization", "Bearer probe-secret-" + i)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
                long sent = System.nanoTime();
                HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() / 100 != 2) {
                    throw new IllegalStateException("probe refused: " + res.statusCode() + " " + res.body());
                }
                long[] gw = arrivals.poll(10, TimeUnit.SECONDS);
                if (gw == null) {
                    lost++;
                    continue;
                }
                long arrived = gw[0];
                String id = String.format(Locale.ROOT, "probe-%04d", i);
                if (i >= warm) {
                    h.recordValue(Math.max(0, arrived - sent));
                    // the bench's ALARMS group may note the probe after the SMS is out: wait for it
                    for (int w = 0; w < 1000 && !alarmed.containsKey(id); w++) {
                        Thread.sleep(1);
                    }
                    long[] t = alarmed.get(id);
                    if (t != null) {
                        long accepted = t[2];
                        fromIngest.recordValue(Math.max(0, gw[1] - accepted));
                        long[] parts = {gw[1] - accepted, t[1] - accepted, arrived - t[0]};
                        for (int k = 0; k < stages.length; k++) {
                            stages[k].recordValue(Math.max(0, parts[k + 1]));
                        }
                        slowest.add(parts);
                    }
                }
                Thread.sleep(i < warm ? 10 : 50);
            }
            Machine after = Machine.now();
            load.waitFor();
            List<String> loadLog = Files.readAllLines(data.resolve("load.log"));
            System.out.printf(Locale.ROOT, "background (own JVM): %s%n", loadLog.isEmpty() ? "no output" : loadLog.get(loadLog.size() - 1));
            System.out.printf(Locale.ROOT,
                    "reading accepted at ingest → first notification attempt at the SMS gateway, %d probes (%d warm-up before, %d without a message):%n"
                            + "  p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    fromIngest.getTotalCount(), warm, lost, ms(fromIngest, 50), ms(fromIngest, 90), ms(fromIngest, 99),
                    fromIngest.getMaxValue() / 1e6);
            System.out.printf(Locale.ROOT,
                    "the same from the probe's HTTP client (its send, connection and the request's way in included):%n"
                            + "  p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    ms(h, 50), ms(h, 90), ms(h, 99), h.getMaxValue() / 1e6);
            String[] names = {"accepted at ingest → alarm committed and published", "alarm published → SMS at the gateway"};
            if (before != null) {
                System.out.println("  while measuring: " + before.until(after));
            }
            System.out.println("per stage (each stage's own percentiles; they do not add up):");
            for (int k = 0; k < stages.length; k++) {
                System.out.printf(Locale.ROOT, "  %-42s p50 %6.2f ms, p90 %6.2f ms, p99 %6.2f ms, max %6.2f ms%n", names[k],
                        ms(stages[k], 50), ms(stages[k], 90), ms(stages[k], 99), stages[k].getMaxValue() / 1e6);
            }
            // where the tail's time went, probe by probe: a stage's p99 alone does not say which probes it hurt
            slowest.sort((a, b) -> Long.compare(b[0], a[0]));
            System.out.println("slowest 1 % of probes (total | to the alarm, to the SMS), ms:");
            for (long[] p : slowest.subList(0, Math.min(slowest.size(), Math.max(3, slowest.size() / 100)))) {
                System.out.printf(Locale.ROOT, "  %6.2f | %6.2f %6.2f%n", p[0] / 1e6, p[1] / 1e6, p[2] / 1e6);
            }
            for (String meter : new String[] {"safegrid.alarms.store.transaction", "safegrid.notify.pickup",
                    "safegrid.notify.send"}) {
                for (io.micrometer.core.instrument.Timer t : registry.find(meter).timers()) {
                    System.out.printf(Locale.ROOT, "  %-42s n %d, mean %.2f ms, max %.2f ms%n", meter,
                            t.count(), t.mean(TimeUnit.MILLISECONDS), t.max(TimeUnit.MILLISECONDS));
                }
            }
            steps.print();
            // a probe that found the READINGS queues full waited at ingest for a slow group to drain
            for (io.safegrid.model.bus.TopicStats t : node.bus().stats()) {
                if (t.topic().equals(Topic.READINGS.name())) {
                    System.out.printf(Locale.ROOT, "  bus READINGS: %d published, %d offers refused (queue full)%n",
                            t.published(), t.refused());
                }
            }
            System.out.printf(Locale.ROOT, "  ingest backpressure pauses: %.0f%n",
                    registry.find("safegrid.ingest.backpressure.pauses").counters().stream().mapToDouble(c -> c.count()).sum());
        } finally {
            node.close();
            gateway.stop(0);
            if (pg != null) {
                pg.close();
            }
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static double ms(Histogram h, double p) { return h.getValueAtPercentile(p) / 1e6; }

    private static Deployment deployment(LoadFleet fleet, int probes, Path data, String smsUrl) {
        NodeSettings node = new NodeSettings("bench", NodeSettings.ALL_ROLES, "127.0.0.1", 0, 0, -1, 0, -1, data,
                256 * 1024, 0, null).withThreads(THREADS);
        List<GridNode> nodes = new ArrayList<>(List.of(
                new GridNode(GridPath.parse("bx"), GridKind.COUNTY, "测试县", null),
                new GridNode(GridPath.parse("bx/town"), GridKind.TOWNSHIP, "测试镇", null),
                new GridNode(GridPath.parse("bx/town/village"), GridKind.VILLAGE, "测试村", null),
                new GridNode(MINE, GridKind.ENTERPRISE, "测试煤矿",
                        new EnterpriseProfile("coal-mine", null, null, List.of(), null)),
                new GridNode(fleet.site().parent(), GridKind.COUNTY, "load", null),
                new GridNode(fleet.site(), GridKind.ENTERPRISE, "load", null)));
        List<Sensor> sensors = new ArrayList<>(fleet.sensors());
        Map<String, DeviceAccess> access = new HashMap<>(fleet.access());
        for (int i = 0; i < probes; i++) {
            String id = String.format(Locale.ROOT, "probe-%04d", i);
            sensors.add(new Sensor(id, id, MINE, "methane", "%", new ValueRange(0, 40), "coal-working-face", Protocol.HTTP));
            access.put(id, new DeviceAccess(id, "probe-secret-" + i, null));
        }
        RuleDef methane = new RuleDef("methane-face", RuleDef.Type.THRESHOLD, "methane", List.of("coal-working-face"),
                Map.of(Level.ORANGE, 1.0, Level.RED, 1.5), Map.of(), 1.0, Duration.ZERO, null, null, null, null, null,
                null, "bench");
        UserDef duty = new UserDef("duty", "值班员", null, "enterprise-operator", MINE, Map.of("sms", "13800000000"));
        return Deployments.builder().name("alert latency").node(node)
                .metric(new MetricDef("methane", "甲烷", "Methane", "%", new ValueRange(0, 40), null))
                .deviceClass(new DeviceClassDef("coal-working-face", "T1", Duration.ofMinutes(5)))
                .deviceClass(new DeviceClassDef("load", "load generator", Duration.ofMinutes(5)))
                .grid(new Grid(nodes)).sensors(sensors).access(access).rule(methane)
                .roster(new Roster(MINE, List.of(), "duty"))
                .channel(new ChannelDef("sms", "sms", Map.of("url", smsUrl))).user(duty).build();
    }

    /** The whole machine's CPU time (/proc/stat, all processes) and this JVM's collections, to tell a quiet run from a busy one. */
    private record Machine(long[] cpu, long collections, long collectingMillis) {
        static Machine now() {
            long[] cpu = new long[8];
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                for (int i = 0; i < cpu.length && i + 1 < f.length; i++) {
                    cpu[i] = Long.parseLong(f[i + 1]);
                }
            } catch (java.io.IOException | RuntimeException e) {
                // not Linux: CPU shares print as zero
            }
            long n = 0;
            long ms = 0;
            for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
                n += Math.max(0, gc.getCollectionCount());
                ms += Math.max(0, gc.getCollectionTime());
            }
            return new Machine(cpu, n, ms);
        }

        String until(Machine later) {
            long total = 0;
            long[] d = new long[cpu.length];
            for (int i = 0; i < cpu.length; i++) {
                d[i] = later.cpu[i] - cpu[i];
                total += d[i];
            }
            double t = Math.max(1, total) / 100.0;
            // fields: user nice system idle iowait irq softirq steal
            return String.format(Locale.ROOT, "CPU user %.0f %%, sys %.0f %%, idle %.0f %% (all processes); %d collections, %d ms in all",
                    (d[0] + d[1]) / t, (d[2] + d[5] + d[6]) / t, (d[3] + d[4]) / t, later.collections - collections,
                    later.collectingMillis - collectingMillis);
        }
    }
}
