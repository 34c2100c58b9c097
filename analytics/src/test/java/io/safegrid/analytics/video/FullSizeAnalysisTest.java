package io.safegrid.analytics.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import io.safegrid.model.device.Zone;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyzer clips analysed at 640x360, the configured default: the cheap analyzers work on a
 * 320-wide copy and people detection on crops of the full picture, so each must fire at the same
 * moment as at 320x180, with its box in full-picture pixels, and the quiet clips stay quiet.
 */
class FullSizeAnalysisTest {
    static final int WIDTH = 640;

    @TempDir
    static Path dir;

    @Test
    void intrusionFiresOnTimeWithItsBoxOnTheFullPicture() throws Exception {
        Path clip = SyntheticClip.write(dir, "walk-in", 9,
                (f, t) -> VideoAnalyzersTest.person(f, (int) Math.min(230, 60 + 30 * t), 160));
        List<Detection> ds = ClipRun.analyse(clip, List.of(VideoAnalyzersTest.GATE), VideoAnalyzersTest.ALL, WIDTH);

        assertThat(ds).extracting(Detection::kind).containsExactly(FindingKind.INTRUSION);
        assertThat(ds.get(0).time()).isBetween(4.5, 6.5);
        // the walker stops at x=230 of 320: about 460 of 640, feet at 160 of 180 → 320 of 360
        assertThat(ds.get(0).box().centreX()).isBetween(340.0, 500.0);
        assertThat(ds.get(0).box().bottomY()).isBetween(290.0, 360.0);
    }

    @Test
    void fireFiresAndAStaticRedObjectAndTheQuietSceneDoNot() throws Exception {
        Path flame = VideoAnalyzersTest.flameClip(dir);
        List<Detection> ds = ClipRun.analyse(flame, List.of(), VideoAnalyzersTest.ALL, WIDTH);
        assertThat(ds).extracting(Detection::kind).containsOnly(FindingKind.FIRE);
        assertThat(ds.get(0).time()).isBetween(3.5, 6.5);
        assertThat(ds.get(0).box().centreX()).isBetween(160.0, 240.0);

        Path red = SyntheticClip.write(dir, "red-object", 8, (f, t) -> {
            rectangle(f, new Rect(90, 100, 30, 40), new Scalar(20, 30, 230, 0), -1, 8, 0);
            rectangle(f, new Rect(200, 60, 40, 20), new Scalar(0, 120, 255, 0), -1, 8, 0);
        });
        assertThat(ClipRun.analyse(red, List.of(), VideoAnalyzersTest.ALL, WIDTH)).isEmpty();

        Path quiet = SyntheticClip.write(dir, "quiet", 10, (f, t) -> { });
        assertThat(ClipRun.analyse(quiet, List.of(VideoAnalyzersTest.GATE), VideoAnalyzersTest.ALL, WIDTH)).isEmpty();
    }

    @Test
    void aCoveredLensIsTamperingUntilUncovered() throws Exception {
        Path clip = SyntheticClip.write(dir, "covered", 12, (f, t) -> {
            if (t >= 3 && t < 8) {
                rectangle(f, new Rect(0, 0, f.cols(), f.rows()), new Scalar(12, 12, 12, 0), -1, 8, 0);
            }
        });
        List<Detection> ds = ClipRun.analyse(clip, List.of(VideoAnalyzersTest.GATE), VideoAnalyzersTest.ALL, WIDTH);
        assertThat(ds).extracting(Detection::kind, Detection::condition)
                .containsExactly(tuple(FindingKind.TAMPER_COVERED, Condition.ACTIVE),
                        tuple(FindingKind.TAMPER_COVERED, Condition.CLEARED));
        assertThat(ds.get(0).time()).isBetween(5.5, 7.5);
    }

    @Test
    void peopleAreFoundInCropsOfTheFullPicture() throws Exception {
        Zone pit = PeopleAnalyzerTest.box("pit", ZonePurpose.DANGER, 0.55, 0.95, 0, 1.0);
        Path clip = SyntheticClip.write(dir, "danger", 7,
                (f, t) -> PeopleAnalyzerTest.figure(f, (int) Math.min(240, 40 + 45 * t), 170, 80));
        List<Detection> ds;
        try (CameraAnalyzer analyzer = new CameraAnalyzer(List.of(pit), PeopleAnalyzerTest.PEOPLE, ClipRun.HOG,
                ObjectStage.Params.defaults())) {
            ds = ClipRun.analyse(clip, analyzer, WIDTH);
            ObjectStage stage = analyzer.objects().orElseThrow();
            // one walker in 640x360: the detector looked around them, and at the whole picture only
            // at the start and at the keep-alive rate (every 2 s of 7)
            assertThat(stage.cropRuns()).isGreaterThan(10);
            assertThat(stage.wholeRuns()).isLessThanOrEqualTo(4);
        }
        assertThat(ds).extracting(Detection::kind, Detection::condition)
                .containsExactly(tuple(FindingKind.PERSON_IN_DANGER_ZONE, Condition.ACTIVE));
        assertThat(ds.get(0).time()).isBetween(3.0, 5.5);
        assertThat(ds.get(0).box().centreX()).isBetween(0.55 * WIDTH, 0.95 * WIDTH);
    }

    @Test
    void aCrowdIsCountedWhenOnlyTheNewcomerMoves() throws Exception {
        Zone yard = new Zone("yard", ZonePurpose.CROWD, List.of(new io.safegrid.model.device.Point(0, 0),
                new io.safegrid.model.device.Point(1, 0), new io.safegrid.model.device.Point(1, 1),
                new io.safegrid.model.device.Point(0, 1)), 2, 2.0);
        Path clip = SyntheticClip.write(dir, "crowd", 8, (f, t) -> {
            PeopleAnalyzerTest.figure(f, 60, 170, 80);
            PeopleAnalyzerTest.figure(f, 150, 170, 80);
            if (t >= 3) {
                PeopleAnalyzerTest.figure(f, (int) Math.min(250, 320 - 40 * (t - 3)), 170, 80);
            }
        });
        List<Detection> ds = ClipRun.analyse(clip, List.of(yard), PeopleAnalyzerTest.PEOPLE, WIDTH);
        assertThat(ds).extracting(Detection::kind, Detection::condition)
                .containsExactly(tuple(FindingKind.CROWDING, Condition.ACTIVE));
        assertThat(ds.get(0).value()).isEqualTo(3);
        assertThat(ds.get(0).time()).isBetween(4.0, 7.5);
    }
}
