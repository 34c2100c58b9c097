package io.safegrid.bench.gb28181;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.inprocess.InProcessBus;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Gb28181Config;
import io.safegrid.ingest.gb28181.Gb28181Server;
import io.safegrid.ingest.gb28181.device.GbDevice;
import io.safegrid.ingest.gb28181.sip.SipStacks;
import io.safegrid.model.grid.GridPath;
import io.safegrid.testing.Deployments;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * N GB/T 28181 devices, each with its own password, registered to one GB/T 28181 server and kept
 * alive with a Keepalive every {@code interval}, spread evenly. SIPp cannot fill per-device digest
 * passwords, so this driver speaks SIP over raw UDP itself: REGISTER, 401, REGISTER with an MD5
 * digest (qop=auth), 200; Keepalive MESSAGEs; and a 200 to every request the server sends (its
 * Catalog, DeviceInfo and DeviceStatus queries after each registration). The server runs in this
 * JVM; its CPU is the CPU time of every thread except the driver's ({@code gbload-*}).
 *
 * <pre>GbRegistrationLoad [devices=1000] [keepalive-seconds=60] [hold-seconds=130] [registrations-per-second=200]</pre>
 */
public final class GbRegistrationLoad {
    private static final String SERVER = "34020000002000000001";
    private static final String DOMAIN = "3402000000";
    private static final Pattern NONCE = Pattern.compile("nonce=\"([^\"]+)\"");
    private static final Pattern REALM = Pattern.compile("realm=\"([^\"]+)\"");
    private static final int SOCKETS = 8;

    private final int devices;
    private final InetAddress loopback = InetAddress.getLoopbackAddress();
    private final DatagramSocket[] sockets = new DatagramSocket[SOCKETS];
    private final Map<String, Device> byCallId = new ConcurrentHashMap<>();
    private final AtomicLong keepaliveOk = new AtomicLong();
    private final AtomicLong keepaliveSent = new AtomicLong();
    private final AtomicLong requestsAnswered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong retransmitted = new AtomicLong();
    /** Requests not yet answered, by Call-ID: SIP over UDP resends them (RFC 3261 timer E: 0.5 s, doubling to 4 s). */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private record Pending(DatagramSocket socket, byte[] bytes, long due, long gap, int tries) {
    }
    private CountDownLatch registered;
    private int serverPort;

    private final class Device {
        final String id;
        final String password;
        final DatagramSocket socket;
        final String regCallId = "reg-" + Long.toHexString(System.nanoTime()) + "-" + Math.random();
        long cseq = 1;
        volatile boolean done;

        Device(int i, DatagramSocket socket) {
            this.id = String.format("34020000001320%06d", i);
            this.password = "pw-" + i + "-" + Integer.toHexString(i * 7919);
            this.socket = socket;
        }
    }

    GbRegistrationLoad(int devices) {
        this.devices = devices;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int keepalive = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int hold = args.length > 2 ? Integer.parseInt(args[2]) : 130;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        new GbRegistrationLoad(n).run(keepalive, hold, rate);
        System.exit(0);   // the server's SIP stack leaves non-daemon threads behind
    }

