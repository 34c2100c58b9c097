package io.safegrid.analytics.video;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_YUV2BGR_I420;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.safegrid.analytics.video.detect.DetectorPool;
import io.safegrid.analytics.video.detect.Detectors;
import io.safegrid.analytics.video.fire.FireAnalyzer;
import io.safegrid.analytics.video.intrusion.IntrusionAnalyzer;
import io.safegrid.analytics.video.people.PeopleAnalyzer;
import io.safegrid.analytics.video.smoke.SmokeAnalyzer;
import io.safegrid.analytics.video.tamper.TamperAnalyzer;
import io.safegrid.config.VideoConfig;
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
     * Default width of the working copy, the colour picture fire and smoke's colour test run on
     * ({@code video.work-width}): the motion picture's size, so one small colour copy and its grey
     * serve every cheap analyzer. Their thresholds are shares of the picture, so they hold at any
     * size; the fire tests (a 10x14 px flame at 320x180, the orange jacket, the static red object)
     * pass alike at 320 and 160. People (HOG) and the evidence use the full analysis picture. At 160
     * fire costs a third of what it does at 320 (HSV and its mask are per-pixel work).
     */
    public static final int WORK_WIDTH = VideoConfig.DEFAULT_WORK_WIDTH;

    static {
        openCvThreads(1);
    }

    /**
     * OpenCV's own worker threads, for the whole process ({@code node.threads.opencv}, default 1:
     * none, every call runs on the camera's thread; -1: OpenCV's default of one per core). A node
     * analyses many cameras at once, which already fills the cores; OpenCV's pool only added
     * hand-offs, and its idle workers spin in {@code sched_yield} between the small calls of the
     * working copy: with 48 cameras that was ~0.2 of 2 cores doing nothing.
     */
    public static void openCvThreads(int n) {
        org.bytedeco.opencv.global.opencv_core.setNumThreads(n);
        org.slf4j.LoggerFactory.getLogger(CameraAnalyzer.class).debug("OpenCV threads: {}",
                org.bytedeco.opencv.global.opencv_core.getNumThreads());
    }

    /**
     * Width of the motion picture: grey, what the motion gate, the background model (intrusion),
     * smoke and tamper look at. They only need to see that and where something changed, not what
     * it is; Frigate's motion detector works at about this size (a picture ~100 px high) for the
     * same reason. At 160x90 a person 30 m away (~40 px tall at 640x360) is still ~10 px tall.
     */
    public static final int MOTION_WIDTH = 160;

    private final List<Zone> zones;
    private final int workWidth;
    private final MotionGate gate = new MotionGate();
    // the working copy, its grey and HSV, the motion picture and the full BGR picture of an I420
    // frame, kept from frame to frame: at 48 cameras x 5 fps, allocating and freeing them per frame
    // would churn the C heap (and fault pages in) for nothing
    private final Mat workBuffer = new Mat();
    private final Mat grayBuffer = new Mat();
    private final Mat hsvBuffer = new Mat();
    private final Mat motionBuffer = new Mat();
    private final I420Shrink shrink = new I420Shrink();
    private final Mat fullBgr = new Mat();
    private Size workSize;
    private Size motionSize;
    /** The last analysed frame's full picture: BGR as given, or its I420 to convert when asked for. */
    private Mat lastBgr;
    private Mat lastI420;
    private boolean fullBgrDone;
    private final List<FrameAnalyzer> analyzers = new ArrayList<>();
    /** Detector and tracker, when an analyzer judges objects; else null. */
    private final ObjectStage objects;
    /** Thread CPU nanoseconds spent per stage ("resize", "gate", then each analyzer), for tuning. */
    private final Map<String, Long> stageNanos = new LinkedHashMap<>();
    private boolean measureStages;

    /**
     * @param analyzers names from {@link #KNOWN}; an unknown name is an error, not silently skipped,
     *                  since a mistyped analyzer would leave a camera unwatched
     */
    public CameraAnalyzer(List<Zone> zones, Set<String> analyzers) {
        this(zones, analyzers, null, ObjectStage.Params.defaults());
    }

    /**
     * @param detectors the node's shared detector pool, or null for the process's default one
     *                  (loaded on first use: the neural model, else HOG)
     */
    public CameraAnalyzer(List<Zone> zones, Set<String> analyzers, DetectorPool detectors, ObjectStage.Params stage) {
        this(zones, analyzers, detectors, stage, List.of());
    }

    /** @param models vendors' models that also look at this camera, each with its finding rules */
    public CameraAnalyzer(List<Zone> zones, Set<String> analyzers, DetectorPool detectors, ObjectStage.Params stage,
                          List<FrameAnalyzer> models) {
        this(zones, analyzers, detectors, stage, models, WORK_WIDTH);
    }

    /** @param workWidth width of the working copy ({@code video.work-width}) */
    public CameraAnalyzer(List<Zone> zones, Set<String> analyzers, DetectorPool detectors, ObjectStage.Params stage,
                          List<FrameAnalyzer> models, int workWidth) {
        this.workWidth = workWidth;
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
        this.analyzers.addAll(models);
        boolean needObjects = this.analyzers.stream().anyMatch(a -> a instanceof PeopleAnalyzer p && p.hasZones()
                || a instanceof IntrusionAnalyzer i && i.needsObjects());
        this.objects = needObjects ? new ObjectStage(detectors != null ? detectors : Detectors.shared(), stage) : null;
    }

    /** The detector and tracker stage, when an analyzer of this camera judges objects. */
    public java.util.Optional<ObjectStage> objects() { return java.util.Optional.ofNullable(objects); }

    public List<Zone> zones() { return zones; }

    public List<FrameAnalyzer> analyzers() { return List.copyOf(analyzers); }

    /** Runs every analyzer over one BGR picture taken at stream time {@code time} (seconds). */
    public List<Detection> analyze(Mat bgr, double time) {
        long t0 = cpuNanos();
        lastBgr = bgr;
        lastI420 = null;
        Mat work = bgr;
        if (bgr.cols() > workWidth) {
            // one INTER_AREA shrink shared by every analyzer of this camera
            resize(bgr, workBuffer, workSize(bgr.cols(), bgr.rows()), 0, 0, INTER_AREA);
            work = workBuffer;
        }
        cvtColor(work, grayBuffer, COLOR_BGR2GRAY);
        return run(() -> bgr, bgr.cols(), bgr.rows(), work, grayBuffer, time, t0);
    }

    /**
     * Runs every analyzer over one I420 picture ({@code height * 3 / 2} rows of {@code width} bytes:
     * Y, then U and V at half size, as the intake publishes streams) taken at stream time {@code time}.
     * The picture must stay unchanged until the next call ({@link #snapshot(Detection)} reads it).
     * The grey pictures come from the Y plane; colour is made only at the working size (chroma
     * scaled with the luma, one I420 to BGR conversion of a quarter of the pixels), and the full BGR
     * picture only when people detection or the evidence asks for it.
     */
    public List<Detection> analyzeI420(Mat i420, int width, int height, double time) {
        long t0 = cpuNanos();
        lastBgr = null;
        lastI420 = i420;
        fullBgrDone = false;
        Mat work;
        Mat gray;
        Size ws = width > workWidth ? workSize(width, height) : null;
        if (ws == null) {
            work = fullBgr();
            cvtColor(work, grayBuffer, COLOR_BGR2GRAY);
            gray = grayBuffer;
        } else if (ws.height() % 2 != 0) {
            // no I420 at an odd height: shrink the full BGR picture instead, as for a BGR frame
            resize(fullBgr(), workBuffer, ws, 0, 0, INTER_AREA);
            cvtColor(workBuffer, grayBuffer, COLOR_BGR2GRAY);
            work = workBuffer;
            gray = grayBuffer;
        } else {
            cvtColor(shrink.shrink(i420, width, height, ws.width(), ws.height()), workBuffer, COLOR_YUV2BGR_I420);
            work = workBuffer;
            gray = shrink.gray();
        }
        return run(this::fullBgr, width, height, work, gray, time, t0);
    }

    /** The full picture in BGR: the one given, or the I420 one converted (once per frame). */
    private Mat fullBgr() {
        if (lastBgr != null) {
            return lastBgr;
        }
        if (!fullBgrDone) {
            io.safegrid.picture.Pictures.i420ToBgr(lastI420, fullBgr);
            fullBgrDone = true;
        }
        return fullBgr;
    }

    private Size workSize(int width, int height) {
        workSize = scaled(workSize, width, height, workWidth);
        return workSize;
    }

    /** {@code cached} if it is {@code toWidth} wide at this picture's aspect, else a new size (the old one freed). */
    private static Size scaled(Size cached, int width, int height, int toWidth) {
        int h = Math.max(1, height * toWidth / width);
        if (cached != null && cached.width() == toWidth && cached.height() == h) {
            return cached;
        }
        if (cached != null) {
            cached.close();
        }
        return new Size(toWidth, h);
    }

    private List<Detection> run(java.util.function.Supplier<Mat> bgr, int width, int height, Mat work, Mat gray,
                                double time, long t0) {
        Mat motionGray = gray;
        if (gray.cols() > MOTION_WIDTH) {
            motionSize = scaled(motionSize, gray.cols(), gray.rows(), MOTION_WIDTH);
            resize(gray, motionBuffer, motionSize, 0, 0, INTER_AREA);
            motionGray = motionBuffer;
        }
        long t1 = cpuNanos();
        MotionGate.Result motion = gate.update(motionGray);
        long t2 = cpuNanos();
        stageNanos.merge("resize", t1 - t0, Long::sum);
        stageNanos.merge("gate", t2 - t1, Long::sum);
        List<Detection> out = new ArrayList<>();
        try (AnalysisFrame frame = new AnalysisFrame(bgr, width, height, work, gray, motionGray, hsvBuffer, time, motion,
                false)) {
            if (objects != null) {
                long s = cpuNanos();
                try {
                    frame.tracks(objects.update(frame), objects.minHits());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();   // shutting down: judge on the tracks as they stand
                }
                stageNanos.merge("detect", cpuNanos() - s, Long::sum);
            }
            for (FrameAnalyzer a : analyzers) {
                long s = cpuNanos();
                out.addAll(a.analyze(frame));
                stageNanos.merge(a.name(), cpuNanos() - s, Long::sum);
            }
        }
        return out;
    }

    /**
     * This thread's CPU time: the stage costs stay true when other processes share the cores. Only
     * when {@link #measureStages()} asked for it: a live camera does not pay for samples nobody reads.
     */
    private long cpuNanos() {
        return measureStages ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    /** Have each frame's stages timed in thread CPU time ({@link #stageNanos()}), for the eval and the benchmarks. */
    public CameraAnalyzer measureStages() {
        measureStages = true;
        return this;
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** Thread CPU nanoseconds spent so far per stage: "resize", "gate", then each analyzer by name; zeros unless {@link #measureStages()}. */
    public Map<String, Long> stageNanos() { return Map.copyOf(stageNanos); }

    /** The evidence picture for a detection on {@code bgr}. */
    public byte[] snapshot(Mat bgr, Detection d) {
        return Snapshots.render(bgr, zones, d);
    }

    /** The evidence picture for a detection on the last analysed picture (BGR or I420, converted if need be). */
    public byte[] snapshot(Detection d) {
        return Snapshots.render(fullBgr(), zones, d);
    }

    @Override
    public void close() {
        for (Mat m : new Mat[] {workBuffer, grayBuffer, hsvBuffer, motionBuffer, fullBgr}) {
            m.close();
        }
        shrink.close();
        for (Size z : new Size[] {workSize, motionSize}) {
            if (z != null) {
                z.close();
            }
        }
        gate.close();
        analyzers.forEach(FrameAnalyzer::close);
    }
}
