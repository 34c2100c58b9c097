package io.safegrid.analytics.video;

import io.safegrid.analytics.video.fire.FireAnalyzer;
import io.safegrid.analytics.video.intrusion.IntrusionAnalyzer;
import io.safegrid.analytics.video.people.PeopleAnalyzer;
import io.safegrid.analytics.video.smoke.SmokeAnalyzer;
import io.safegrid.analytics.video.tamper.TamperAnalyzer;
import io.safegrid.model.device.Zone;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Everything one camera's pictures go through, in one object: the shared motion gate, then each
 * configured analyzer. No bus and no clock: the node feeds it from the bus, the CLI from a file.
 * Not thread-safe; one thread per camera.
 */
public final class CameraAnalyzer implements AutoCloseable {
    /** Analyzer names, in the order they run. */
    public static final List<String> KNOWN = List.of("tamper", "intrusion", "people", "fire", "smoke");

    private final List<Zone> zones;
    private final MotionGate gate = new MotionGate();
    private final List<FrameAnalyzer> analyzers = new ArrayList<>();

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
        MotionGate.Result motion = gate.update(bgr);
        List<Detection> out = new ArrayList<>();
        try (AnalysisFrame frame = new AnalysisFrame(bgr, time, motion)) {
            for (FrameAnalyzer a : analyzers) {
                out.addAll(a.analyze(frame));
            }
        }
        return out;
    }

    /** The evidence picture for a detection on {@code bgr}. */
    public byte[] snapshot(Mat bgr, Detection d) {
        return Snapshots.render(bgr, zones, d);
    }

    @Override
    public void close() {
        gate.close();
        analyzers.forEach(FrameAnalyzer::close);
    }
}