    void run(int keepaliveSeconds, int holdSeconds, int rate) throws Exception {
        List<Device> all = new ArrayList<>();
        for (int i = 0; i < SOCKETS; i++) {
            sockets[i] = new DatagramSocket(0, loopback);
            sockets[i].setReceiveBufferSize(4 << 20);
        }
        for (int i = 0; i < devices; i++) {
            all.add(new Device(i, sockets[i % SOCKETS]));
        }
        List<Gb28181Config.Device> configured = all.stream().map(d -> new Gb28181Config.Device(d.id, "dev " + d.id, d.password,
                GridPath.parse("county/town/site"), Duration.ofSeconds(keepaliveSeconds), List.of())).toList();
        serverPort = SipStacks.freePort("127.0.0.1");
        Gb28181Config gb = new Gb28181Config(SERVER, DOMAIN, "127.0.0.1", serverPort, Duration.ofSeconds(keepaliveSeconds), 3,
                5, Duration.ofMinutes(1), configured);
        ConfigSource config = ConfigSource.of(Deployments.builder().name("gb-load").gb28181(gb).build());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (InProcessBus bus = new InProcessBus();
             Gb28181Server server = new Gb28181Server(config, bus, new SimpleMeterRegistry(), Clock.systemUTC())) {
            server.start();
            for (DatagramSocket s : sockets) {
                Thread t = new Thread(() -> receive(s), "gbload-rx-" + s.getLocalPort());
                t.setDaemon(true);
                t.start();
            }
            Thread resend = new Thread(this::retransmit, "gbload-retransmit");
            resend.setDaemon(true);
            resend.start();
            Map<String, Device> byId = new ConcurrentHashMap<>();
            all.forEach(d -> byId.put(d.id, d));
            registered = new CountDownLatch(devices);
            long cpu0 = serverCpu(threads);
            long t0 = System.nanoTime();
            long gap = 1_000_000_000L / rate;
            for (int i = 0; i < all.size(); i++) {
                long due = t0 + i * gap;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                register(all.get(i), null, null);
            }
            boolean allIn = registered.await(60, TimeUnit.SECONDS);
            double regSeconds = (System.nanoTime() - t0) / 1e9;
            // the queries each registration triggers, answered, before the steady phase is measured
            Thread.sleep(3000);
            long cpu1 = serverCpu(threads);
            System.out.printf("registration: %d devices at %d/s: %s in %.1f s; server CPU %.2f s (%.2f ms per registration,"
                            + " incl. the 401 round, the 3 queries it sends and their answers); refused %d%n",
                    devices, rate, allIn ? "all registered" : (devices - registered.getCount()) + " registered", regSeconds,
                    (cpu1 - cpu0) / 1e9, (cpu1 - cpu0) / 1e6 / devices, refused.get());

            long k0 = System.nanoTime();
            long sent0 = keepaliveSent.get();
            long ok0 = keepaliveOk.get();
            long period = keepaliveSeconds * 1_000_000_000L;
            long end = k0 + holdSeconds * 1_000_000_000L;
            // each device at its own offset within the period, as devices that came up at different times
            outer:
            for (long round = 0; ; round++) {
                for (int i = 0; i < all.size(); i++) {
                    long due = k0 + round * period + period * i / all.size();
                    if (due >= end) {
                        break outer;
                    }
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    keepalive(all.get(i));
                }
            }
            long wait = end - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Thread.sleep(500);
            long cpu2 = serverCpu(threads);
            double held = (System.nanoTime() - k0) / 1e9;
            long kaSent = keepaliveSent.get() - sent0;
            long kaOk = keepaliveOk.get() - ok0;
            long online = server.devices().stream().filter(GbDevice::online).count();
            System.out.printf("keepalive: %d devices every %d s, held %.0f s: %d keepalives sent, %d answered 200;"
                            + " server CPU %.2f s = %.2f %% of one core (%.3f ms per keepalive); %d of %d online at the end%n",
                    devices, keepaliveSeconds, held, kaSent, kaOk, (cpu2 - cpu1) / 1e9, (cpu2 - cpu1) / 1e7 / held,
                    kaOk == 0 ? 0.0 : (cpu2 - cpu1) / 1e6 / kaOk, online, devices);
            System.out.printf("answered %d requests from the server; the driver resent %d requests (UDP, unanswered within"
                    + " 0.5 s doubling); heap used %d MB%n", requestsAnswered.get(), retransmitted.get(),
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        }
    }

    /** CPU time of every live thread that is not the load driver's (the server's SIP stack, its timers, GC excluded). */
    private static long serverCpu(ThreadMXBean threads) {
        long sum = 0;
        for (ThreadInfo ti : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (ti != null && !ti.getThreadName().startsWith("gbload-") && !ti.getThreadName().equals("main")) {
                long c = threads.getThreadCpuTime(ti.getThreadId());
                if (c > 0) {
                    sum += c;
                }
            }
        }
        return sum;
    }

    private void register(Device d, String realm, String nonce) {
        byCallId.put(d.regCallId, d);
        String uri = "sip:" + SERVER + "@" + DOMAIN;
        StringBuilder b = new StringBuilder();
        b.append("REGISTER ").append(uri).append(" SIP/2.0\r\n");
        head(b, d, d.regCallId, d.cseq++, "REGISTER", "<sip:" + d.id + "@" + DOMAIN + ">");
        b.append("Contact: <sip:").append(d.id).append("@127.0.0.1:").append(d.socket.getLocalPort()).append(">\r\n");
        b.append("Expires: 3600\r\n");
        if (nonce != null) {
            String cnonce = Long.toHexString(System.nanoTime());
            String ha1 = md5(d.id + ":" + realm + ":" + d.password);
            String ha2 = md5("REGISTER:" + uri);
            String response = md5(ha1 + ":" + nonce + ":00000001:" + cnonce + ":auth:" + ha2);
            b.append("Authorization: Digest username=\"").append(d.id).append("\", realm=\"").append(realm)
                    .append("\", nonce=\"").append(nonce).append("\", uri=\"").append(uri).append("\", response=\"")
                    .append(response).append("\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"").append(cnonce).append("\"\r\n");
        }
        b.append("Content-Length: 0\r\n\r\n");
        sendReliably(d.regCallId, d.socket, b.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private void sendReliably(String callId, DatagramSocket s, byte[] bytes) {
        pending.put(callId, new Pending(s, bytes, System.nanoTime() + 500_000_000L, 500_000_000L, 1));
        send(s, bytes);
    }

    private void retransmit() {
        while (true) {
            long now = System.nanoTime();
            pending.forEach((callId, p) -> {
                if (now >= p.due()) {
                    if (p.tries() >= 7) {   // timer F: 32 s
                        pending.remove(callId, p);
                        return;
                    }
                    long gap = Math.min(p.gap() * 2, 4_000_000_000L);
                    if (pending.replace(callId, p, new Pending(p.socket(), p.bytes(), now + gap, gap, p.tries() + 1))) {
                        retransmitted.incrementAndGet();
                        send(p.socket(), p.bytes());
                    }
                }
            });
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void keepalive(Device d) {
        String callId = "ka-" + Long.toHexString(System.nanoTime()) + "-" + d.id;
        byCallId.put(callId, d);
        byte[] body = ("<?xml version=\"1.0\" encoding=\"GB2312\"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>\r\n<SN>" + d.cseq
                + "</SN>\r\n<DeviceID>" + d.id + "</DeviceID>\r\n<Status>OK</Status>\r\n</Notify>\r\n").getBytes(StandardCharsets.US_ASCII);
        StringBuilder b = new StringBuilder();
        b.append("MESSAGE sip:").append(SERVER).append("@").append(DOMAIN).append(" SIP/2.0\r\n");
        head(b, d, callId, d.cseq++, "MESSAGE", "<sip:" + SERVER + "@" + DOMAIN + ">");
        b.append("Content-Type: Application/MANSCDP+xml\r\nContent-Length: ").append(body.length).append("\r\n\r\n");
        byte[] h = b.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        keepaliveSent.incrementAndGet();
        sendReliably(callId, d.socket, all);
    }

    private static void head(StringBuilder b, Device d, String callId, long cseq, String method, String to) {
        b.append("Via: SIP/2.0/UDP 127.0.0.1:").append(d.socket.getLocalPort()).append(";rport;branch=z9hG4bK")
                .append(Long.toHexString(System.nanoTime())).append(Integer.toHexString(d.id.hashCode())).append("\r\n");
        b.append("From: <sip:").append(d.id).append("@").append(DOMAIN).append(">;tag=").append(Integer.toHexString(d.id.hashCode()))
                .append("\r\nTo: ").append(to).append("\r\nCall-ID: ").append(callId).append("\r\nCSeq: ").append(cseq).append(' ')
                .append(method).append("\r\nMax-Forwards: 70\r\n");
    }

    private void send(DatagramSocket s, byte[] b) {
        try {
            s.send(new DatagramPacket(b, b.length, loopback, serverPort));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void receive(DatagramSocket s) {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!s.isClosed()) {
            try {
                s.receive(p);
            } catch (java.io.IOException e) {
                return;
            }
            String text = new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
            int headEnd = text.indexOf("\r\n\r\n");
            String head = headEnd < 0 ? text : text.substring(0, headEnd);
            String[] lines = head.split("\r\n");
            String callId = header(lines, "Call-ID");
            if (lines[0].startsWith("SIP/2.0 ")) {
                int status = Integer.parseInt(lines[0].substring(8, 11));
                String cseq = header(lines, "CSeq");
                Device d = callId == null ? null : byCallId.get(callId);
                if (d == null) {
                    continue;
                }
                if (status >= 200) {
                    pending.remove(callId);
                }
                if (cseq.endsWith("REGISTER")) {
                    if (status == 401) {
                        String w = header(lines, "WWW-Authenticate");
                        Matcher n = NONCE.matcher(w);
                        Matcher r = REALM.matcher(w);
                        if (n.find() && r.find()) {
                            register(d, r.group(1), n.group(1));
                        }
                    } else if (status == 200 && !d.done) {
                        d.done = true;
                        registered.countDown();
                    } else if (status >= 300) {
                        refused.incrementAndGet();
                    }
                } else if (cseq.endsWith("MESSAGE")) {
                    byCallId.remove(callId);
                    if (status == 200) {
                        keepaliveOk.incrementAndGet();
                    }
                }
            } else {
                answer(s, lines, p.getAddress(), p.getPort());
            }
        }
    }

    /** 200 to a request from the server: its Vias, From, To (with a tag), Call-ID and CSeq. */
    private void answer(DatagramSocket s, String[] lines, InetAddress to, int port) {
        StringBuilder b = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String l : lines) {
            String lower = l.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("via:") || lower.startsWith("from:") || lower.startsWith("call-id:") || lower.startsWith("cseq:")) {
                b.append(l).append("\r\n");
            } else if (lower.startsWith("to:")) {
                b.append(l).append(l.contains(";tag=") ? "" : ";tag=ld").append("\r\n");
            }
        }
        b.append("Content-Length: 0\r\n\r\n");
        byte[] out = b.toString().getBytes(StandardCharsets.UTF_8);
        try {
            s.send(new DatagramPacket(out, out.length, to, port));
            requestsAnswered.incrementAndGet();
        } catch (java.io.IOException e) {
            // the socket closed at the end
        }
    }

    private static String header(String[] lines, String name) {
        for (String l : lines) {
            if (l.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return l.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
