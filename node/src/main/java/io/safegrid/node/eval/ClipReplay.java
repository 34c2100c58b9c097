package io.safegrid.node.eval;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import io.safegrid.analytics.video.Blobs;
import io.safegrid.analytics.video.CameraAnalyzer;
import io.safegrid.analytics.video.Detection;
import io.safegrid.analytics.video.FrameAnalyzer;
import io.safegrid.analytics.video.SeesPeople;
import io.safegrid.ingest.camera.I420Copy;
import io.safegrid.model.video.AnalysisRate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleConsumer;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One clip through a camera's analysis as production runs it: decoded to I420 at the analysis
 * size on one decoder thread (as the intake does), thinned to the analysis rate by
 * {@link AnalysisRate}, and handed to a {@link CameraAnalyzer} (motion gate, analyzers, their dwell
 * and debounce) as {@code VideoAnalytics} hands it a camera's frames. Records what was active
 * after each analysed picture, and how many people were in the counted zone.
 */
final class ClipReplay {

    /** After one analysed picture: the (kind|zone) conditions active, and people counted (-1: not counted). */
    record Sample(double time, Set<String> active, int counted) {
    }

    /**
     * @param starts   each condition's start (ACTIVE on a key not active before); a raise of level is not a start
     * @param detector what found the people, or null when no people analyzer ran
     * @param stageNanos thread CPU time per stage of the analysis ({@link CameraAnalyzer#stageNanos()})
     */
    record Result(String clip, double seconds, int width, int height, long analysed, List<Detection> starts,
                  List<Sample> samples, String detector, Map<String, Long> stageNanos) {

        /** The sample at or just before {@code t}, or null before the first. */
        Sample at(double t) {
            Sample best = null;
            for (Sample s : samples) {
                if (s.time() <= t + 1e-6) {
                    best = s;
                } else {
                    break;
                }
            }
            return best;
        }
    }

    private ClipReplay() {
    }

    static Result run(Path file, EvalPlan plan, EvalPlan.ClipSetup setup, io.safegrid.analytics.video.detect.DetectorPool detectors,
                      io.safegrid.analytics.video.ObjectStage.Params stage,
                      DoubleConsumer progress) throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            int iw = g.getImageWidth();
            int ih = g.getImageHeight();
            if (iw <= 0 || ih <= 0) {
                throw new IOException(file + " has no video stream");
            }
            int w = Math.min(plan.width(), iw) & ~1;
            int h = Math.max(2, (int) Math.round(ih * (w / (double) iw)) & ~1);
            g.stop();
            g.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            g.setImageWidth(w);
            g.setImageHeight(h);
            g.setVideoOption("threads", "1");
            g.start();
            double length = g.getLengthInTime() / 1e6;
            AnalysisRate rate = new AnalysisRate(plan.fps());
            List<Detection> starts = new ArrayList<>();
            List<Sample> samples = new ArrayList<>();
            Set<String> active = new HashSet<>();
            long analysed = 0;
            try (CameraAnalyzer analyzer = new CameraAnalyzer(setup.zones(), plan.analyzers(), detectors,
                    stage).measureStages();
                 Mat pixels = new Mat(h * 3 / 2, w, CV_8UC1)) {
                SeesPeople people = null;
                for (FrameAnalyzer a : analyzer.analyzers()) {
                    if (a instanceof SeesPeople p) {
                        people = p;
                    }
                }
                Frame f;
                while ((f = g.grabImage()) != null) {
                    double t = f.timestamp / 1e6;
                    progress.accept(Math.min(t, length));
                    if (!rate.take(t)) {
                        continue;
                    }
                    byte[] i420 = I420Copy.of(f);
                    if (i420 == null || i420.length != w * h * 3 / 2) {
                        throw new IOException(file + ": the decoder gave no I420 picture at " + t + " s");
                    }
                    pixels.data().put(i420, 0, i420.length);
                    for (Detection d : analyzer.analyzeI420(pixels, w, h, t)) {
                        if (d.isActive()) {
                            if (active.add(d.key())) {
                                starts.add(d);
                            }
                        } else {
                            active.remove(d.key());
                        }
                    }
                    analysed++;
                    int counted = -1;
                    if (people != null && setup.counted() != null) {
                        counted = (int) people.people().stream()
                                .filter(b -> Blobs.inZone(b, setup.counted(), w, h)).count();
                    }
                    samples.add(new Sample(t, Set.copyOf(active), counted));
                }
                progress.accept(length);
                return new Result(setup.file(), length, w, h, analysed, starts, samples,
                        people == null ? null : analyzer.objects().map(o -> o.pool().detector().name()).orElse(null),
                        analyzer.stageNanos());
            }
        }
    }
}
