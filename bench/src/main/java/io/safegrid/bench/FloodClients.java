package io.safegrid.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * One process of {@link ConnectionFlood}'s attacker: holds {@code connections} unauthenticated TCP
 * connections to the node's MQTT, HJ 212 and HTTP ingest ports in turn, from {@code addresses}
 * source addresses of its own {@code 127.<octet>.x.y} range. Every other connection is idle, the
 * rest drip one byte of a valid-looking login (MQTT CONNECT, HJ 212 frame, HTTP request head) every
 * {@code dripSeconds}. A connection the node closes is opened again, at most {@code reopenPerSecond}
 * a second, so the attacker keeps offering its whole count. A process of its own because a process
 * may hold at most 20,000 file handles on the machine this runs on.
 *
 * <p>Prints {@code OPENED} once every connection has been tried, a status line every 2 s, and
 * {@code FINAL ...} when its standard input closes or {@code seconds} have passed.
 *
 * <p>{@code FloodClients <octet> <connections> <addresses> <mqttPort> <hj212Port> <httpPort> <reopenPerSecond> <dripSeconds> <seconds>}
 */
public final class FloodClients {
    private static final byte[][] DRIP = {
            // MQTT 3.1.1 CONNECT head with a user name and password to come
            {0x10, 0x2A, 0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, (byte) 0xC2, 0x00, 0x3C, 0x00, 0x04, 'd', 'r', 'i', 'p'},
            ("##0101QN=20240101120000001;ST=22;CN=2011;PW=123456;MN=33140000PG39010000000002;Flag=5;CP=&&")
                    .getBytes(StandardCharsets.US_ASCII),
            ("POST /api/v1/readings HTTP/1.1\r\nHost: node\r\nAuthorization: Bearer not-yet-known\r\n")
                    .getBytes(StandardCharsets.US_ASCII)};

    /** One slot of the flood: its connection comes and goes, its port and idle/drip role stay. */
    private static final class Slot {
        final int index;
        final int protocol;
        final boolean drip;
        SocketChannel channel;
        boolean connected;
        int dripped;
        long nextDrip;

        Slot(int index, int protocol, boolean drip) {
            this.index = index;
            this.protocol = protocol;
            this.drip = drip;
        }
    }

    private final int octet;
    private final int addresses;
    private final int[] ports;
    private final Selector selector;
    private final ByteBuffer sink = ByteBuffer.allocate(4096);
    private long connects;
    private long established;
    private long closedByNode;
    private long failed;
    private long dripBytes;
    private int open;
    private int connecting;

    private FloodClients(int octet, int addresses, int[] ports) throws IOException {
        this.octet = octet;
        this.addresses = addresses;
        this.ports = ports;
        this.selector = Selector.open();
    }

