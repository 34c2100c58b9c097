package io.safegrid.analytics.video;

import static io.safegrid.analytics.video.SyntheticClip.H;
import static io.safegrid.analytics.video.SyntheticClip.W;
import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.ellipse;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import io.safegrid.model.Level;
import io.safegrid.model.device.Point;
import io.safegrid.model.device.Zone;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every analyzer on a clip made for it: it must fire at the right moment, and the others (and it,
 * on the clips without its condition) must stay quiet. Clips are 320x180 H.264, analysed at 5 fps.
 */
class VideoAnalyzersTest {
    static final Set<String> ALL = Set.of("tamper", "intrusion", "fire", "smoke");
    /** A restricted zone where anything that moves counts (the drawn figures are no detector's person). */
    static final Zone GATE = new Zone("gate", ZonePurpose.RESTRICTED,
            List.of(new Point(0.55, 0.3), new Point(0.95, 0.3), new Point(0.95, 0.98), new Point(0.55, 0.98)), 0, 1.0,
            Zone.MOTION);
    /** The same zone as configured by default: only a person counts. */
    static final Zone PERSON_GATE = new Zone("gate", ZonePurpose.RESTRICTED, GATE.polygon(), 0, 1.0);

    @TempDir
    static Path dir;

    @BeforeAll
    static void loadNatives() {
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
    }

    /** A dark, person-sized figure (body and head) with its feet at x,y. */
    static void person(Mat f, int x, int feetY) {
        rectangle(f, new Rect(x - 8, feetY - 40, 16, 40), new Scalar(40, 35, 30, 0), -1, 8, 0);
        circle(f, new org.bytedeco.opencv.opencv_core.Point(x, feetY - 46), 7, new Scalar(60, 80, 120, 0), -1, 8, 0);
    }

    /** 9 s at 320x180: from 3 s a flame tongue that changes height and sways every frame, growing over time. */
    static Path flameClip(Path dir) throws Exception {
        Random rnd = new Random(3);
        return SyntheticClip.write(dir, "flame", 9, (f, t) -> {
            if (t >= 3) {
                int h = 14 + rnd.nextInt(12) + (int) ((t - 3) * 4);
                int w = 10 + rnd.nextInt(6);
                org.bytedeco.opencv.opencv_core.Point c = new org.bytedeco.opencv.opencv_core.Point(100 + rnd.nextInt(5) - 2, 140 - h / 2);
                ellipse(f, c, new Size(w, h / 2), 0, 0, 360, new Scalar(0, 140, 255, 0), -1, 8, 0);
                ellipse(f, c, new Size(w / 2, h / 3), 0, 0, 360, new Scalar(80, 220, 255, 0), -1, 8, 0);
            }
        });
    }

    @Test
    void somebodyWalkingIntoTheRestrictedZoneIsAnIntrusion() throws Exception {
        // walks right at 30 px/s from x=60: the feet cross x=0.55*320=176 at t≈3.9 s, then stops at x=230
        Path clip = SyntheticClip.write(dir, "walk-in", 9, (f, t) -> person(f, (int) Math.min(230, 60 + 30 * t), 160));
        List<Detection> ds = ClipRun.analyse(clip, List.of(GATE), ALL);

        assertThat(ds).extracting(Detection::kind).containsExactly(FindingKind.INTRUSION);
        Detection d = ds.get(0);
        assertThat(d.condition()).isEqualTo(Condition.ACTIVE);
        assertThat(d.level()).isEqualTo(Level.ORANGE);
        assertThat(d.zone().name()).isEqualTo("gate");
        assertThat(d.time()).isBetween(4.5, 6.5);
        assertThat(d.box().centreX()).isBetween(170.0, 250.0);
    }

    @Test
    void aMovingShapeThatIsNoPersonIsNoIntrusionWhereAPersonIsRequired() throws Exception {
        // the same walk-in, a block the size of a person: anything moving would fire, a person zone must not
        Path clip = SyntheticClip.write(dir, "block-in", 9, (f, t) -> person(f, (int) Math.min(230, 60 + 30 * t), 160));
        assertThat(ClipRun.analyse(clip, List.of(GATE), ALL)).extracting(Detection::kind).containsExactly(FindingKind.INTRUSION);
        assertThat(ClipRun.analyse(clip, List.of(PERSON_GATE), ALL)).isEmpty();
    }

