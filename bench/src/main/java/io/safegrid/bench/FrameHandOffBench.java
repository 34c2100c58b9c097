package io.safegrid.bench;

import io.safegrid.ingest.camera.I420Copy;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.video.VideoFrame;
import io.safegrid.picture.NativePixels;
import io.safegrid.picture.Pictures;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The CPU a stream frame costs between the decoder and analysis, the two ways: as the intake did it
 * (decoder buffer → a new byte[] → copied again into the camera's OpenCV picture) and as it does now
 * (decoder buffer → native pixels, read in place through an OpenCV header, freed by the last holder).
 * Both run in the same process, in alternating rounds over the same decoded pictures, so the busy
 * machine's noise falls on both alike. Thread CPU per frame, best and median round.
 *
 * <pre>java -cp … io.safegrid.bench.FrameHandOffBench clip.mp4 [rounds=15] [framesPerRound=2000]</pre>
 */
public final class FrameHandOffBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final GridPath SITE = GridPath.parse("county/bench");

    private FrameHandOffBench() {
    }

    /** The integer arguments after the clip ({@code args[1]} on), each its default where not given. */
    static int[] ints(String[] args, int... defaults) {
        int[] out = defaults.clone();
        for (int i = 0; i < out.length && i + 1 < args.length; i++) {
            out[i] = Integer.parseInt(args[i + 1]);
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        Path clip = Path.of(args[0]);
        int[] opt = ints(args, 15, 2000);
        int rounds = opt[0];
        int perRound = opt[1];
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            g.setOption("threads", "1");
            g.start();
            Frame f = g.grabImage();   // the decoder's own buffer, as the intake sees it
            System.out.printf(Locale.ROOT, "frame %dx%d I420, stride %d, %d bytes; %d rounds of %d frames each way%n",
                    f.imageWidth, f.imageHeight, f.imageStride, f.imageWidth * f.imageHeight * 3 / 2, rounds, perRound);
            long[] old = new long[rounds];
            long[] now = new long[rounds];
            long sink = 0;
            try (Mat reused = new Mat()) {
                for (int r = -2; r < rounds; r++) {   // two warm-up rounds
                    long t0 = THREADS.getCurrentThreadCpuTime();
                    for (int i = 0; i < perRound; i++) {
                        VideoFrame v = new VideoFrame("cam", SITE, Instant.EPOCH, i, i * 0.2, f.imageWidth, f.imageHeight,
                                VideoFrame.Format.I420, I420Copy.of(f));
                        sink += Pictures.load(v, reused).data().get(i % 1000);
                    }
                    long t1 = THREADS.getCurrentThreadCpuTime();
                    for (int i = 0; i < perRound; i++) {
                        VideoFrame v = new VideoFrame("cam", SITE, Instant.EPOCH, i, i * 0.2, f.imageWidth, f.imageHeight,
                                VideoFrame.Format.I420, I420Copy.toNative(f));
                        try (Mat view = Pictures.view(v)) {
                            sink += view.data().get(i % 1000);
                        }
                        v.release();
                    }
                    long t2 = THREADS.getCurrentThreadCpuTime();
                    if (r >= 0) {
                        old[r] = t1 - t0;
                        now[r] = t2 - t1;
                    }
                }
            }
            java.util.Arrays.sort(old);
            java.util.Arrays.sort(now);
            double o = old[rounds / 2] / 1e3 / perRound;
            double n = now[rounds / 2] / 1e3 / perRound;
            System.out.printf(Locale.ROOT, "copy into byte[] then into the Mat: median %.1f µs, best %.1f µs of thread CPU per frame%n",
                    o, old[0] / 1e3 / perRound);
            System.out.printf(Locale.ROOT, "copy once into native pixels, read in place: median %.1f µs, best %.1f µs per frame%n",
                    n, now[0] / 1e3 / perRound);
            System.out.printf(Locale.ROOT, "saved per frame: %.1f µs (median); at 48 cameras x 5 fps: %.3f of a core; "
                    + "native frames left: %d (sink %d)%n", o - n, (o - n) * 240 / 1e6, NativePixels.live(), sink);
        }
    }
}
