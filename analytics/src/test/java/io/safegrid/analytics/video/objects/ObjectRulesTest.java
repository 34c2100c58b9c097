package io.safegrid.analytics.video.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.safegrid.analytics.video.AnalysisFrame;
import io.safegrid.analytics.video.Box;
import io.safegrid.analytics.video.Detection;
import io.safegrid.analytics.video.MotionGate;
import io.safegrid.analytics.video.ObjectStage;
import io.safegrid.analytics.video.detect.DetectorPool;
import io.safegrid.analytics.video.detect.ObjectDetector;
import io.safegrid.analytics.video.detect.Sighting;
import io.safegrid.analytics.video.track.IouTracker;
import io.safegrid.config.VideoConfig;
import io.safegrid.model.Level;
import io.safegrid.model.device.Point;
import io.safegrid.model.device.Zone;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** A vendor's helmet model's sightings become findings only where and for as long as the rules say. */
class ObjectRulesTest {
    /** Sees a worker without a helmet at {@code box} while {@code time} is in [from, to). */
    static final class Scripted implements ObjectDetector {
        double time;
        final Box box;
        final double from;
        final double to;

        Scripted(Box box, double from, double to) {
            this.box = box;
            this.from = from;
            this.to = to;
        }

        @Override
        public String name() { return "scripted"; }

        @Override
        public List<Sighting> detect(Mat bgr) {
            List<Sighting> s = new ArrayList<>(List.of(new Sighting(new Box(500, 100, 40, 90), "helmet", 0.9f)));
            if (time >= from && time < to) {
                s.add(new Sighting(box, "no-helmet", 0.8f));
            }
            return s;
        }

        @Override
        public void close() { }
    }

    static final Zone GATE = new Zone("gate", ZonePurpose.PPE,
            List.of(new Point(0, 0), new Point(0.5, 0), new Point(0.5, 1), new Point(0, 1)), 0, 0);
    static final VideoConfig.Raise NO_HELMET = new VideoConfig.Raise("no-helmet", FindingKind.PPE_MISSING, Level.ORANGE,
            ZonePurpose.PPE, Duration.ofSeconds(1));

    static List<Detection> run(Scripted d, double seconds) {
        ObjectStage.Params every = new ObjectStage.Params(0.1, 0.5, 128, IouTracker.Params.defaults());
        List<Detection> out = new ArrayList<>();
        try (DetectorPool pool = DetectorPool.of(d);
             ObjectRules rules = new ObjectRules("helmets", pool, List.of(NO_HELMET), List.of(GATE), every);
             Mat picture = new Mat(360, 640, CV_8UC3)) {
            for (double t = 0; t < seconds; t += 0.2) {
                d.time = t;
                try (AnalysisFrame f = new AnalysisFrame(picture, t, MotionGate.Result.NONE)) {
                    out.addAll(rules.analyze(f));
                }
            }
        }
        return out;
    }

    @Test
    void noHelmetInThePpeZoneIsAFindingAfterItsDwellAndClearsWhenGone() {
        List<Detection> ds = run(new Scripted(new Box(100, 100, 40, 90), 1.0, 4.0), 10);
        assertThat(ds).extracting(Detection::kind, Detection::condition, Detection::level)
                .containsExactly(tuple(FindingKind.PPE_MISSING, Condition.ACTIVE, Level.ORANGE),
                        tuple(FindingKind.PPE_MISSING, Condition.CLEARED, Level.ORANGE));
        assertThat(ds.get(0).time()).isBetween(1.9, 2.5);
        assertThat(ds.get(0).zone().name()).isEqualTo("gate");
        assertThat(ds.get(0).box()).isEqualTo(new Box(100, 100, 40, 90));
        // gone at 4 s; the track coasts 3 passes, then 3 s to clear
        assertThat(ds.get(1).time()).isBetween(6.5, 8.0);
    }

    @Test
    void outsideTheZoneOrTooBrieflyIsNothing() {
        assertThat(run(new Scripted(new Box(400, 100, 40, 90), 1.0, 6.0), 8)).isEmpty();
        assertThat(run(new Scripted(new Box(100, 100, 40, 90), 1.0, 1.5), 8)).isEmpty();
    }
}
