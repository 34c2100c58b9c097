package io.safegrid.analytics.video;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.safegrid.analytics.video.fire.FireAnalyzer;
import io.safegrid.analytics.video.intrusion.IntrusionAnalyzer;
import io.safegrid.analytics.video.people.PeopleAnalyzer;
import io.safegrid.analytics.video.smoke.SmokeAnalyzer;
import io.safegrid.analytics.video.tamper.TamperAnalyzer;
import io.safegrid.model.device.Zone;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Everything one camera's pictures go through, in one object: the shared motion gate, then each
 * configured analyzer. No bus and no clock: the node feeds it from the bus, the CLI from a file.
 * Not thread-safe; one thread per camera.
 */
public final class CameraAnalyzer implements AutoCloseable {
    /** Analyzer names, in the order they run. */
    public static final List<String> KNOWN = List.of("tamper", "intrusion", "people", "fire", "smoke");

    /**
     * Width of the working copy the cheap analyzers (motion gate, intrusion, fire, smoke, tamper)
     * run on; their thresholds are shares of the picture, so they hold at any size. People (HOG)
     * and the evidence use the full analysis picture.
     */
    public static final int WORK_WIDTH = 320;

    /**
     * OpenCV's own worker threads ({@code -Dsafegrid.video.opencvThreads}, default 1: none, every call
     * runs on the camera's thread; -1: OpenCV's default of one per core). A node analyses many
     * cameras at once, which already fills the cores; OpenCV's pool only added hand-offs, and its
     * idle workers spin in {@code sched_yield} between the small calls of the working copy: with
     * 48 cameras that was ~0.2 of 2 cores doing nothing.
     */
    static final int OPENCV_THREADS = Integer.getInteger("safegrid.video.opencvThreads", 1);

    static {
        org.bytedeco.opencv.global.opencv_core.setNumThreads(OPENCV_THREADS);
        org.slf4j.LoggerFactory.getLogger(CameraAnalyzer.class).debug("OpenCV threads: {}",
                org.bytedeco.opencv.global.opencv_core.getNumThreads());
    }

    private final List<Zone> zones;
    private final MotionGate gate = new MotionGate();
    // the working copy, its grey and HSV, kept from frame to frame: at 48 cameras x 5 fps, allocating
    // and freeing them per frame was C heap churn (and page faults) for nothing
    private final Mat workBuffer = new Mat();
    private final Mat grayBuffer = new Mat();
    private final Mat hsvBuffer = new Mat();
    private Size workSize;
    private final List<FrameAnalyzer> analyzers = new ArrayList<>();
    /** Thread CPU nanoseconds spent per stage ("resize", "gate", then each analyzer), for tuning. */
    private final Map<String, Long> stageNanos = new LinkedHashMap<>();

    /**
     * @param analyzers names from {@link #KNOWN}; an unknown name is an error, not silently skipped,
     *                  since a mistyped analyzer would leave a camera unwatched
     */
    public CameraAnalyzer(List<Zone> zones, Set<String> analyzers) {
        this.zones = List.copyOf(zones);
        Set<String> wanted = new LinkedHashSet<>();
        for (String a : analyzers) {
            String n = a.trim().toLowerCase(java.util.Locale.ROOT);
            if (!KNOWN.contains(n)) {
                throw new IllegalArgumentException("unknown analyzer '" + a + "' (known: " + String.join(", ", KNOWN) + ")");
            }
            wanted.add(n);
        }
        for (String n : KNOWN) {
            if (wanted.contains(n)) {
                this.analyzers.add(switch (n) {
                    case "tamper" -> new TamperAnalyzer(TamperAnalyzer.Params.defaults());
                    case "intrusion" -> new IntrusionAnalyzer(zones, IntrusionAnalyzer.Params.defaults());
                    case "people" -> new PeopleAnalyzer(zones, PeopleAnalyzer.Params.defaults());
                    case "fire" -> new FireAnalyzer(FireAnalyzer.Params.defaults());
                    case "smoke" -> new SmokeAnalyzer(SmokeAnalyzer.Params.defaults());
                    default -> throw new IllegalStateException(n);
                });
            }
        }
    }

    public List<Zone> zones() { return zones; }

    public List<FrameAnalyzer> analyzers() { return List.copyOf(analyzers); }

    /** Runs every analyzer over one BGR picture taken at stream time {@code time} (seconds). */
    public List<Detection> analyze(Mat bgr, double time) {
        long t0 = cpuNanos();
        Mat work = bgr;
        if (bgr.cols() > WORK_WIDTH) {
            // one INTER_AREA shrink shared by every cheap analyzer of this camera
            int h = Math.max(1, bgr.rows() * WORK_WIDTH / bgr.cols());
            if (workSize == null || workSize.height() != h) {
                if (workSize != null) {
                    workSize.close();
                }
                workSize = new Size(WORK_WIDTH, h);
            }
            resize(bgr, workBuffer, workSize, 0, 0, INTER_AREA);
            work = workBuffer;
        }
        cvtColor(work, grayBuffer, COLOR_BGR2GRAY);
        Mat gray = grayBuffer;
        long t1 = cpuNanos();
        MotionGate.Result motion = gate.update(gray);
        long t2 = cpuNanos();
        stageNanos.merge("resize", t1 - t0, Long::sum);
        stageNanos.merge("gate", t2 - t1, Long::sum);
        List<Detection> out = new ArrayList<>();
        try (AnalysisFrame frame = new AnalysisFrame(bgr, work, gray, hsvBuffer, time, motion, false)) {
            for (FrameAnalyzer a : analyzers) {
                long s = cpuNanos();
                out.addAll(a.analyze(frame));
                stageNanos.merge(a.name(), cpuNanos() - s, Long::sum);
            }
        }
        return out;
    }

    /** This thread's CPU time: the stage costs stay true when other processes share the cores. */
    private static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** Thread CPU nanoseconds spent so far per stage: "resize", "gate", then each analyzer by name. */
    public Map<String, Long> stageNanos() { return Map.copyOf(stageNanos); }

    /** The evidence picture for a detection on {@code bgr}. */
    public byte[] snapshot(Mat bgr, Detection d) {
        return Snapshots.render(bgr, zones, d);
    }

    @Override
    public void close() {
        workBuffer.close();
        grayBuffer.close();
        hsvBuffer.close();
        if (workSize != null) {
            workSize.close();
        }
        gate.close();
        analyzers.forEach(FrameAnalyzer::close);
    }
}
