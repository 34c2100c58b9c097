package io.safegrid.ingest.gb28181.sim;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's live stream: FFmpeg makes MPEG-PS (H.264) in real time, from a test pattern or a clip, and
 * this cuts it into RTP packets (payload type 96, the SSRC from the INVITE) sent over UDP, or over a
 * TCP connection it opens to the platform (each packet after a 2-byte length, RFC 4571).
 */
final class PsRtpSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PsRtpSender.class);
    private static final int PAYLOAD = 1400;

    private final Process ffmpeg;
    private final Thread thread;
    private final DatagramSocket socket;
    private final java.net.Socket tcp;

    PsRtpSender(String clip, InetAddress to, int port, long ssrc, boolean overTcp) throws Exception {
        List<String> input = clip == null
                ? List.of("-f", "lavfi", "-i", "testsrc=size=320x240:rate=10")
                : List.of("-stream_loop", "-1", "-i", clip);
        List<String> cmd = new java.util.ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-re"));
        cmd.addAll(input);
        cmd.addAll(List.of("-an", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-g", "10", "-f", "mpeg", "pipe:1"));
        this.ffmpeg = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        this.socket = overTcp ? null : new DatagramSocket();
        this.tcp = overTcp ? new java.net.Socket(to, port) : null;
        this.thread = new Thread(() -> send(to, port, ssrc), "gb28181-sim-rtp-" + port);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void send(InetAddress to, int port, long ssrc) {
        byte[] buf = new byte[12 + PAYLOAD];
        int seq = 0;
        long start = System.nanoTime();
        try (InputStream in = ffmpeg.getInputStream()) {
            java.io.OutputStream out = tcp == null ? null : new java.io.BufferedOutputStream(tcp.getOutputStream());
            int n;
            while ((n = in.readNBytes(buf, 12, PAYLOAD)) > 0) {
                long ts = (System.nanoTime() - start) * 90 / 1_000_000;
                buf[0] = (byte) 0x80;
                buf[1] = (byte) (96 | (n < PAYLOAD ? 0x80 : 0));
                buf[2] = (byte) (seq >> 8);
                buf[3] = (byte) seq;
                buf[4] = (byte) (ts >> 24);
                buf[5] = (byte) (ts >> 16);
                buf[6] = (byte) (ts >> 8);
                buf[7] = (byte) ts;
                buf[8] = (byte) (ssrc >> 24);
                buf[9] = (byte) (ssrc >> 16);
                buf[10] = (byte) (ssrc >> 8);
                buf[11] = (byte) ssrc;
                if (out == null) {
                    socket.send(new DatagramPacket(buf, 12 + n, to, port));
                } else {
                    out.write((12 + n) >> 8);
                    out.write(12 + n);
                    out.write(buf, 0, 12 + n);
                    out.flush();
                }
                seq = (seq + 1) & 0xFFFF;
            }
        } catch (Exception e) {
            LOG.debug("simulated stream to {}:{} ended: {}", to, port, e.toString());
        }
    }

    @Override
    public void close() {
        ffmpeg.destroy();
        try {
            if (socket != null) {
                socket.close();
            }
            if (tcp != null) {
                tcp.close();
            }
        } catch (java.io.IOException e) {
            // closing anyway
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