    @Test
    void somebodyWalkingOutsideTheZoneAndLeavingIsQuietThenCleared() throws Exception {
        // walks along the left part only: never in the gate zone
        Path outside = SyntheticClip.write(dir, "walk-outside", 8, (f, t) -> person(f, (int) (20 + 15 * t), 150));
        assertThat(ClipRun.analyse(outside, List.of(GATE), ALL)).isEmpty();

        // steps into the zone at 2 s, leaves at 6 s: ACTIVE then CLEARED
        Path inOut = SyntheticClip.write(dir, "in-and-out", 12, (f, t) -> {
            if (t >= 2 && t < 6) {
                person(f, 200, 160);
            }
        });
        List<Detection> ds = ClipRun.analyse(inOut, List.of(GATE), ALL);
        assertThat(ds).extracting(Detection::kind, Detection::condition)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(FindingKind.INTRUSION, Condition.ACTIVE),
                        org.assertj.core.groups.Tuple.tuple(FindingKind.INTRUSION, Condition.CLEARED));
        assertThat(ds.get(1).time()).isBetween(6.0, 11.0);
    }

    @Test
    void aFlickeringOrangeFlameIsFireAndAStaticRedObjectIsNot() throws Exception {
        Path flame = flameClip(dir);
        List<Detection> ds = ClipRun.analyse(flame, List.of(), ALL);
        assertThat(ds).isNotEmpty();
        assertThat(ds).extracting(Detection::kind).containsOnly(FindingKind.FIRE);
        assertThat(ds.get(0).condition()).isEqualTo(Condition.ACTIVE);
        assertThat(ds.get(0).level()).isIn(Level.ORANGE, Level.RED);
        assertThat(ds.get(0).time()).isBetween(3.5, 6.5);
        assertThat(ds.get(0).box().centreX()).isBetween(80.0, 120.0);

        Path red = SyntheticClip.write(dir, "red-object", 8, (f, t) -> {
            rectangle(f, new Rect(90, 100, 30, 40), new Scalar(20, 30, 230, 0), -1, 8, 0);      // extinguisher
            rectangle(f, new Rect(200, 60, 40, 20), new Scalar(0, 120, 255, 0), -1, 8, 0);      // orange sign
        });
        assertThat(ClipRun.analyse(red, List.of(), ALL)).isEmpty();
    }

    @Test
    void aDimOrangeFlickerWithoutABrightCoreIsNotFire() throws Exception {
        // a warm lamp glowing through a swaying curtain, or a flame's reflection on a wall: flame
        // colour that flickers like one, but lit like the scene (value ~175), with no core near saturation
        Random rnd = new Random(5);
        Path clip = SyntheticClip.write(dir, "warm-glow", 9, (f, t) -> {
            if (t >= 2) {
                int h = 18 + rnd.nextInt(14);
                int w = 10 + rnd.nextInt(8);
                org.bytedeco.opencv.opencv_core.Point c = new org.bytedeco.opencv.opencv_core.Point(100 + rnd.nextInt(5) - 2, 140 - h / 2);
                ellipse(f, c, new Size(w, h / 2), 0, 0, 360, new Scalar(10, 70, 175, 0), -1, 8, 0);
            }
        });
        assertThat(ClipRun.analyse(clip, List.of(), ALL)).isEmpty();
    }

    @Test
    void aWorkerInAnOrangeJacketWalkingByIsNotFire() throws Exception {
        Path clip = SyntheticClip.write(dir, "hi-vis", 8, (f, t) -> {
            int x = (int) (20 + 30 * t);
            rectangle(f, new Rect(x - 8, 115, 16, 25), new Scalar(50, 45, 40, 0), -1, 8, 0);
            rectangle(f, new Rect(x - 9, 90, 18, 26), new Scalar(30, 110, 230, 0), -1, 8, 0);   // hi-vis vest
        });
        assertThat(ClipRun.analyse(clip, List.of(), ALL)).isEmpty();
    }

    @Test
    void aCoveredLensIsTamperingUntilUncovered() throws Exception {
        Path clip = SyntheticClip.write(dir, "covered", 12, (f, t) -> {
            if (t >= 3 && t < 8) {
                f.put(new Mat(f.rows(), f.cols(), f.type(), new Scalar(12, 12, 12, 0)));
            }
        });
        List<Detection> ds = ClipRun.analyse(clip, List.of(GATE), ALL);
        assertThat(ds).extracting(Detection::kind, Detection::condition)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(FindingKind.TAMPER_COVERED, Condition.ACTIVE),
                        org.assertj.core.groups.Tuple.tuple(FindingKind.TAMPER_COVERED, Condition.CLEARED));
        assertThat(ds.get(0).time()).isBetween(5.5, 7.5);
        assertThat(ds.get(0).level()).isEqualTo(Level.YELLOW);
        assertThat(ds.get(1).time()).isBetween(9.5, 11.5);
    }

    /**
     * Tamper looks for covered, defocused and moved less often while the view is healthy: whenever
     * the lens is covered relative to those looks, the finding must still come at most 1 s (plus
     * the 3 s dwell) after the picture went dark.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(doubles = {3.0, 3.2, 3.4, 3.6, 3.8, 4.0})
    void aCoveredLensIsReportedWithinOneSecondPlusItsDwell(double coveredAt) throws Exception {
        Path clip = SyntheticClip.write(dir, "covered-at-" + coveredAt, coveredAt + 6, (f, t) -> {
            // a flag waving in the wind: the picture changes on every frame, so nothing looks frozen and
            // tamper keeps to its healthy pace until the lens is covered
            int x = (int) (60 + 40 * Math.sin(2 * t));
            rectangle(f, new Rect(x, 100, 12, 12), new Scalar(200, 60, 20, 0), -1, 8, 0);
            if (t >= coveredAt - 1e-9) {
                // a cloth over the lens: dark, but the sensor's noise still changes every frame, so it
                // does not look frozen either
                try (Mat lo = new Mat(1, 1, org.bytedeco.opencv.global.opencv_core.CV_64F, new Scalar(0));
                     Mat hi = new Mat(1, 1, org.bytedeco.opencv.global.opencv_core.CV_64F, new Scalar(40))) {
                    org.bytedeco.opencv.global.opencv_core.randu(f, lo, hi);
                }
            }
        });
        double start = firstTimestamp(clip) + coveredAt;   // the condition's start in the decoder's clock
        List<Detection> ds = ClipRun.analyse(clip, List.of(), ALL);
        assertThat(ds).extracting(Detection::kind, Detection::condition)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(FindingKind.TAMPER_COVERED, Condition.ACTIVE));
        assertThat(ds.get(0).time() - start).as("seconds from covering to the finding").isBetween(3.0, 4.0 + 1e-6);
    }

    static double firstTimestamp(Path clip) throws Exception {
        try (org.bytedeco.javacv.FFmpegFrameGrabber g = new org.bytedeco.javacv.FFmpegFrameGrabber(clip.toFile())) {
            g.start();
            double t = g.grabImage().timestamp / 1e6;
            g.stop();
            return t;
        }
    }

    @Test
    void aDefocusedLensIsBlur() throws Exception {
        Path clip = SyntheticClip.write(dir, "defocus", 8, (f, t) -> {
            if (t >= 3) {
                GaussianBlur(f, f, new Size(15, 15), 0);
            }
        });
        List<Detection> ds = ClipRun.analyse(clip, List.of(GATE), ALL);
        assertThat(ds).extracting(Detection::kind).containsExactly(FindingKind.TAMPER_BLUR);
        assertThat(ds.get(0).time()).isBetween(5.5, 7.5);
    }

    @Test
    void aFrozenPictureIsFrozen() throws Exception {
        Mat[] held = new Mat[1];
        Path clip = SyntheticClip.write(dir, "frozen", 11, (f, t) -> {
            if (t >= 3) {
                if (held[0] == null) {
                    held[0] = f.clone();
                }
                held[0].copyTo(f);   // the same picture over and over, noise and all
            }
        });
        List<Detection> ds = ClipRun.analyse(clip, List.of(GATE), ALL);
        assertThat(ds).extracting(Detection::kind).containsExactly(FindingKind.TAMPER_FROZEN);
        // the clock ticks once a second, so the picture is seen still from its last tick
        assertThat(ds.get(0).time()).isBetween(7.5, 10.5);
    }

    @Test
    void aCameraTurnedAwayHasMoved() throws Exception {
        Path clip = SyntheticClip.write(dir, "moved", 8, (f, t) -> {
            if (t >= 3) {
                // pan 60 px right and tilt 25 px down: the scene slides
                try (Mat m = new Mat(2, 3, org.bytedeco.opencv.global.opencv_core.CV_64F);
                     Mat out = new Mat()) {
                    m.data().put(toBytes(new double[] {1, 0, -60, 0, 1, -25}));
                    warpAffine(f, out, m, f.size(), org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR,
                            org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT, new Scalar());
                    out.copyTo(f);
                }
            }
        });
        List<Detection> ds = ClipRun.analyse(clip, List.of(), ALL);
        assertThat(ds).extracting(Detection::kind).containsExactly(FindingKind.TAMPER_MOVED);
        assertThat(ds.get(0).time()).isBetween(5.5, 7.5);
    }

    @Test
    void spreadingGreySmokeIsSmoke() throws Exception {
        Path clip = SyntheticClip.write(dir, "smoke", 10, (f, t) -> {
            if (t >= 3) {
                // a soft grey plume rising from (90,150), widening as it goes
                int r = (int) (8 + 9 * (t - 3));
                try (Mat plume = f.clone()) {
                    ellipse(plume, new org.bytedeco.opencv.opencv_core.Point(90, 150 - r / 2), new Size(r, (int) (r * 1.3)),
                            0, 0, 360, new Scalar(185, 185, 185, 0), -1, 8, 0);
                    // semi-transparent: the ground shows through; outside the plume the blend is the picture itself
                    org.bytedeco.opencv.global.opencv_core.addWeighted(plume, 0.7, f, 0.3, 0, f);
                }
            }
        });
        List<Detection> ds = ClipRun.analyse(clip, List.of(GATE), ALL);
        assertThat(ds).extracting(Detection::kind).containsExactly(FindingKind.SMOKE);
        assertThat(ds.get(0).time()).isBetween(4.5, 8.0);
        assertThat(ds.get(0).box().centreX()).isBetween(40.0, 140.0);
    }

    @Test
    void aQuietSceneRaisesNothing() throws Exception {
        Path clip = SyntheticClip.write(dir, "quiet", 10, (f, t) -> { });
        assertThat(ClipRun.analyse(clip, List.of(GATE), ALL)).isEmpty();
    }

    static byte[] toBytes(double[] d) {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(d.length * 8).order(java.nio.ByteOrder.nativeOrder());
        bb.asDoubleBuffer().put(d);
        return bb.array();
    }
}
