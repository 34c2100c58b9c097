package io.safegrid.bench;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.safegrid.analytics.video.CameraAnalyzer;
import io.safegrid.model.device.Zone;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.node.simulate.CameraScene;
import io.safegrid.node.simulate.SceneScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * How many cameras one node can watch: N threads each decode a 640x360 25 fps H.264 clip (in a loop,
 * rewound at its end as the intake rewinds a replayed file, as fast as they can, one decoder thread
 * each, as the intake does) and analyse 5 of every 25 frames
 * with the intrusion, fire, smoke and tamper analyzers. Reports the real-time factor per camera
 * (video seconds handled per wall second), frames/s, and the same clip through FFmpeg's own
 * single-threaded decoder for comparison; plus resident memory per camera.
 *
 * <p>Flat out, pictures that will not be analysed are decoded but not converted (as the intake
 * does).
 *
 * <pre>java -cp … io.safegrid.bench.VideoBench [cameras=2] [seconds=20] [analysisWidth=640] [clip.ts]</pre>
 *
 * <p>{@code paced} runs the live path instead (see {@link PacedVideoBench}): N cameras at 25 fps
 * through the real intake, bus and analytics.
 *
 * <pre>java -cp … io.safegrid.bench.VideoBench paced [cameras=48] [seconds=30] [analysisWidth=640] [decodeThreads=cores, 0 = thread per camera] [clip]</pre>
 */
public final class VideoBench {

    private static final int FFMPEG_PLAYS = 12;
    /** {@code -Dsafegrid.bench.analyzers=intrusion,fire,smoke,tamper,people}; people adds a danger zone. */
    static final Set<String> ANALYZERS = Set.copyOf(List.of(System.getProperty("safegrid.bench.analyzers",
            "intrusion,fire,smoke,tamper").split(",")));
    private static final Map<String, AtomicLong> STAGES = new ConcurrentHashMap<>();
    private static final AtomicLong CONVERTED_CPU = new AtomicLong();
    private static final AtomicLong CONVERTED = new AtomicLong();
    private static final AtomicLong SKIPPED_CPU = new AtomicLong();
    private static final AtomicLong SKIPPED = new AtomicLong();

    /** The bench camera's zones: the yard's gate, and (with people) the same ground as a danger zone. */
    static List<Zone> zones() {
        Zone gate = CameraScene.restrictedZone();
        return ANALYZERS.contains("people")
                ? List.of(gate, new Zone("pit", ZonePurpose.DANGER, gate.polygon(), 0, 1.0))
                : List.of(gate);
    }

