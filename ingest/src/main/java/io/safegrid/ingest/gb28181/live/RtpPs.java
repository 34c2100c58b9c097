package io.safegrid.ingest.gb28181.live;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives RTP on one port, over UDP or over TCP (the device connects; each packet carries a 2-byte
 * length first, RFC 4571), and hands the payloads (MPEG-PS) on as a stream, for FFmpeg to
 * demultiplex and decode. Packets with another SSRC than the one offered are dropped and counted, so
 * a wrong sender can be told apart from no sender. Over UDP, packets are put back in sequence order
 * first ({@link RtpReorder}, waiting at most {@link #REORDER_WAIT} for a missing one); TCP keeps order.
 */
public final class RtpPs implements AutoCloseable {
    private static final byte[] END = new byte[0];

    private final DatagramSocket socket;
    private final java.net.ServerSocket server;
    private volatile java.net.Socket connection;
    private final long expectedSsrc;
    private final int port;
    /** Payloads held for the decoder: about 2.8 MB of PS. */
    static final int QUEUE = 2048;
    private final BlockingQueue<byte[]> payloads = new ArrayBlockingQueue<>(QUEUE);
    /** How long a packet after a gap waits for the missing one: a 4G link's usual disorder is a few ms. */
    static final java.time.Duration REORDER_WAIT = java.time.Duration.ofMillis(100);
    final RtpReorder order;
    private final io.micrometer.core.instrument.Counter overrun;
    private final io.micrometer.core.instrument.Counter malformed;
    private final Thread thread;
    final AtomicLong packets = new AtomicLong();
    final AtomicLong foreign = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    volatile long lastForeignSsrc = -1;
    /** When the first RTP packet with our SSRC came, and when the first whole frame had come (nanoTime; 0: not yet). */
    volatile long firstPacketNanos;
    volatile long firstFrameNanos;
    /** When the latest packet with our SSRC came (nanoTime), to tell a stream that stopped. */
    volatile long lastPacketNanos;
    private final PsFrames.FirstFrame firstFrame = new PsFrames.FirstFrame();
    private volatile boolean running = true;
    /** The sender is done; set before END is queued, as END is lost when the queue is full then. */
    private volatile boolean ended;

    /** @param tcp RTP over TCP, this side listening ({@code a=setup:passive}); else RTP over UDP */
    public RtpPs(InetAddress address, long expectedSsrc, boolean tcp) throws IOException {
        this(address, expectedSsrc, tcp, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }

    /** @param registry where the disorder of UDP streams is counted */
    public RtpPs(InetAddress address, long expectedSsrc, boolean tcp, io.micrometer.core.instrument.MeterRegistry registry)
            throws IOException {
        this(address, expectedSsrc, tcp, registry, REORDER_WAIT);
    }

    RtpPs(InetAddress address, long expectedSsrc, boolean tcp, io.micrometer.core.instrument.MeterRegistry registry,
          java.time.Duration reorderWait) throws IOException {
        this.order = new RtpReorder(reorderWait.toNanos(), this::deliver, registry);
        this.overrun = io.micrometer.core.instrument.Counter.builder("safegrid.gb28181.rtp.dropped")
                .description("RTP payloads over UDP dropped because the decoder fell behind (its queue was full)")
                .register(registry);
        this.malformed = io.micrometer.core.instrument.Counter.builder("safegrid.gb28181.rtp.malformed")
                .description("packets on an RTP port that are not RTP version 2, or whose header overruns the packet")
                .register(registry);
        if (tcp) {
            this.socket = null;
            this.server = new java.net.ServerSocket(0, 1, address);
            this.server.setSoTimeout(500);
            this.port = server.getLocalPort();
        } else {
            this.server = null;
            this.socket = new DatagramSocket(0, address);
            this.socket.setReceiveBufferSize(4 << 20);
            this.socket.setSoTimeout(500);
            this.port = socket.getLocalPort();
        }
        this.expectedSsrc = expectedSsrc;
        this.thread = new Thread(tcp ? this::receiveTcp : this::receive, "gb28181-rtp-" + port);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public int port() { return port; }

    private void receive() {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        int timeout = 500;
        try {
            while (running) {
                int wanted = order.waiting() ? order.waitMillis() : 500;   // a held packet must not wait on silence
                if (wanted != timeout) {
                    socket.setSoTimeout(timeout = wanted);
                }
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException idle) {
                    order.expire(System.nanoTime());
                    continue;
                }
                long now = System.nanoTime();
                byte[] payload = payload(buf, p.getLength());
                if (payload != null) {
                    order.add(((buf[2] & 0xFF) << 8) | (buf[3] & 0xFF), payload, now);
                }
                order.expire(now);
            }
        } catch (IOException e) {
            // closed
        } finally {
            order.flushAll();
            ended = true;
            payloads.offer(END);
        }
    }

    /** A payload in sequence order, to the decoder. */
    private void deliver(byte[] payload) {
        noteFirstFrame(payload);
        if (!payloads.offer(payload)) {
            dropped.incrementAndGet();
            overrun.increment();
        }
    }

    /** Times the first whole frame, from payloads in stream order. */
    private void noteFirstFrame(byte[] payload) {
        if (firstFrameNanos == 0 && firstFrame.feed(payload, 0, payload.length)) {
            firstFrameNanos = System.nanoTime();
        }
    }

    private void receiveTcp() {
        byte[] buf = new byte[65536];
        try {
            java.net.Socket c = null;
            while (running && c == null) {
                try {
                    c = server.accept();
                } catch (SocketTimeoutException idle) {
                    // look at running again
                }
            }
            if (c == null) {
                return;
            }
            connection = c;
            java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(c.getInputStream(), 65536));
            while (running) {
                int len = in.readUnsignedShort();
                in.readFully(buf, 0, len);
                byte[] payload = payload(buf, len);
                if (payload != null) {
                    noteFirstFrame(payload);
                    payloads.put(payload);   // TCP: in order, and wait rather than drop, the sender slows down
                }
            }
        } catch (IOException | InterruptedException e) {
            // closed or ended
        } finally {
            ended = true;
            payloads.offer(END);
        }
    }

    /** The payload of one RTP packet with the expected SSRC, or null. */
    private byte[] payload(byte[] b, int len) {
        if (len < 12 || (b[0] & 0xC0) != 0x80) {
            malformed.increment();   // not RTP version 2: stray traffic or a sender that is no camera
            return null;
        }
        long ssrc = ((b[8] & 0xFFL) << 24) | ((b[9] & 0xFF) << 16) | ((b[10] & 0xFF) << 8) | (b[11] & 0xFF);
        if (ssrc != expectedSsrc) {
            foreign.incrementAndGet();
            lastForeignSsrc = ssrc;
            return null;
        }
        int off = 12 + 4 * (b[0] & 0x0F);
        if ((b[0] & 0x10) != 0 && len >= off + 4) {
            off += 4 + 4 * (((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF));
        }
        int end = (b[0] & 0x20) != 0 ? len - (b[len - 1] & 0xFF) : len;
        if (off >= end) {
            if (off > end) {
                malformed.increment();   // its header claims more than the packet holds
            }
            return null;
        }
        lastPacketNanos = System.nanoTime();
        if (packets.incrementAndGet() == 1) {
            firstPacketNanos = lastPacketNanos;
        }
        byte[] out = new byte[end - off];
        System.arraycopy(b, off, out, 0, out.length);
        return out;
    }

    /** The PS bytes as they arrive; ends when closed. */
    public InputStream stream() {
        return new InputStream() {
            private byte[] cur = new byte[0];
            private int pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (pos >= cur.length) {
                    if (cur == END) {
                        return -1;
                    }
                    try {
                        byte[] next = payloads.poll(200, TimeUnit.MILLISECONDS);
                        if (next == null) {
                            if (!running || ended && payloads.isEmpty()) {   // nothing left, and nothing more coming
                                return -1;
                            }
                            continue;
                        }
                        cur = next;
                        pos = 0;
                        if (next == END) {
                            return -1;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException();
                    }
                }
                int n = Math.min(len, cur.length - pos);
                System.arraycopy(cur, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    @Override
    public void close() {
        running = false;
        try {
            if (socket != null) {
                socket.close();
            }
            if (server != null) {
                server.close();
            }
            java.net.Socket c = connection;
            if (c != null) {
                c.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        payloads.offer(END);
    }
}
