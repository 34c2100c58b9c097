package io.safegrid.bench;

import io.safegrid.ingest.hj212.Hj212FrameEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue 23's never-read target on a real node ({@link NodeProcess}, its own JVM with the launcher's
 * heap settings): {@code clients} valid devices, alternately HJ 212 loggers and MQTT QoS 1 publishers,
 * send readings at full speed for {@code seconds} and never read a reply. Prints the node's RSS
 * before, at its peak and after the clients have gone (then once more after one full GC in the node,
 * since the JVM gives heap back to the OS only after a GC), and the most reply bytes the node queued.
 *
 * <p>Each device may send {@code node.max-readings-per-second-per-device} readings a second: the demo
 * county's 50 (the default), or {@code rate}; past it readings are refused, and still answered.
 *
 * <p>With {@code reads} the same clients read their replies: the control, the memory that sending
 * at that speed costs whether or not the client reads.
 *
 * <p>{@code java -cp bench/target/classes:$(cat bench/target/cp.txt) io.safegrid.bench.NeverReaders [clients 10] [seconds 60] [rate|0] [reads]}
 */
public final class NeverReaders {
    private static final String[][] MQTT = {
            {"kc-ch4-t1", "demo-kc-ch4-t1-7Qx2"}, {"kc-ch4-t2", "demo-kc-ch4-t2-9Wm4"},
            {"kc-co-1", "demo-kc-co-1-3Rt8"}, {"kc-temp-1", "demo-kc-temp-1-5Yh1"}};
    private static final String[][] HJ212 = {
            {"33140000PG39010000000002", "pg390201", "a34002"}, {"33140000HD01010000000001", "hd260511", "p10101"}};

