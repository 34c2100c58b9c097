package io.safegrid.analytics.video.intrusion;

import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;
import static org.bytedeco.opencv.global.opencv_video.createBackgroundSubtractorMOG2;

import io.safegrid.analytics.video.AnalysisFrame;
import io.safegrid.analytics.video.Blobs;
import io.safegrid.analytics.video.Box;
import io.safegrid.analytics.video.Debounce;
import io.safegrid.analytics.video.Detection;
import io.safegrid.analytics.video.FrameAnalyzer;
import io.safegrid.analytics.video.track.Track;
import io.safegrid.model.Level;
import io.safegrid.model.device.Zone;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_video.BackgroundSubtractorMOG2;

/**
 * Somebody (by default a person the detector found and the tracker follows; a zone may name
 * another class, such as a vehicle) entered a restricted zone and stayed there for the zone's
 * dwell time. A swaying tree or a shadow is no finding: it is not a person. A zone with
 * {@code object: motion} counts anything that moves instead, seen by a background model (MOG2) of the grey motion picture: a person differs from the ground in
 * brightness far more often than in hue alone, and at 160 px wide the model costs about a third
 * of what it would on a 320-wide colour copy (0.11 against 0.34 ms a picture). Frames with no
 * motion skip the background model (it is refreshed every few frames so lighting can drift),
 * unless something is already being tracked: a person who stops inside must not vanish.
 */
public final class IntrusionAnalyzer implements FrameAnalyzer {

    /**
     * @param minArea        smallest object, as a share of the picture (0.003 ≈ a person far away at 640x360)
     * @param defaultDwell   seconds inside before it counts, when the zone sets none
     * @param clearAfter     seconds with nobody inside before the finding clears
     * @param warmupFrames   frames the background model learns before judging
     * @param refreshEvery   frames between background updates while nothing moves
     * @param learningRate   background learning rate after warm-up (0.002: a still object fades in ~10 s at 5 fps)
     * @param trackingLearningRate the rate while something is in a zone (0.0002: a person standing still
     *                       stays detected for ~100 s; a ghost left by something that moved away clears as late)
     */
    public record Params(double minArea, double defaultDwell, double clearAfter, int warmupFrames, int refreshEvery,
                         double learningRate, double trackingLearningRate) {
        public static Params defaults() { return new Params(0.003, 1.0, 3.0, 10, 5, 0.002, 0.0002); }
    }

    private final Params params;
    private final List<Zone> zones;
    private final List<Debounce> states = new ArrayList<>();
    private final List<Box> lastBoxes = new ArrayList<>();
    private final BackgroundSubtractorMOG2 mog2 = createBackgroundSubtractorMOG2(150, 25, false);
    private final Mat kernel = getStructuringElement(MORPH_RECT, new Size(3, 3));
    /** The foreground mask, reused frame to frame. */
    private final Mat fg = new Mat();
    private long frames;
    private final boolean motionZones;

    /** Whether any zone asks for detected objects (the detector must run for this camera). */
    public boolean needsObjects() { return zones.stream().anyMatch(z -> !z.motionOnly()); }

    public IntrusionAnalyzer(List<Zone> cameraZones, Params params) {
        this.params = params;
        this.zones = cameraZones.stream().filter(z -> z.purpose() == ZonePurpose.RESTRICTED).toList();
        for (Zone z : zones) {
            states.add(new Debounce(z.dwellSeconds() > 0 ? z.dwellSeconds() : params.defaultDwell(), params.clearAfter()));
            lastBoxes.add(null);
        }
        this.motionZones = zones.stream().anyMatch(Zone::motionOnly);
    }

    @Override
    public String name() { return "intrusion"; }

    @Override
    public List<Detection> analyze(AnalysisFrame frame) {
        if (zones.isEmpty()) {
            return List.of();
        }
        List<Box> objects = motionZones ? movingObjects(frame) : List.of();
        List<Detection> out = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            Zone zone = zones.get(i);
            Box hit = null;
            double share;
            if (zone.motionOnly()) {
                for (Box b : objects) {
                    if (Blobs.inZone(b, zone, frame.motionWidth(), frame.motionHeight())) {
                        hit = hit == null ? b : hit.union(b);
                    }
                }
                share = hit == null ? 0 : hit.area() / (double) frame.motionArea();
                hit = frame.toFull(hit, frame.motionWidth(), frame.motionHeight());   // found on the motion picture, shown on the full one
            } else {
                for (Track t : frame.objects(zone.object())) {
                    if (Blobs.inZone(t.box(), zone, frame.width(), frame.height())) {
                        hit = hit == null ? t.box() : hit.union(t.box());
                    }
                }
                share = hit == null ? 0 : hit.area() / (double) frame.area();
            }
            if (hit != null) {
                lastBoxes.set(i, hit);
            }
            double dwell = zone.dwellSeconds() > 0 ? zone.dwellSeconds() : params.defaultDwell();
            String what = Detection.object(zone.motionOnly() ? "object" : zone.object());
            switch (states.get(i).update(hit != null, frame.time())) {
                case STARTED -> out.add(Detection.said(FindingKind.INTRUSION, Level.ORANGE, Condition.ACTIVE, zone, hit,
                        share, dwell, frame.time(), "video.intrusion", java.util.Map.of("object", what, "zone", zone.name(),
                                "dwell", io.safegrid.model.text.Texts.number(dwell))));
                case ENDED -> out.add(Detection.said(FindingKind.INTRUSION, Level.ORANGE, Condition.CLEARED, zone,
                        lastBoxes.get(i), 0, dwell, frame.time(), "video.intrusion.clear", java.util.Map.of("zone", zone.name())));
                case NONE -> { }
            }
        }
        return out;
    }

    /** Moving things on the motion picture, for the zones that count anything that moves. */
    private List<Box> movingObjects(AnalysisFrame frame) {
        frames++;
        boolean tracking = false;
        for (int i = 0; i < zones.size(); i++) {
            tracking |= zones.get(i).motionOnly() && states.get(i).busy();
        }
        boolean look = frame.motion().moving() || tracking;
        List<Box> objects = List.of();
        if (look || frames <= params.warmupFrames() || frames % params.refreshEvery() == 0) {
            // MOG2 takes anything seen for ~10 % of its history as background: while something is
            // tracked, learn ten times slower, or somebody standing still inside fades out in ~10 s
            double rate = frames <= params.warmupFrames() ? -1
                    : tracking ? params.trackingLearningRate() : params.learningRate();
            mog2.apply(frame.motionGray(), fg, rate);
            if (look && frames > params.warmupFrames()) {
                threshold(fg, fg, 200, 255, THRESH_BINARY);
                morphologyEx(fg, fg, MORPH_OPEN, kernel);
                dilate(fg, fg, kernel);
                // a global change (lens covered, lights off) is tampering, not an intruder
                if (countNonZero(fg) < frame.motionArea() * 0.5) {
                    objects = Blobs.find(fg, params.minArea() * frame.motionArea());
                }
            }
        }
        return objects;
    }

    @Override
    public void close() {
        mog2.close();
        kernel.close();
        fg.close();
    }
}
