package io.safegrid.bench.gb28181;

import io.safegrid.ingest.gb28181.live.RtpOut;
import io.safegrid.ingest.gb28181.live.RtpPs;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * What PS over RTP costs on top of decoding: the same H.264 elementary stream (made once from a clip,
 * GOP 25, no B-frames, as cameras send) decoded three ways, single-threaded, in this thread:
 * <ol>
 *   <li>the raw elementary stream ({@code -f h264});</li>
 *   <li>the same stream in MPEG-PS ({@code -c copy -f mpeg}), from the file;</li>
 *   <li>that PS cut into RTP by {@link RtpOut} and sent over loopback TCP (RFC 4571) to {@link RtpPs},
 *       the receiver live video uses, then demultiplexed and decoded as live video does.</li>
 * </ol>
 * CPU per picture counts this thread and, for RTP, the receiver's thread; the sender (the device's
 * side) is not counted. Each way runs {@code rounds} times; the best round is kept.
 *
 * <pre>PsDemuxOverhead clip.mp4 [seconds=20] [rounds=3]</pre>
 */
public final class PsDemuxOverhead {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        String clip = args[0];
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        Path dir = Files.createTempDirectory("ps-demux");
        Path es = dir.resolve("clip.h264");
        Path ps = dir.resolve("clip.ps");
        ffmpeg("-i", clip, "-t", String.valueOf(seconds), "-an", "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-bf", "0",
                "-pix_fmt", "yuv420p", "-f", "h264", es.toString());
        ffmpeg("-f", "h264", "-i", es.toString(), "-c", "copy", "-f", "mpeg", ps.toString());
        System.out.printf("clip %s, %d s: elementary stream %d kB, PS %d kB%n", clip, seconds, Files.size(es) >> 10, Files.size(ps) >> 10);
        double esBest = Double.MAX_VALUE;
        double psBest = Double.MAX_VALUE;
        double rtpBest = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            esBest = Math.min(esBest, report("H.264 elementary stream", decodeFile(es, "h264")));
            psBest = Math.min(psBest, report("PS from file", decodeFile(ps, "mpeg")));
            rtpBest = Math.min(rtpBest, report("PS over RTP/TCP (RtpPs)", decodeRtp(ps)));
        }
        System.out.printf("best of %d: ES %.3f ms, PS %.3f ms (%+.1f %%), PS/RTP %.3f ms (%+.1f %%) CPU per picture%n", rounds,
                esBest, psBest, 100 * (psBest / esBest - 1), rtpBest, 100 * (rtpBest / esBest - 1));
        for (Path p : List.of(es, ps)) {
            Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
    }

    private record Result(long pictures, long cpuNanos, long wallNanos) {
    }

    private static double report(String what, Result r) {
        double perPicture = r.cpuNanos / 1e6 / r.pictures;
        System.out.printf("  %-26s %5d pictures, CPU %.3f ms per picture, wall %.2f s%n", what, r.pictures, perPicture,
                r.wallNanos / 1e9);
        return perPicture;
    }

    private static Result decodeFile(Path file, String format) throws Exception {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long n = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setFormat(format);
            g.setVideoOption("threads", "1");
            g.start();
            while (g.grabImage() != null) {
                n++;
            }
            g.stop();
        }
        return new Result(n, THREADS.getCurrentThreadCpuTime() - cpu0, System.nanoTime() - t0);
    }

    private static Result decodeRtp(Path ps) throws Exception {
        long ssrc = 123456789L;
        try (RtpPs rx = new RtpPs(InetAddress.getLoopbackAddress(), ssrc, true)) {
            Thread sender = new Thread(() -> {
                try (InputStream in = Files.newInputStream(ps);
                     RtpOut out = new RtpOut(InetAddress.getLoopbackAddress(), rx.port(), ssrc, true)) {
                    in.transferTo(out);
                    out.flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "device-sender");
            sender.start();
            long rxThread = threadId("gb28181-rtp-" + rx.port());
            long rx0 = rxThread < 0 ? 0 : THREADS.getThreadCpuTime(rxThread);
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long n = 0;
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(rx.stream(), 0)) {
                g.setFormat("mpeg");
                g.setOption("probesize", "65536");
                g.setOption("analyzeduration", "1000000");
                g.setOption("fpsprobesize", "0");
                g.setVideoOption("threads", "1");
                g.startUnsafe();
                while (g.grabImage() != null) {
                    n++;
                }
                g.stop();
            }
            long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
            long rxCpu = rxThread < 0 ? 0 : Math.max(0, THREADS.getThreadCpuTime(rxThread) - rx0);
            sender.join();
            return new Result(n, cpu + rxCpu, System.nanoTime() - t0);
        }
    }

    private static long threadId(String name) {
        for (ThreadInfo ti : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (ti != null && ti.getThreadName().equals(name)) {
                return ti.getThreadId();
            }
        }
        return -1;
    }

    private static void ffmpeg(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg failed: " + cmd);
        }
    }
}
