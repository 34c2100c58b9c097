package io.safegrid.analytics.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.safegrid.analytics.video.detect.Detectors;
import io.safegrid.model.device.Point;
import io.safegrid.model.device.Zone;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Intrusion on real recordings, through the camera pipeline as the node runs it (I420 at
 * 640x360, 5 fps, NanoDet): people walking into a restricted zone are an intrusion; flames and
 * smoke moving in one, with nobody there, are not — unless the zone says anything moving counts.
 */
class RealIntrusionTest {
    static Zone zone(String object) {
        return new Zone("restricted", ZonePurpose.RESTRICTED,
                List.of(new Point(0.1, 0.1), new Point(0.9, 0.1), new Point(0.9, 0.95), new Point(0.1, 0.95)), 0, 1.0, object);
    }

    @BeforeAll
    static void model() {
        assumeTrue(Detectors.shared().fallbackReason().isEmpty(), "no NanoDet model in this build");
    }

    static List<Detection> run(String clip, Zone zone) throws Exception {
        try (CameraAnalyzer a = new CameraAnalyzer(List.of(zone), Set.of("intrusion"), null, ObjectStage.Params.defaults())) {
            return ClipRun.analyse(Footage.clip(clip), a, 640);
        }
    }

    @Test
    void peopleWalkingInARestrictedStreetAreAnIntrusionWithinTwoSeconds() throws Exception {
        List<Detection> ds = run("people_street_walking_elevated.mp4", zone(Zone.PERSON));
        assertThat(ds).isNotEmpty();
        assertThat(ds.get(0).kind()).isEqualTo(FindingKind.INTRUSION);
        assertThat(ds.get(0).condition()).isEqualTo(Condition.ACTIVE);
        assertThat(ds.get(0).time()).isLessThanOrEqualTo(2.0);
        assertThat(ds.get(0).message()).startsWith("person in restricted zone");
    }

    @Test
    void movingFlamesAndSmokeWithNobodyThereAreNoIntrusion() throws Exception {
        for (String clip : List.of("fire_house_black_smoke.mp4", "smoke_industrial_fire_aerial.mp4", "smoke_distant_plume_aerial.mp4")) {
            assertThat(run(clip, zone(Zone.PERSON))).as(clip).isEmpty();
        }
    }

    @Test
    void aZoneWhereAnythingMovingCountsStillFiresOnTheSmoke() throws Exception {
        // the option for zones where any movement matters: the same clip, the same zone, object: motion
        assertThat(run("fire_house_black_smoke.mp4", zone(Zone.MOTION))).extracting(Detection::kind).contains(FindingKind.INTRUSION);
    }
}