    public static void main(String[] args) throws Exception {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        if (args.length > 0 && args[0].equals("paced")) {
            PacedVideoBench.run(args.length > 1 ? Integer.parseInt(args[1]) : 48,
                    args.length > 2 ? Double.parseDouble(args[2]) : 30,
                    args.length > 3 ? Integer.parseInt(args[3]) : 640,
                    args.length > 4 ? Integer.parseInt(args[4]) : Runtime.getRuntime().availableProcessors(),
                    args.length > 5 ? Path.of(args[5]) : makeClip());
            return;
        }
        int cameras = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        int analysisWidth = args.length > 2 ? Integer.parseInt(args[2]) : 640;
        Path clip = args.length > 3 ? Path.of(args[3]) : makeClip();
        int analysisHeight = analysisWidth * 9 / 16;
        System.out.printf(Locale.ROOT, "clip %s, %d camera(s), %.0f s, analysis %dx%d at 5 fps, %d CPU(s), "
                        + "I420, converting analysed pictures only, load average %s%n", clip, cameras, seconds,
                analysisWidth, analysisHeight, Runtime.getRuntime().availableProcessors(), PacedVideoBench.loadAverage());

        double[] cliRun = ffmpegCli(clip);
        double cli = cliRun[0];
        long rssBefore = rssKb();
        AtomicLong decoded = new AtomicLong();
        AtomicLong analysed = new AtomicLong();
        AtomicLong analysisNanos = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        double[] videoSeconds = new double[cameras];
        long[] peakRss = {0};
        List<Thread> threads = new ArrayList<>();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long processCpu0 = os.getProcessCpuTime();
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long t0 = System.nanoTime();
        for (int c = 0; c < cameras; c++) {
            int cam = c;
            Thread t = new Thread(() -> {
                try {
                    long c0 = THREADS.getCurrentThreadCpuTime();
                    videoSeconds[cam] = camera(clip, analysisWidth, analysisHeight, deadline, decoded, analysed, analysisNanos);
                    cpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - c0);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "bench-camera-" + c);
            threads.add(t);
            t.start();
        }
        while (threads.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(500);
            peakRss[0] = Math.max(peakRss[0], rssKb());
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double processCpu = (os.getProcessCpuTime() - processCpu0) / 1e9;
        double video = 0;
        for (double v : videoSeconds) {
            video += v;
        }
        double rtf = video / wall / cameras;
        System.out.printf(Locale.ROOT, "decoded %d frames, analysed %d, in %.1f s wall%n", decoded.get(), analysed.get(), wall);
        System.out.printf(Locale.ROOT, "decode+analyse: %.0f frames/s in all, real-time factor %.2f per camera "
                + "(≈ %.1f cameras at 25 fps on this machine)%n", decoded.get() / wall, rtf, rtf * cameras);
        System.out.printf(Locale.ROOT, "analysis: %.1f ms per analysed frame (mean, CPU of one thread)%n",
                analysisNanos.get() / 1e6 / Math.max(1, analysed.get()));
        System.out.printf(Locale.ROOT, "ffmpeg CLI, 1 thread, decode only: %.0f frames/s (real-time factor %.1f), "
                + "%.0f frames per CPU-second%n", cli, cli / 25, cliRun[1]);
        double decodeCpuMs = (cpuNanos.get() - analysisNanos.get()) / 1e6 / Math.max(1, decoded.get());
        double perCpuSecond = decoded.get() / (cpuNanos.get() / 1e9);
        System.out.printf(Locale.ROOT, "CPU time (robust to other load): decode %.2f ms per picture; whole pipeline "
                        + "%.0f frames per CPU-second = %.0f %% of ffmpeg's (goal ≥ 80 %%) ≈ %.1f cameras per core%n",
                decodeCpuMs, perCpuSecond, 100 * perCpuSecond / cliRun[1], perCpuSecond / 25);
        // stricter: the whole JVM's CPU (JIT, GC, the bench's own sampling, any library thread), not only the cameras' threads
        double perProcessCpuSecond = decoded.get() / processCpu;
        System.out.printf(Locale.ROOT, "CPU time of the whole process: %.0f frames per CPU-second = %.0f %% of ffmpeg's%n",
                perProcessCpuSecond, 100 * perProcessCpuSecond / cliRun[1]);
        System.out.printf(Locale.ROOT, "resident memory: %d MB before cameras, peak %d MB, ≈ %.0f MB per camera%n",
                rssBefore / 1024, peakRss[0] / 1024, (peakRss[0] - rssBefore) / 1024.0 / cameras);
        breakdown(analysed.get(), decoded.get());
    }

    /** Where the CPU of one analysed picture goes (thread CPU time of each stage). */
    private static void breakdown(long analysed, long decoded) {
        double skipped = SKIPPED_CPU.get() / 1e6 / Math.max(1, SKIPPED.get());
        double converted = CONVERTED_CPU.get() / 1e6 / Math.max(1, CONVERTED.get());
        System.out.printf(Locale.ROOT, "BREAKDOWN decode only %.2f ms per picture; decode+scale+convert %.2f ms "
                + "(scale/convert ≈ %.2f ms per analysed picture)%n", skipped, converted, converted - skipped);
        StringBuilder sb = new StringBuilder("BREAKDOWN CPU per analysed picture (ms):");
        double sum = 0;
        for (Map.Entry<String, AtomicLong> e : new java.util.TreeMap<>(STAGES).entrySet()) {
            double ms = e.getValue().get() / 1e6 / Math.max(1, analysed);
            sum += ms;
            sb.append(String.format(Locale.ROOT, " %s %.2f,", e.getKey(), ms));
        }
        System.out.println(sb.append(String.format(Locale.ROOT, " analysis total %.2f", sum)));
        System.out.printf(Locale.ROOT, "BREAKDOWN per camera-second at 25 fps in, 5 analysed: decode %.1f ms, "
                + "scale/convert %.1f ms, analysis %.1f ms → %.1f ms CPU ≈ %.0f cameras per core%n", 25 * skipped,
                5 * (converted - skipped), 5 * sum, 25 * skipped + 5 * (converted - skipped) + 5 * sum,
                1000 / (25 * skipped + 5 * (converted - skipped) + 5 * sum));
    }

    /**
     * Loops over the clip until the deadline; returns the seconds of video handled. At the clip's end
     * the grabber is rewound, as the intake does with a replayed file and as {@code ffmpeg -stream_loop}
     * does: reopening it every 10 s of video (every ~0.25 s flat out) measured the probe and JavaCV's
     * {@code malloc_trim} on close, which no live camera pays per picture.
     */
    static double camera(Path clip, int w, int h, long deadline, AtomicLong decoded, AtomicLong analysed,
                         AtomicLong analysisNanos) throws Exception {
        double video = 0;
        try (CameraAnalyzer analyzer = new CameraAnalyzer(zones(), ANALYZERS).measureStages()) {
            double offset = 0;
            FFmpegFrameGrabber g = null;
            try {
                while (System.nanoTime() < deadline) {
                    double last = 0;
                    if (g == null) {
                        g = new FFmpegFrameGrabber(clip.toFile());
                        // as the intake: I420 straight from the decoder (no conversion at the clip's size)
                        g.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                        g.setImageWidth(w);
                        g.setImageHeight(h);
                        g.setVideoOption("threads", "1");
                        g.start();
                    } else {
                        g.setTimestamp(0);
                    }
                    long n = 0;
                    Frame f;
                    while (System.nanoTime() < deadline) {
                        boolean convert = n % 5 == 0;
                        long g0 = THREADS.getCurrentThreadCpuTime();
                        f = g.grabFrame(false, true, convert, false, false);
                        if (f == null) {
                            break;
                        }
                        (convert ? CONVERTED_CPU : SKIPPED_CPU).addAndGet(THREADS.getCurrentThreadCpuTime() - g0);
                        (convert ? CONVERTED : SKIPPED).incrementAndGet();
                        decoded.incrementAndGet();
                        last = f.timestamp / 1e6 - (g.getFormatContext().start_time() / 1e6);
                        if (n++ % 5 == 0) {   // 25 fps in, 5 fps analysed
                            // the decoder's I420 buffer as it is (Y rows, then U and V), no copy
                            try (BytePointer p = i420(f);
                                 Mat m = new Mat(f.imageHeight * 3 / 2, f.imageWidth, CV_8UC1, p)) {
                                long a = THREADS.getCurrentThreadCpuTime();
                                analyzer.analyzeI420(m, f.imageWidth, f.imageHeight, offset + last);
                                analysisNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - a);
                            }
                            analysed.incrementAndGet();
                        }
                    }
                    video += last + 0.04;
                    offset += last + 0.04;
                }
            } finally {
                if (g != null) {
                    g.close();
                }
            }
            analyzer.stageNanos().forEach((k, v) -> STAGES.computeIfAbsent(k, x -> new AtomicLong()).addAndGet(v));
        }
        return video;
    }

    /**
     * {@code ffmpeg -threads 1 -i clip -f null -} over the clip 12 times (3,000 pictures, so that its
     * start-up and a moment of other load weigh little): frames per wall second and per CPU second
     * (read from the shell's children times, so other load does not count).
     */
    static double[] ffmpegCli(Path clip) throws IOException, InterruptedException {
        long frames;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile())) {
            g.start();
            frames = g.getLengthInVideoFrames() * (long) FFMPEG_PLAYS;
            g.stop();
        }
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("sh", "-c", "ffmpeg -v error -stream_loop " + (FFMPEG_PLAYS - 1) + " -threads 1 -i \"$0\" -f null - "
                + "&& cat /proc/$$/stat", clip.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        if (p.waitFor() != 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        // /proc/<pid>/stat after ')' : fields 16 and 17 of the whole line are children's user and system ticks
        String[] f = out.substring(out.lastIndexOf(')') + 2).trim().split(" ");
        double cpu = (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
        return new double[] {frames / wall, frames / cpu};
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** 10 s of the simulator's yard (person, flame) at 640x360 25 fps, H.264. */
    static Path makeClip() throws Exception {
        Path file = Files.createTempFile("safegrid-bench-", ".ts");
        file.toFile().deleteOnExit();
        try (CameraScene scene = new CameraScene(new SceneScript(2, 6, 5, 10, -1, -1, 100));
             FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), CameraScene.WIDTH, CameraScene.HEIGHT, 0);
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat();
             Mat frame = new Mat(CameraScene.HEIGHT, CameraScene.WIDTH, CV_8UC3)) {
            rec.setFormat("mpegts");
            rec.setVideoCodecName("libopenh264");
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setFrameRate(25);
            rec.setGopSize(50);
            rec.setVideoBitrate(1_500_000);
            rec.start();
            Instant start = Instant.now();
            for (int i = 0; i < 250; i++) {
                scene.render(frame, i / 25.0, start.plusMillis(i * 40L));
                rec.record(conv.convert(frame));
            }
            rec.stop();
        }
        return file;
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }

    /** The grabber's I420 picture as it lies (Y rows, then U and V), no copy: its rows must not be padded. */
    static BytePointer i420(Frame f) {
        if (f.imageChannels != 1 || f.imageStride != f.imageWidth) {
            throw new IllegalStateException("not unpadded I420: " + f.imageChannels + " channel(s), stride "
                    + f.imageStride + " for width " + f.imageWidth);
        }
        return new BytePointer((java.nio.ByteBuffer) f.image[0]);
    }
}
