package io.safegrid.bench;

import io.safegrid.testing.Deployments;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeviceClassDef;
import io.safegrid.config.Deployment;
import io.safegrid.config.NodeSettings;
import io.safegrid.ingest.SensorIngest;
import io.safegrid.ingest.hj212.Hj212FrameEncoder;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.node.load.LoadFleet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hostile clients against an in-process ingest with the default limits, over loopback:
 *
 * <ul>
 * <li>{@code flood [connections per protocol] [source addresses]}: idle and dripping unauthenticated
 *     connections on MQTT, HJ 212 and HTTP from many 127.x addresses, then a valid device on each
 *     protocol, timed from connect to its acknowledgement, 20 times each;
 * <li>{@code never-read [clients] [seconds] [logged-in]}: HJ 212 clients sending at full speed without
 *     reading their replies (invalid-CRC frames that ask for a reply, or with {@code logged-in} valid
 *     readings from the fleet's loggers); the node's queued reply bytes and the process RSS.
 * <li>{@code unfinished-bodies [clients] [addresses]}: HTTP ingest requests with a valid token and a
 *     chunked body that never ends (one 200 KB chunk, then silence), from many 127.x addresses; how
 *     many the node answers 503, its direct memory while they hang and after its request deadline.
 * </ul>
 * The client and the node share one process (and its file handle limit).
 */
public final class HostileClients {

    public static void main(String[] args) throws Exception {
        IngestThroughput.quietLogs();
        String mode = args.length > 0 ? args[0] : "flood";
        LoadFleet fleet = LoadFleet.of(10);
        NodeSettings node = new NodeSettings("bench", NodeSettings.ALL_ROLES, "127.0.0.1", -1, 0, 0, 0, -1, Path.of("target"),
                256 * 1024, 1000, null);
        Deployment d = Deployments.builder().name("bench").node(node)
                .deviceClass(new DeviceClassDef("load", "load generator", Duration.ofMinutes(5)))
                .sensors(fleet.sensors()).access(fleet.access()).build();
        try (InProcessBus bus = new InProcessBus();
             SensorIngest ingest = new SensorIngest(ConfigSource.of(d), bus, new SimpleMeterRegistry(), Clock.systemUTC())) {
            ingest.start();
            if (mode.equals("unfinished-bodies")) {
                unfinishedBodies(ingest, fleet, args.length > 1 ? Integer.parseInt(args[1]) : 1000,
                        args.length > 2 ? Integer.parseInt(args[2]) : 100);
            } else if (mode.equals("never-read")) {
                neverRead(ingest, fleet, args.length > 1 ? Integer.parseInt(args[1]) : 10,
                        args.length > 2 ? Integer.parseInt(args[2]) : 60, args.length > 3 && args[3].equals("logged-in"));
            } else {
                flood(ingest, fleet, args.length > 1 ? Integer.parseInt(args[1]) : 2000, args.length > 2 ? Integer.parseInt(args[2]) : 100);
            }
        }
    }

    private static void flood(SensorIngest ingest, LoadFleet fleet, int perProtocol, int addresses) throws Exception {
        int[] ports = {ingest.mqttPort(), ingest.hj212Port(), ingest.httpPort()};
        for (int i = 0; i < 200; i++) {   // warm-up: the valid paths JIT-compiled before the flood
            mqtt(ingest.mqttPort(), fleet.deviceId(0), fleet.secret(), fleet.topic(0));
            hj212(ingest.hj212Port(), fleet.access().get(fleet.deviceId(0)).hj212());
            http(ingest.httpPort(), fleet.deviceId(0), fleet.secret());
        }
        List<Socket> flood = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < perProtocol; i++) {
            for (int port : ports) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress("127.0." + (1 + i % addresses / 250) + "." + (1 + i % addresses % 250), 0));
                try {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                    if (i % 2 == 0) {
                        s.getOutputStream().write(port == ingest.mqttPort() ? 0x10 : port == ingest.hj212Port() ? '#' : 'P');
                    }
                } catch (IOException refused) {
                    // closed by the guard meanwhile
                }
                flood.add(s);
            }
        }
        System.out.printf("flood: %d connections from %d addresses opened in %.1f s; open handles %d%n", flood.size(), addresses,
                (System.nanoTime() - t0) / 1e9, openHandles());
        for (String p : List.of("mqtt", "hj212", "http")) {
            System.out.printf("  %-5s open %d, unauthenticated %d%n", p, ingest.guard(p).open(), ingest.guard(p).unauthenticated());
        }
        String dev = fleet.deviceId(0);
        String secret = fleet.secret();
        var hj = fleet.access().get(dev).hj212();
        for (String p : List.of("mqtt", "hj212", "http")) {
            long[] ms = new long[20];
            for (int i = 0; i < ms.length; i++) {
                long s0 = System.nanoTime();
                switch (p) {
                    case "mqtt" -> mqtt(ingest.mqttPort(), dev, secret, fleet.topic(0));
                    case "hj212" -> hj212(ingest.hj212Port(), hj);
                    default -> http(ingest.httpPort(), dev, secret);
                }
                ms[i] = (System.nanoTime() - s0) / 1000;
            }
            Arrays.sort(ms);
            System.out.printf("  valid %-5s device during the flood: connect to acknowledgement p50 %.1f ms, max %.1f ms%n", p,
                    ms[ms.length / 2] / 1000.0, ms[ms.length - 1] / 1000.0);
        }
        for (Socket s : flood) {
            s.close();
        }
    }

    private static void mqtt(int port, String user, String secret, String topic) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(packet(0x10, concat(str("MQTT"), new byte[] {4, (byte) 0xC2, 0, 60}, str("b" + System.nanoTime()),
                    str(user), str(secret))));
            expect(s.getInputStream(), 0x20, 0x02, 0x00, 0x00);
            s.getOutputStream().write(packet(0x32, concat(str(topic), new byte[] {0, 1},
                    "{\"value\": 1.5}".getBytes(StandardCharsets.UTF_8))));
            expect(s.getInputStream(), 0x40, 0x02, 0x00, 0x01);
        }
    }

    private static void hj212(int port, io.safegrid.config.DeviceAccess.Hj212Binding b) throws IOException {
        if (b == null) {
            throw new IllegalStateException("the fleet has no HJ 212 logger");
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(Hj212FrameEncoder.frame("QN=20240101120000001;ST=22;CN=2011;PW=" + b.password() + ";MN="
                    + b.mn() + ";Flag=5;CP=&&DataTime=20240101120000;" + b.factor() + "-Rtd=1.5&&"));
            String line = line(s.getInputStream());
            if (!line.contains("CN=9014")) {
                throw new IOException("not acknowledged: " + line);
            }
        }
    }

    private static void http(int port, String dev, String secret) throws IOException {
        byte[] body = ("{\"deviceId\": \"" + dev + "\", \"value\": 1.5}").getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("POST /api/v1/readings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + secret
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(body);
            String line = line(s.getInputStream());
            if (!line.startsWith("HTTP/1.1 202")) {
                throw new IOException("not accepted: " + line);
            }
        }
    }

    private static void unfinishedBodies(SensorIngest ingest, LoadFleet fleet, int clients, int addresses) throws Exception {
        byte[] chunk = new byte[200 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        byte[] head = ("POST /api/v1/readings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + fleet.secret()
                + "\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        long directBefore = io.netty.util.internal.PlatformDependent.usedDirectMemory();
        List<Socket> open = new ArrayList<>();
        int refused = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            Socket s = new Socket();
            s.bind(new InetSocketAddress("127.0." + (1 + i % addresses / 250) + "." + (1 + i % addresses % 250), 0));
            try {
                s.connect(new InetSocketAddress("127.0.0.1", ingest.httpPort()), 2000);
                s.setSoTimeout(1);
                s.getOutputStream().write(head);
                s.getOutputStream().write(chunk);
                open.add(s);
            } catch (IOException closed) {
                refused++;
                s.close();
            }
        }
        Thread.sleep(2000);
        int answered503 = 0;
        for (Socket s : open) {
            try {
                byte[] b = new byte[12];
                int n = s.getInputStream().read(b);
                if (n > 0 && new String(b, 0, n, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 503")) {
                    answered503++;
                }
            } catch (IOException silent) {
                // still waiting for the rest of its body: no answer yet
            }
        }
        long directHanging = io.netty.util.internal.PlatformDependent.usedDirectMemory();
        System.out.printf("unfinished bodies: %d clients from %d addresses in %.1f s; %d refused at connect, %d answered 503,"
                        + " %d in flight (%d bytes)%n", clients, addresses, (System.nanoTime() - t0) / 1e9, refused, answered503,
                open.size() - answered503, ingest.bodies().held());
        System.out.printf("  Netty direct memory: %.1f MB before, %.1f MB while they hang; RSS %d MB%n", directBefore / 1e6,
                directHanging / 1e6, rssKb() / 1024);
        Thread.sleep(35_000);   // past the whole-request deadline (30 s)
        System.out.printf("  after the request deadline: direct memory %.1f MB, bodies in flight %d bytes, RSS %d MB%n",
                io.netty.util.internal.PlatformDependent.usedDirectMemory() / 1e6, ingest.bodies().held(), rssKb() / 1024);
        for (Socket s : open) {
            s.close();
        }
    }

    /**
     * @param loggedIn send valid readings as the fleet's loggers (each acknowledged) instead of
     *                 invalid-CRC frames (answered without a password, but never logged in)
     */
    private static void neverRead(SensorIngest ingest, LoadFleet fleet, int clients, int seconds, boolean loggedIn)
            throws Exception {
        byte[] bad = Hj212FrameEncoder.frame("QN=20240101120000001;ST=22;CN=2011;PW=1;MN=" + "M".repeat(900)
                + ";Flag=5;CP=&&a21005-Rtd=1&&");
        bad[bad.length - 6] = bad[bad.length - 6] == '0' ? (byte) '1' : (byte) '0';   // wrong CRC: a reply, no password
        System.gc();
        long before = rssKb();
        List<SocketChannel> chs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", ingest.hj212Port()));
            ch.configureBlocking(false);
            chs.add(ch);
        }
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long sent = 0;
        long maxRss = before;
        long maxQueued = 0;
        ByteBuffer[] bufs = new ByteBuffer[clients];
        for (int i = 0; i < clients; i++) {
            bufs[i] = ByteBuffer.wrap(loggedIn ? Hj212FrameEncoder.frame("QN=20240101120000001;ST=22;CN=2011;PW=" + fleet.password()
                    + ";MN=" + fleet.mn(i % fleet.devices()) + ";Flag=5;CP=&&DataTime=20240101120000;" + fleet.factor() + "-Rtd=1.5&&")
                    : bad);
        }
        int open = clients;
        while (System.nanoTime() < end && open > 0) {
            open = 0;
            for (int i = 0; i < clients; i++) {
                SocketChannel ch = chs.get(i);
                if (!ch.isOpen()) {
                    continue;
                }
                open++;
                try {
                    sent += ch.write(bufs[i]);
                } catch (IOException closedByNode) {
                    ch.close();
                    continue;
                }
                if (!bufs[i].hasRemaining()) {
                    bufs[i].rewind();
                }
            }
            maxQueued = Math.max(maxQueued, ingest.guard("hj212").queuedBytes());
            if (sent % 64 == 0) {
                maxRss = Math.max(maxRss, rssKb());
            }
        }
        maxRss = Math.max(maxRss, rssKb());
        for (SocketChannel ch : chs) {
            ch.close();
        }
        Thread.sleep(2000);
        System.gc();
        System.out.printf("never-read: %d HJ 212 clients for %d s sent %.1f MB (%d still open at the end); node queued at most "
                        + "%d reply bytes; RSS before %d MB, peak %d MB (+%d MB), after %d MB%n", clients, seconds, sent / 1e6, open,
                maxQueued, before / 1024, maxRss / 1024, (maxRss - before) / 1024, rssKb() / 1024);
        System.out.println("  " + (loggedIn ? "logged-in loggers sending readings" : "invalid-CRC frames, never logged in"));
    }

    private static long rssKb() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static long openHandles() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    static void expect(InputStream in, int... bytes) throws IOException {
        for (int b : bytes) {
            int got = in.read();
            if (got != b) {
                throw new IOException("expected " + b + ", got " + got);
            }
        }
    }

    static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            sb.append((char) c);
        }
        return sb.toString();
    }

    static byte[] str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return concat(new byte[] {(byte) (b.length >> 8), (byte) b.length}, b);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] packet(int type, byte[] body) {
        return io.safegrid.testing.MqttFrames.packet(type, body);
    }

    private HostileClients() {
    }
}
