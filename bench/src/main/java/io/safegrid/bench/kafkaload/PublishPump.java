package io.safegrid.bench.kafkaload;

import io.safegrid.node.load.LoadFleet;
import io.safegrid.testing.MqttFrames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * An MQTT 3.1.1 load generator cheap enough to share two cores with a node and a broker: one thread, one
 * socket per device (each logged in with a real CONNECT and its CONNACK checked), single-reading PUBLISHes
 * {@code {"value":<sequence number>}} written straight into each socket's buffer and sent as one large write
 * per device per turn. At QoS 1 a device has at most {@code window} PUBLISHes without their PUBACK; the
 * PUBACKs are read on the same thread and matched to the packet ids sent, in order.
 *
 * <p>Sequence numbers rise over the whole run and within each device, so a reader of the bus can tell
 * from the number alone which reading it is, whether one went missing or came twice, and whether a device's
 * readings kept their order ({@link ReadingTally}); {@link #sentAt} gives each one's sending time.
 */
public final class PublishPump implements AutoCloseable {
    /** Sending times kept per sequence number (modulo), for the latency to the bus. */
    static final int RING = 1 << 22;
    /** PUBLISHes put into one device's buffer per turn. */
    private static final int BURST = 256;
    private static final byte[] VALUE = "{\"value\":".getBytes(StandardCharsets.US_ASCII);

    private final Device[] devices;
    private final Selector selector;
    /** Written by the pump thread, read by the tally's: a long per slot, a stale read only blurs one latency. */
    private final long[] sentAt = new long[RING];
    private long seq;
    /** Where the next turn begins: a turn whose budget runs out early must not always favour the first devices. */
    private int turnStart;
    private final byte[] digits = new byte[20];
    private volatile long sent;
    private volatile long acked;

    /** One device connection: its topic, its outgoing buffer and its QoS 1 window. */
    private static final class Device {
        final SocketChannel channel;
        final SelectionKey key;
        final byte[] topic;
        final ByteBuffer out;
        final ByteBuffer in = ByteBuffer.allocateDirect(8192);
        /** Packet ids sent and not yet acknowledged, oldest first (a ring). */
        final int[] pending;
        int head;
        int inFlight;
        int nextId;

        Device(SocketChannel channel, SelectionKey key, byte[] topic, int window) {
            this.channel = channel;
            this.key = key;
            this.topic = topic;
            this.out = ByteBuffer.allocateDirect(BURST * (topic.length + 40));
            this.out.limit(0);
            this.pending = new int[Math.max(1, window)];
        }
    }

    private PublishPump(Device[] devices, Selector selector) {
        this.devices = devices;
        this.selector = selector;
    }

    /** Connects every device of {@code fleet} (CONNECT, CONNACK accepted) with room for {@code window} unacknowledged PUBLISHes each. */
    public static PublishPump connect(String host, int port, LoadFleet fleet, int window) throws IOException {
        Selector selector = Selector.open();
        Device[] devices = new Device[fleet.devices()];
        for (int i = 0; i < devices.length; i++) {
            SocketChannel c = SocketChannel.open(new InetSocketAddress(host, port));
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            // a small send buffer: what the node has not read waits here, not in megabytes it would
            // still be reading in the next row
            c.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
            String id = fleet.deviceId(i);
            writeFully(c, ByteBuffer.wrap(connectFrame(id, fleet.secret())));
            ByteBuffer connack = ByteBuffer.allocate(4);
            while (connack.hasRemaining()) {
                if (c.read(connack) < 0) {
                    throw new IOException(id + ": the node closed the connection before its CONNACK");
                }
            }
            if (connack.get(0) != 0x20 || connack.get(1) != 2 || connack.get(3) != 0) {
                throw new IOException(id + ": not accepted, CONNACK " + connack.get(0) + " return code " + connack.get(3));
            }
            c.configureBlocking(false);
            SelectionKey key = c.register(selector, SelectionKey.OP_READ, i);
            devices[i] = new Device(c, key, fleet.topic(i).getBytes(StandardCharsets.UTF_8), window);
        }
        return new PublishPump(devices, selector);
    }

    static byte[] connectFrame(String clientId, String password) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeString(b, "MQTT");
        b.write(4);                       // protocol level 3.1.1
        b.write(0x80 | 0x40 | 0x02);      // user name, password, clean session
        b.write(0);
        b.write(60);                      // keep-alive 60 s: rows are shorter, and PUBLISHes count as traffic
        writeString(b, clientId);
        writeString(b, clientId);
        writeString(b, password);
        return MqttFrames.packet(0x10, b.toByteArray());
    }

    private static void writeString(ByteArrayOutputStream b, String s) {
        byte[] v = s.getBytes(StandardCharsets.UTF_8);
        b.write(v.length >> 8);
        b.write(v.length & 0xff);
        b.writeBytes(v);
    }

    /** Readings sent so far (all rows). */
    public long sent() { return sent; }

    /** QoS 1 readings acknowledged so far (all rows). */
    public long acked() { return acked; }

    /** When the reading numbered {@code seq} was sent ({@link System#nanoTime()}). */
    long sentAt(long seq) { return sentAt[(int) (seq & (RING - 1))]; }

    /**
     * Publishes for {@code nanos} at {@code perSecond} (0: as fast as the sockets take them) at {@code qos},
     * then, at QoS 1, waits up to {@code ackWaitNanos} for the last PUBACKs. On the calling thread.
     */
    public void run(int qos, double perSecond, long nanos, long ackWaitNanos) throws IOException {
        long start = System.nanoTime();
        long end = start + nanos;
        long first = seq;
        long now;
        while ((now = System.nanoTime()) < end) {
            long budget = perSecond <= 0 ? Long.MAX_VALUE : (long) (perSecond * (now - start) / 1e9) - (seq - first);
            boolean wrote = false;
            for (int i = 0; i < devices.length; i++) {
                if (budget <= 0) {
                    break;
                }
                Device d = devices[(turnStart + i) % devices.length];
                if (d.out.hasRemaining()) {   // the last write did not all go: the node is behind on this socket
                    d.channel.write(d.out);
                    if (d.out.hasRemaining()) {
                        continue;
                    }
                }
                int n = (int) Math.min(budget, qos == 0 ? BURST : Math.min(BURST, d.pending.length - d.inFlight));
                if (n <= 0) {
                    continue;
                }
                fill(d, qos, n, now);
                budget -= n;
                d.channel.write(d.out);
                wrote = true;
                if (d.out.hasRemaining()) {
                    d.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                }
            }
            turnStart = (turnStart + 1) % devices.length;
            sent = seq;
            // PUBACKs (and a closed socket) are read every turn; when nothing could be written, wait for
            // a socket to take more, a PUBACK, or the next millisecond's budget
            if ((wrote ? selector.selectNow() : selector.select(1)) > 0) {
                readReplies();
            }
        }
        for (Device d : devices) {
            while (d.out.hasRemaining()) {
                d.channel.write(d.out);
                if (d.out.hasRemaining()) {
                    selector.select(1);
                    readReplies();
                }
            }
        }
        long ackDeadline = System.nanoTime() + ackWaitNanos;
        while (qos == 1 && acked < seq && System.nanoTime() < ackDeadline) {
            if (selector.select(10) > 0) {
                readReplies();
            }
        }
    }

    /** {@code n} PUBLISHes numbered on from {@link #seq} into the device's (empty) buffer, ready to write. */
    private void fill(Device d, int qos, int n, long now) {
        ByteBuffer b = d.out;
        b.clear();
        byte[] digits = this.digits;
        for (int k = 0; k < n; k++) {
            long s = seq++;
            sentAt[(int) (s & (RING - 1))] = now;
            int nd = digits(s, digits);
            int payload = VALUE.length + nd + 1;
            int remaining = 2 + d.topic.length + (qos == 1 ? 2 : 0) + payload;
            b.put((byte) (qos == 1 ? 0x32 : 0x30));
            do {
                int r = remaining % 128;
                remaining /= 128;
                b.put((byte) (remaining > 0 ? r | 0x80 : r));
            } while (remaining > 0);
            b.putShort((short) d.topic.length).put(d.topic);
            if (qos == 1) {
                d.nextId = d.nextId % 65535 + 1;
                d.pending[(d.head + d.inFlight) % d.pending.length] = d.nextId;
                d.inFlight++;
                b.putShort((short) d.nextId);
            }
            b.put(VALUE).put(digits, digits.length - nd, nd).put((byte) '}');
        }
        b.flip();
    }

    /** The decimal digits of {@code v} at the end of {@code into}; their count. */
    private static int digits(long v, byte[] into) {
        int i = into.length;
        do {
            into[--i] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v > 0);
        return into.length - i;
    }

    private void readReplies() throws IOException {
        for (SelectionKey k : selector.selectedKeys()) {
            Device d = devices[(Integer) k.attachment()];
            if (k.isValid() && k.isWritable()) {
                d.channel.write(d.out);
                if (!d.out.hasRemaining()) {
                    k.interestOps(SelectionKey.OP_READ);
                }
            }
            if (k.isValid() && k.isReadable()) {
                read(d);
            }
        }
        selector.selectedKeys().clear();
    }

    /** PUBACKs, each of which must answer the oldest PUBLISH still waiting (a node acknowledges in order). */
    private void read(Device d) throws IOException {
        if (d.channel.read(d.in) < 0) {
            throw new IOException("the node closed a device's connection (" + d.inFlight + " PUBLISHes unacknowledged)");
        }
        ByteBuffer in = d.in;
        in.flip();
        long n = 0;
        while (in.remaining() >= 4) {
            int type = in.get() & 0xff;
            int len = in.get() & 0xff;
            int id = in.getShort() & 0xffff;
            if (type != 0x40 || len != 2) {
                throw new IOException("expected a PUBACK from the node, got packet type " + (type >> 4));
            }
            if (d.inFlight == 0 || d.pending[d.head] != id) {
                throw new IOException("PUBACK for packet id " + id + " while waiting for "
                        + (d.inFlight == 0 ? "none" : Integer.toString(d.pending[d.head])));
            }
            d.head = (d.head + 1) % d.pending.length;
            d.inFlight--;
            n++;
        }
        in.compact();
        if (n > 0) {
            acked += n;
        }
    }

    private static void writeFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    /** Sends DISCONNECT on every connection and closes them. */
    @Override
    public void close() {
        try {
            selector.close();
            for (Device d : devices) {
                try {
                    d.channel.configureBlocking(true);
                    writeFully(d.channel, ByteBuffer.wrap(new byte[] {(byte) 0xe0, 0}));
                } catch (IOException | RuntimeException e) {
                    // the node may already be gone
                }
                d.channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