    public static void main(String[] args) throws Exception {
        int octet = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        int addresses = Integer.parseInt(args[2]);
        int[] ports = {Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5])};
        double reopenPerSecond = Double.parseDouble(args[6]);
        long dripNanos = (long) (Double.parseDouble(args[7]) * 1e9);
        long end = System.nanoTime() + Long.parseLong(args[8]) * 1_000_000_000L;
        FloodClients f = new FloodClients(octet, addresses, ports);
        Thread stdin = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent keeps the pipe open while the flood should go on
                }
            } catch (IOException ignored) {
                // parent gone: stop as if told
            }
        }, "stdin");
        stdin.setDaemon(true);
        stdin.start();

        Slot[] slots = new Slot[connections];
        ArrayDeque<Slot> toOpen = new ArrayDeque<>();
        for (int i = 0; i < connections; i++) {
            slots[i] = new Slot(i, i % 3, (i / 3) % 2 == 1);
            toOpen.add(slots[i]);
        }
        boolean announced = false;
        long t0 = System.nanoTime();
        long lastReport = t0;
        double reopenBudget = 0;
        long lastTick = t0;
        int firstRound = connections;
        while (stdin.isAlive() && System.nanoTime() < end) {
            long now = System.nanoTime();
            if (firstRound > 0) {   // the first round as fast as the node and the kernel take it
                for (int n = 0; n < 200 && firstRound > 0; n++, firstRound--) {
                    f.open(toOpen.poll());
                }
            } else {
                reopenBudget = Math.min(reopenPerSecond, reopenBudget + reopenPerSecond * (now - lastTick) / 1e9);
                while (reopenBudget >= 1 && !toOpen.isEmpty()) {
                    f.open(toOpen.poll());
                    reopenBudget--;
                }
                if (!announced && f.connecting == 0) {
                    announced = true;
                    System.out.printf("OPENED %d connections in %.1f s%n", connections, (System.nanoTime() - t0) / 1e9);
                    System.out.flush();
                }
            }
            lastTick = now;
            f.selector.select(firstRound > 0 ? 1 : 20);
            Iterator<SelectionKey> it = f.selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                Slot s = (Slot) k.attachment();
                if (!k.isValid()) {
                    continue;
                }
                if (k.isConnectable()) {
                    f.finishConnect(s, k, toOpen, now, dripNanos);
                } else if (k.isReadable()) {
                    f.read(s, toOpen);
                }
            }
            for (Slot s : slots) {
                if (s.drip && s.connected && now >= s.nextDrip) {
                    f.drip(s, toOpen, dripNanos);
                }
            }
            if (now - lastReport > 2_000_000_000L) {
                lastReport = now;
                System.out.println(f.status("STATUS", toOpen.size()));
                System.out.flush();
            }
        }
        System.out.println(f.status("FINAL", toOpen.size()));
        System.out.flush();
        for (Slot s : slots) {
            if (s.channel != null) {
                s.channel.close();
            }
        }
    }

    private String status(String what, int waiting) {
        return String.format("%s open=%d connecting=%d waiting=%d connects=%d established=%d closedByNode=%d failed=%d dripBytes=%d",
                what, open, connecting, waiting, connects, established, closedByNode, failed, dripBytes);
    }

    private void open(Slot s) {
        int a = s.index % addresses;
        connects++;
        try {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.bind(new InetSocketAddress("127." + octet + "." + (1 + a / 250) + "." + (1 + a % 250), 0));
            s.channel = ch;
            s.connected = false;
            s.dripped = 0;
            if (ch.connect(new InetSocketAddress("127.0.0.1", ports[s.protocol]))) {
                established++;
                open++;
                s.connected = true;
                ch.register(selector, SelectionKey.OP_READ, s);
            } else {
                connecting++;
                ch.register(selector, SelectionKey.OP_CONNECT, s);
            }
        } catch (IOException e) {
            failed++;
            close(s);
        }
    }

    private void finishConnect(Slot s, SelectionKey k, ArrayDeque<Slot> toOpen, long now, long dripNanos) {
        connecting--;
        try {
            s.channel.finishConnect();
            established++;
            open++;
            s.connected = true;
            s.nextDrip = now + (long) (Math.random() * dripNanos);
            k.interestOps(SelectionKey.OP_READ);
        } catch (IOException e) {
            failed++;
            close(s);
            toOpen.add(s);
        }
    }

    private void read(Slot s, ArrayDeque<Slot> toOpen) {
        try {
            sink.clear();
            if (s.channel.read(sink) >= 0) {
                return;   // an answer (408, 400 …): the node closes after it
            }
        } catch (IOException reset) {
            // closed by the node as well
        }
        closedByNode++;
        open--;
        close(s);
        toOpen.add(s);
    }

    private void drip(Slot s, ArrayDeque<Slot> toOpen, long dripNanos) {
        byte[] head = DRIP[s.protocol];
        try {
            s.channel.write(ByteBuffer.wrap(head, s.dripped % head.length, 1));
            s.dripped++;
            dripBytes++;
            s.nextDrip += dripNanos;
        } catch (IOException e) {
            closedByNode++;
            open--;
            close(s);
            toOpen.add(s);
        }
    }

    private void close(Slot s) {
        s.connected = false;
        if (s.channel != null) {
            try {
                s.channel.close();
            } catch (IOException ignored) {
                // already gone
            }
            s.channel = null;
        }
    }
}
