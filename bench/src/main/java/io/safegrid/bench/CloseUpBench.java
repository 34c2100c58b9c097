package io.safegrid.bench;

import io.safegrid.analytics.video.CameraAnalyzer;
import io.safegrid.analytics.video.ObjectStage;
import io.safegrid.analytics.video.detect.DetectorPool;
import io.safegrid.analytics.video.detect.NanoDet;
import io.safegrid.analytics.video.track.Track;
import io.safegrid.model.device.Point;
import io.safegrid.model.device.Zone;
import io.safegrid.model.device.ZonePurpose;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;

/**
 * One walking camera's analysis CPU with the closer looks at the detector's full input against the
 * close-up input: a real recording (people walking) analysed at 640x360, 5 fps, by every analyzer,
 * the detector in int8 with the detect interval given; thread CPU per camera-second, detector passes
 * by kind, and the people counted every 2 s (to see that the close-ups confirm the same people).
 * The two runs alternate {@code plays} times so a busy machine's noise falls on both.
 *
 * {@code fit} as the fifth argument compares instead the whole pass at 416x416 with the input fitted to
 * the picture's shape (416x256), closer looks at {@code closeUpSide} in both.
 *
 * <pre>java -cp … io.safegrid.bench.CloseUpBench clip.mp4 [closeUpSide=320] [plays=2] [detectIntervalMs=400] [fit]</pre>
 */
public final class CloseUpBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CloseUpBench() {
    }

    public static void main(String[] args) throws Exception {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        Path clip = Path.of(args[0]);
        int[] opt = FrameHandOffBench.ints(args, 320, 2, 400);   // close-up side, plays, detect interval ms
        int side = opt[0];
        int plays = opt[1];
        double interval = opt[2] / 1000.0;
        if (args.length > 4 && args[4].equals("fit")) {
            // the whole pass at 416x416 against the input fitted to the picture (416x256), closer looks at side both
            try (DetectorPool square = DetectorPool.of(NanoDet.fromClassPath(416, 0.4, true))
                    .withCloseUps(NanoDet.fromClassPath(side, 0.4, true));
                 DetectorPool fitted = DetectorPool.of(NanoDet.fitting(416, 0.4, true, NanoDet.NMS_IOU))
                    .withCloseUps(NanoDet.fromClassPath(side, 0.4, true))) {
                for (int p = 0; p < plays; p++) {
                    run("int8 whole pass 416x416, closer looks at " + side, square, clip, interval);
                    run("int8 whole pass fitted (416x256), closer looks at " + side, fitted, clip, interval);
                }
            }
            return;
        }
        NanoDet full = NanoDet.fromClassPath(416, 0.4, true);
        NanoDet small = NanoDet.fromClassPath(side, 0.4, true);
        try (DetectorPool plain = DetectorPool.of(full); DetectorPool withCloseUps = DetectorPool.of(
                NanoDet.fromClassPath(416, 0.4, true)).withCloseUps(small)) {
            for (int p = 0; p < plays; p++) {
                run("int8 416, closer looks at 416", plain, clip, interval);
                run("int8 416, closer looks at " + side, withCloseUps, clip, interval);
            }
        }
    }

    static void run(String what, DetectorPool pool, Path clip, double interval) throws Exception {
        Zone all = new Zone("street", ZonePurpose.CROWD, List.of(new Point(0, 0), new Point(1, 0), new Point(1, 1),
                new Point(0, 1)), 100, 1.0);
        ObjectStage.Params d = ObjectStage.Params.defaults();
        ObjectStage.Params params = new ObjectStage.Params(d.keepAliveSeconds(), d.wholeShare(), d.minCrop(), d.tracking(),
                interval);
        List<String> counts = new ArrayList<>();
        long cpu;
        double seconds;
        ObjectStage stage;
        try (CameraAnalyzer a = new CameraAnalyzer(List.of(all), Set.of("people", "intrusion", "fire", "smoke", "tamper"),
                pool, params);
             FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.setImageWidth(640);
            g.setImageHeight(360);
            g.start();
            stage = a.objects().orElseThrow();
            double next = 0;
            double nextCount = 2;
            double t = 0;
            Frame f;
            cpu = 0;
            while ((f = g.grabImage()) != null) {
                t = f.timestamp / 1e6;
                if (t + 1e-3 < next) {
                    continue;
                }
                next += 0.2;
                var m = conv.convert(f);
                long c0 = THREADS.getCurrentThreadCpuTime();
                a.analyze(m, t);
                cpu += THREADS.getCurrentThreadCpuTime() - c0;
                if (t + 1e-3 >= nextCount) {
                    nextCount += 2;
                    counts.add(Long.toString(stage.tracks().stream()
                            .filter(tr -> tr.label().equals("person") && tr.confirmed(stage.minHits())).map(Track::id).count()));
                }
            }
            seconds = t;
            g.stop();
        }
        System.out.printf(Locale.ROOT, "%s: %.1f ms of CPU per camera-second (%.2f of a core at 5 fps), passes/s whole %.2f "
                        + "crop %.2f closer %.2f, people every 2 s %s%n", what, cpu / 1e6 / seconds, cpu / 1e9 / seconds,
                stage.wholeRuns() / seconds, stage.cropRuns() / seconds, stage.closerLooks() / seconds, counts);
    }
}