    private NeverReaders() {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int perDeviceRate = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        boolean reads = args.length > 3 && args[3].equals("reads");   // the control: the same clients reading their replies
        ByteBuffer drain = ByteBuffer.allocate(64 * 1024);
        try (NodeProcess node = new NodeProcess(perDeviceRate)) {
            System.out.printf("node log %s%n", node.log);
            Thread.sleep(10_000);   // past start-up's allocations
            long before = node.rssKb();
            String memoryBefore = memory(node.metrics());
            List<SocketChannel> chs = new ArrayList<>();
            List<ByteBuffer> bufs = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                boolean hj212 = i % 2 == 0;
                chs.add(hj212 ? SocketChannel.open(new InetSocketAddress("127.0.0.1", node.hj212Port))
                        : mqttLoggedIn(node.mqttPort, MQTT[(i / 2) % MQTT.length], i));
                chs.get(i).configureBlocking(false);
                bufs.add(ByteBuffer.wrap(hj212 ? hj212Frames(HJ212[(i / 2) % HJ212.length]) : mqttPublishes(MQTT[(i / 2) % MQTT.length])));
            }
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long sent = 0;
            long peak = before;
            String memoryAtPeak = memoryBefore;
            double maxQueued = 0;
            long nextSample = 0;
            int open = clients;
            while (System.nanoTime() < end && open > 0) {
                open = 0;
                boolean wrote = false;
                for (int i = 0; i < clients; i++) {
                    SocketChannel ch = chs.get(i);
                    if (!ch.isOpen()) {
                        continue;
                    }
                    open++;
                    try {
                        if (reads) {
                            drain.clear();
                            ch.read(drain);
                        }
                        int n = ch.write(bufs.get(i));
                        sent += n;
                        wrote |= n > 0;
                    } catch (IOException closedByNode) {
                        ch.close();
                        continue;
                    }
                    if (!bufs.get(i).hasRemaining()) {
                        bufs.get(i).rewind();
                    }
                }
                if (System.nanoTime() >= nextSample) {
                    nextSample = System.nanoTime() + 250_000_000L;
                    long rss = node.rssKb();
                    Map<String, Double> sample = node.metrics();
                    if (rss > peak) {
                        peak = rss;
                        memoryAtPeak = memory(sample);
                    }
                    maxQueued = Math.max(maxQueued, NodeProcess.sum(sample, "safegrid_ingest_queued_reply_bytes"));
                }
                if (!wrote) {
                    Thread.sleep(1);   // every client is blocked by the node: its reading is paused
                }
            }
            peak = Math.max(peak, node.rssKb());
            Map<String, Double> m = node.metrics();
            for (SocketChannel ch : chs) {
                ch.close();
            }
            Thread.sleep(10_000);
            long after = node.rssKb();
            String memoryAfter = memory(node.metrics());
            Thread.sleep(20_000);   // the node's own periodic GC (G1PeriodicGCInterval) may give heap back meanwhile
            long after30 = node.rssKb();
            node.fullGc();
            Thread.sleep(5_000);
            long afterGc = node.rssKb();
            String memoryAfterGc = memory(node.metrics());
            System.out.printf((reads ? "control, replies read" : "never-read") + ": %d clients (%d HJ 212 loggers, %d MQTT QoS 1 publishers, all logged in; %s readings/s"
                            + " per device) for %d s"
                            + " sent %.1f MB, %d still connected at the end; the node queued at most %.2f MB of replies for"
                            + " all of them (write-overflow closes: %.0f)%n", clients, (clients + 1) / 2, clients / 2,
                    perDeviceRate > 0 ? String.valueOf(perDeviceRate) : "the county's 50", seconds,
                    sent / 1e6, open, maxQueued / 1e6, NodeProcess.sum(filter(m, "reason=\"write-overflow\""),
                            "safegrid_ingest_rejected_total"));
            System.out.printf("  node RSS: before %d MB, peak %d MB (+%d MB), 10 s after the clients left %d MB, 30 s after"
                            + " %d MB (%+d MB against before), after one full GC %d MB (%+d MB against before)%n", before / 1024,
                    peak / 1024, (peak - before) / 1024, after / 1024, after30 / 1024, (after30 - before) / 1024,
                    afterGc / 1024, (afterGc - before) / 1024);
            System.out.printf("  node JVM options: %s%n", NodeProcess.launcherOptions());
            System.out.printf("  JVM memory (used/committed): before %s; at the RSS peak %s; after %s; after the GC %s%n",
                    memoryBefore, memoryAtPeak, memoryAfter, memoryAfterGc);
        }
    }

    /** Heap used/committed and direct buffers used, in MB. */
    private static String memory(Map<String, Double> m) {
        return String.format("heap %.0f/%.0f MB, direct %.0f MB",
                NodeProcess.sum(filter(m, "area=\"heap\""), "jvm_memory_used_bytes") / 1e6,
                NodeProcess.sum(filter(m, "area=\"heap\""), "jvm_memory_committed_bytes") / 1e6,
                NodeProcess.sum(filter(m, "id=\"direct\""), "jvm_buffer_memory_used_bytes") / 1e6);
    }

    private static Map<String, Double> filter(Map<String, Double> m, String label) {
        Map<String, Double> out = new java.util.TreeMap<>();
        m.forEach((k, v) -> {
            if (k.contains(label)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** 64 KiB or so of valid readings of one logger, timed now. */
    private static byte[] hj212Frames(String[] logger) {
        String now = ZonedDateTime.now(ZoneId.of("Asia/Shanghai")).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; out.size() < 64 * 1024; i++) {
            out.writeBytes(Hj212FrameEncoder.frame("QN=" + now + String.format("%03d", i % 1000) + ";ST=22;CN=2011;PW="
                    + logger[1] + ";MN=" + logger[0] + ";Flag=5;CP=&&DataTime=" + now + ";" + logger[2] + "-Rtd=0.05&&"));
        }
        return out.toByteArray();
    }

    /** 64 KiB or so of QoS 1 PUBLISHes of one device. */
    private static byte[] mqttPublishes(String[] device) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] topic = HostileClients.str("safegrid/kecheng-coal/" + device[0] + "/readings");
        byte[] payload = "{\"value\": 0.5}".getBytes(StandardCharsets.UTF_8);
        for (int id = 1; out.size() < 64 * 1024; id++) {
            out.writeBytes(HostileClients.packet(0x32, HostileClients.concat(topic, new byte[] {(byte) (id >> 8), (byte) id},
                    payload)));
        }
        return out.toByteArray();
    }

    private static SocketChannel mqttLoggedIn(int port, String[] device, int n) throws IOException {
        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        Socket s = ch.socket();
        s.setSoTimeout(5000);
        ch.write(ByteBuffer.wrap(HostileClients.packet(0x10, HostileClients.concat(HostileClients.str("MQTT"),
                new byte[] {4, (byte) 0xC2, 0, 60}, HostileClients.str("never-read-" + n), HostileClients.str(device[0]),
                HostileClients.str(device[1])))));
        ByteBuffer connack = ByteBuffer.allocate(4);
        while (connack.hasRemaining()) {
            if (ch.read(connack) < 0) {
                throw new IOException("closed before CONNACK");
            }
        }
        if (connack.get(3) != 0) {
            throw new IOException("CONNACK refused: " + connack.get(3));
        }
        return ch;
    }
}
