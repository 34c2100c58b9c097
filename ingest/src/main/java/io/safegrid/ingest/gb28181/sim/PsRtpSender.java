package io.safegrid.ingest.gb28181.sim;

import io.safegrid.ingest.gb28181.live.PsFrames;
import io.safegrid.ingest.gb28181.live.RtpOut;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's live stream: FFmpeg makes MPEG-PS (H.264) in real time, from a test pattern or a clip, sent
 * as RTP by {@link RtpOut} with the SSRC from the INVITE, over UDP or TCP.
 */
final class PsRtpSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PsRtpSender.class);
    private static final int RTP_PAYLOAD = 1400;

    private final Process ffmpeg;
    private final Thread thread;
    private final RtpOut out;
    private final String where;
    private volatile boolean closed;

    PsRtpSender(String clip, InetAddress to, int port, long ssrc, boolean overTcp) throws Exception {
        List<String> input = clip == null
                ? List.of("-f", "lavfi", "-i", "testsrc=size=320x240:rate=10")
                : List.of("-stream_loop", "-1", "-i", clip);
        List<String> cmd = new java.util.ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-re"));
        cmd.addAll(input);
        cmd.addAll(List.of("-an", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-g", "10", "-f", "mpeg", "pipe:1"));
        this.ffmpeg = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        this.out = new RtpOut(to, port, ssrc, overTcp);
        this.where = to.getHostAddress() + ":" + port;
        this.thread = new Thread(() -> send(ffmpeg.getInputStream()), "gb28181-sim-rtp-" + port);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * A device whose encoder is already running: PS recorded beforehand (starting with a key frame, as a
     * camera starts the stream it was INVITEd for), looped, each frame sent in one burst at its PTS, as an
     * encoder hands frames to the network; no encoder to start.
     */
    PsRtpSender(java.nio.file.Path recorded, InetAddress to, int port, long ssrc, boolean overTcp) throws Exception {
        this.ffmpeg = null;
        this.out = new RtpOut(to, port, ssrc, overTcp);
        this.where = to.getHostAddress() + ":" + port;
        byte[] ps = java.nio.file.Files.readAllBytes(recorded);
        List<PsFrames.Start> frames = PsFrames.starts(ps);
        if (frames.size() < 2) {
            throw new IllegalArgumentException(recorded + " holds fewer than two video frames");
        }
        this.thread = new Thread(() -> sendFrames(ps, frames), "gb28181-sim-rtp-" + port);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void sendFrames(byte[] ps, List<PsFrames.Start> frames) {
        long first = frames.get(0).pts();
        long last = frames.get(frames.size() - 1).pts();
        long loop = (last - first) * frames.size() / (frames.size() - 1);   // one frame's time past the last
        long start = System.nanoTime();
        try {
            for (long round = 0; !closed; round++) {
                for (int j = 0; j < frames.size() && !closed; j++) {
                    long due = start + (round * loop + frames.get(j).pts() - first) * 1_000_000L / 90;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    int from = j == 0 ? 0 : frames.get(j).offset();
                    int to = j + 1 < frames.size() ? frames.get(j + 1).offset() : ps.length;
                    out.write(ps, from, to - from);
                    out.flush();   // the frame's last packet carries the marker bit
                }
            }
        } catch (Exception e) {
            LOG.debug("simulated stream to {} ended: {}", where, e.toString());
        }
    }

    /** As fast as the source gives (FFmpeg's {@code -re} paces itself). */
    private void send(InputStream source) {
        byte[] buf = new byte[RTP_PAYLOAD];
        try (InputStream in = source) {
            int n;
            while (!closed && (n = in.readNBytes(buf, 0, buf.length)) > 0) {
                out.write(buf, 0, n);
                if (n < buf.length) {
                    out.flush();
                }
            }
            out.flush();
        } catch (Exception e) {
            LOG.debug("simulated stream to {} ended: {}", where, e.toString());
        }
    }
    @Override
    public void close() {
        closed = true;
        if (ffmpeg != null) {
            ffmpeg.destroy();
        }
        try {
            out.close();
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
