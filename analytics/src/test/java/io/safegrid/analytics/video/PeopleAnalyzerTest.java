package io.safegrid.analytics.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.bytedeco.opencv.global.opencv_imgproc.ellipse;
import static org.bytedeco.opencv.global.opencv_imgproc.line;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import io.safegrid.model.Level;
import io.safegrid.model.device.Point;
import io.safegrid.model.device.Zone;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HOG people detector on drawn figures (head, torso, arms, legs), judged per zone. */
class PeopleAnalyzerTest {
    static final Set<String> PEOPLE = Set.of("people", "tamper");

    @TempDir
    static Path dir;

    static Zone box(String name, ZonePurpose p, double x0, double x1, int maxPeople, double dwell) {
        return new Zone(name, p, List.of(new Point(x0, 0.2), new Point(x1, 0.2), new Point(x1, 1), new Point(x0, 1)),
                maxPeople, dwell);
    }

    /** A standing figure {@code h} pixels tall with its feet at (x, feet). */
    static void figure(Mat f, int x, int feet, int h) {
        Scalar c = new Scalar(40, 40, 40, 0);
        double u = h / 8.0;
        ellipse(f, pt(x, feet - 7.5 * u), new Size((int) (0.35 * u), (int) (0.5 * u)), 0, 0, 360, c, -1, 8, 0);
        rectangle(f, new Rect((int) (x - 0.9 * u), (int) (feet - 6.9 * u), (int) (1.8 * u), (int) (3 * u)), c, -1, 8, 0);
        line(f, pt(x - 0.9 * u, feet - 6.7 * u), pt(x - 1.2 * u, feet - 4 * u), c, (int) Math.max(1, 0.45 * u), 8, 0);
        line(f, pt(x + 0.9 * u, feet - 6.7 * u), pt(x + 1.2 * u, feet - 4 * u), c, (int) Math.max(1, 0.45 * u), 8, 0);
        line(f, pt(x - 0.5 * u, feet - 4 * u), pt(x - 0.8 * u, feet), c, (int) Math.max(1, 0.6 * u), 8, 0);
        line(f, pt(x + 0.5 * u, feet - 4 * u), pt(x + 0.8 * u, feet), c, (int) Math.max(1, 0.6 * u), 8, 0);
    }

    static org.bytedeco.opencv.opencv_core.Point pt(double x, double y) {
        return new org.bytedeco.opencv.opencv_core.Point((int) x, (int) y);
    }

    @Test
    void aPersonSteppingIntoTheDangerZone() throws Exception {
        Zone pit = box("pit", ZonePurpose.DANGER, 0.55, 0.95, 0, 1.0);
        // walks right from x=40; the feet enter the zone (x≥176) at about 3 s
        Path clip = SyntheticClip.write(dir, "danger", 7, (f, t) -> figure(f, (int) Math.min(240, 40 + 45 * t), 170, 80));
        List<Detection> ds = ClipRun.analyse(clip, List.of(pit), PEOPLE);
        assertThat(ds).extracting(Detection::kind, Detection::condition)
                .containsExactly(tuple(FindingKind.PERSON_IN_DANGER_ZONE, Condition.ACTIVE));
        assertThat(ds.get(0).time()).isBetween(3.0, 5.5);
        assertThat(ds.get(0).level()).isEqualTo(Level.ORANGE);
        assertThat(ds.get(0).zone().name()).isEqualTo("pit");
    }

    @Test
    void aPostLeftEmptyForItsDwellTime() throws Exception {
        Zone desk = box("desk", ZonePurpose.POST, 0.3, 0.7, 0, 3.0);
        // on duty until 3 s, then walks off to the left and out of the picture
        Path clip = SyntheticClip.write(dir, "post", 10, (f, t) -> {
            if (t < 3) {
                figure(f, 160, 170, 80);
            } else if (t < 5) {
                figure(f, (int) (160 - 90 * (t - 3)), 170, 80);
            }
        });
        List<Detection> ds = ClipRun.analyse(clip, List.of(desk), PEOPLE);
        assertThat(ds).extracting(Detection::kind, Detection::condition)
                .containsExactly(tuple(FindingKind.POST_UNATTENDED, Condition.ACTIVE));
        // gone from the post at about 3.5 s, plus 3 s dwell
        assertThat(ds.get(0).time()).isBetween(5.5, 8.0);
        assertThat(ds.get(0).level()).isEqualTo(Level.YELLOW);
    }

    @Test
    void threePeopleWhereTwoAreAllowedIsCrowding() throws Exception {
        Zone yard = new Zone("yard", ZonePurpose.CROWD,
                List.of(new Point(0, 0), new Point(1, 0), new Point(1, 1), new Point(0, 1)), 2, 2.0);
        Path clip = SyntheticClip.write(dir, "crowd", 8, (f, t) -> {
            figure(f, 60, 170, 80);
            figure(f, 150, 170, 80);
            if (t >= 3) {
                figure(f, (int) Math.min(250, 320 - 40 * (t - 3)), 170, 80);   // a third walks in from the right
            }
        });
        List<Detection> ds = ClipRun.analyse(clip, List.of(yard), PEOPLE);
        assertThat(ds).extracting(Detection::kind, Detection::condition)
                .containsExactly(tuple(FindingKind.CROWDING, Condition.ACTIVE));
        assertThat(ds.get(0).value()).isEqualTo(3);
        assertThat(ds.get(0).time()).isBetween(4.0, 7.5);
    }

    @Test
    void anEmptyYardHasNobodyInDanger() throws Exception {
        Zone pit = box("pit", ZonePurpose.DANGER, 0.0, 1.0, 0, 1.0);
        Path clip = SyntheticClip.write(dir, "empty", 5, (f, t) -> { });
        assertThat(ClipRun.analyse(clip, List.of(pit), PEOPLE)).isEmpty();
    }
}
