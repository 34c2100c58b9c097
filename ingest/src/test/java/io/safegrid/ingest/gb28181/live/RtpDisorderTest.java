package io.safegrid.ingest.gb28181.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.testing.SharedFootage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real street recording, encoded as a camera would send it (H.264 in MPEG-PS), cut into RTP and sent
 * over real UDP as a lossy mobile link delivers it: swapped, late and repeated packets, one lost. The
 * demultiplexer must get the PS bytes in their order.
 */
class RtpDisorderTest {
    static final long SSRC = 110_000_001L;
    static final int FIRST_SEQ = 65_000;   // the stream crosses the wrap of the 16-bit sequence
    @TempDir
    static Path dir;
    static byte[] ps;
    static int frames;

    @BeforeAll
    static void encode() throws Exception {
        Path clip = SharedFootage.clip("people_street_walking_elevated.mp4");
        Path out = dir.resolve("street.ps");
        Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-t", "4", "-i", clip.toString(),
                "-an", "-vf", "scale=640:360", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-f", "mpeg",
                out.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(said).isZero();
        ps = Files.readAllBytes(out);
        frames = pictures(ps);
        assertThat(frames).as("pictures in the encoded clip").isGreaterThan(50);
    }

    /** RTP packets of {@link #ps}: 12-byte header, up to 1,400 bytes of PS each. */
    private static List<byte[]> packets() {
        List<byte[]> out = new ArrayList<>();
        for (int off = 0, seq = FIRST_SEQ; off < ps.length; off += RtpOut.PAYLOAD, seq = (seq + 1) & 0xFFFF) {
            int n = Math.min(RtpOut.PAYLOAD, ps.length - off);
            byte[] b = new byte[12 + n];
            b[0] = (byte) 0x80;
            b[1] = 96;
            b[2] = (byte) (seq >> 8);
            b[3] = (byte) seq;
            b[8] = (byte) (SSRC >> 24);
            b[9] = (byte) (SSRC >> 16);
            b[10] = (byte) (SSRC >> 8);
            b[11] = (byte) SSRC;
            System.arraycopy(ps, off, b, 12, n);
            out.add(b);
        }
        return out;
    }

    /** The packets as a lossy link delivers them: every 7th pair swapped, every 23rd two places late, every 31st twice. */
    private static List<byte[]> disordered(List<byte[]> in) {
        List<byte[]> out = new ArrayList<>(in);
        for (int i = 1; i + 1 < out.size(); i += 7) {
            out.set(i, out.set(i + 1, out.get(i)));
        }
        for (int i = 3; i + 2 < out.size(); i += 23) {
            out.add(i + 2, out.remove(i));
        }
        for (int i = out.size() - 5; i > 0; i -= 31) {
            out.add(i + 3, out.get(i));
        }
        return out;
    }

    /**
     * Sends as a camera paces its stream: never more than 64 packets ahead of what the receiver has
     * taken off its socket, so that the kernel's socket buffer (as small as 208 kB) never overflows
     * on a busy machine and drops what the test did not mean to lose.
     */
    private static void send(List<byte[]> packets, RtpPs rx) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            InetAddress to = InetAddress.getLoopbackAddress();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; i < packets.size(); i++) {
                while (i - rx.packets.get() > 64) {
                    assertThat(System.nanoTime() - deadline).as("the receiver takes packets").isNegative();
                    Thread.sleep(1);
                }
                byte[] b = packets.get(i);
                s.send(new DatagramPacket(b, b.length, to, rx.port()));
            }
        }
    }

    /** Reads the stream until {@code bytes} have come (the stream stays open, as a live one does). */
    private static CompletableFuture<byte[]> read(RtpPs rx, int bytes) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try (InputStream in = rx.stream()) {
                byte[] b = new byte[65536];
                int r;
                while (got.size() < bytes && (r = in.read(b)) >= 0) {
                    got.write(b, 0, r);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            return got.toByteArray();
        });
    }

    private static int pictures(byte[] stream) throws Exception {
        int n = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(new java.io.ByteArrayInputStream(stream), 0)) {
            g.setFormat("mpeg");
            g.start();
            while (g.grabImage() != null) {
                n++;
            }
            g.stop();
        }
        return n;
    }

    @Test
    void packetsOutOfOrderReachTheDecoderInOrder() throws Exception {
        List<byte[]> sent = disordered(packets());
        // a wait no stall of this test's sender on a busy machine outlasts: what is judged here is the order
        try (RtpPs rx = new RtpPs(InetAddress.getLoopbackAddress(), SSRC, false, new SimpleMeterRegistry(), java.time.Duration.ofSeconds(10))) {
            CompletableFuture<byte[]> got = read(rx, ps.length);
            send(sent, rx);
            byte[] bytes = got.get(30, TimeUnit.SECONDS);
            assertThat(bytes).as("the PS bytes as encoded").isEqualTo(ps);
            assertThat(pictures(bytes)).isEqualTo(frames);
            assertThat(rx.order.counts.reordered.get()).isGreaterThan(10);
            assertThat(rx.order.counts.lost.get()).isZero();
            assertThat(rx.order.counts.duplicate.get() + rx.order.counts.late.get()).as("repeats dropped")
                    .isEqualTo(sent.size() - packets().size());
        }
    }

    @Test
    void aLostPacketIsGivenUpAndTheStreamGoesOnWhileLive() throws Exception {
        List<byte[]> sent = packets();
        int gone = sent.size() - 20;   // fewer behind it than the window holds: only the wait gives it up
        int goneBytes = sent.get(gone).length - 12;
        sent.remove(gone);
        try (RtpPs rx = new RtpPs(InetAddress.getLoopbackAddress(), SSRC, false, new SimpleMeterRegistry())) {
            CompletableFuture<byte[]> got = read(rx, ps.length - goneBytes);
            send(sent, rx);
            byte[] bytes = got.get(30, TimeUnit.SECONDS);
            int at = gone * RtpOut.PAYLOAD;
            assertThat(java.util.Arrays.copyOfRange(bytes, 0, at)).isEqualTo(java.util.Arrays.copyOfRange(ps, 0, at));
            assertThat(java.util.Arrays.copyOfRange(bytes, at, bytes.length))
                    .isEqualTo(java.util.Arrays.copyOfRange(ps, at + goneBytes, ps.length));
            assertThat(rx.order.counts.lost.get()).isOne();
            assertThat(pictures(bytes)).as("one picture at most spoilt, the rest decode").isGreaterThanOrEqualTo(frames - 25);
        }
    }

    @Test
    void payloadsADecoderTooFarBehindCannotTakeAreCounted() throws Exception {
        List<byte[]> sent = packets().subList(0, 1);
        List<byte[]> many = new ArrayList<>();
        int n = RtpPs.QUEUE + 300;
        for (int i = 0; i < n; i++) {
            byte[] b = sent.get(0).clone();
            int seq = (FIRST_SEQ + i) & 0xFFFF;
            b[2] = (byte) (seq >> 8);
            b[3] = (byte) seq;
            many.add(b);
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RtpPs rx = new RtpPs(InetAddress.getLoopbackAddress(), SSRC, false, registry)) {
            send(many, rx);   // nobody reads
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(registry.get("safegrid.gb28181.rtp.dropped").counter().count()).isEqualTo(300));
            assertThat(rx.packets.get()).isEqualTo(n);
        }
    }

    @Test
    void packetsThatAreNoRtpAreCountedAndTheStreamGoesOn() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<byte[]> sent = new ArrayList<>(packets().subList(0, 10));
        byte[] overrun = sent.get(3).clone();
        overrun[0] = (byte) 0x8F;   // 15 CSRCs: a header longer than the packet it came in
        java.util.Arrays.fill(overrun, 12, overrun.length, (byte) 0);
        overrun = java.util.Arrays.copyOf(overrun, 40);
        sent.add(2, "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        sent.add(5, new byte[] {(byte) 0x80, 96, 0});
        sent.add(7, overrun);
        int bytes = packets().subList(0, 10).stream().mapToInt(b -> b.length - 12).sum();
        try (RtpPs rx = new RtpPs(InetAddress.getLoopbackAddress(), SSRC, false, registry)) {
            CompletableFuture<byte[]> got = read(rx, bytes);
            try (DatagramSocket s = new DatagramSocket()) {
                for (byte[] b : sent) {
                    s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), rx.port()));
                }
            }
            assertThat(got.get(30, TimeUnit.SECONDS)).isEqualTo(java.util.Arrays.copyOf(ps, bytes));
            assertThat(registry.get("safegrid.gb28181.rtp.malformed").counter().count()).isEqualTo(3);
        }
    }
}
