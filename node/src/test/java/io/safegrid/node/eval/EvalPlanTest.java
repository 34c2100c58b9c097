package io.safegrid.node.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.safegrid.analytics.video.Detection;
import io.safegrid.model.Level;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.FindingKind;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The evaluation file and the scoring, without footage. */
class EvalPlanTest {

    @Test
    void theBuiltInPlanCountsPeopleOnEveryClipAndHoldsHogToNothing() throws Exception {
        EvalPlan plan = EvalPlan.loadDefault();
        assertThat(plan.fps()).isEqualTo(5);
        assertThat(plan.analyzers()).containsExactly("intrusion", "people", "fire", "smoke", "tamper");
        assertThat(plan.clips()).hasSize(7).allSatisfy(c -> {
            assertThat(c.counted()).isNotNull();
            assertThat(c.counted().purpose()).isEqualTo(ZonePurpose.CROWD);
        });
        assertThat(plan.kinds().get("smoke").notEnforced()).contains("smoke_distant_plume_aerial.mp4");
        assertThat(plan.kinds().get("fire").notEnforced()).doesNotContain("fire_dollhouse_outdoor_cc0.mp4",
                "fire_house_black_smoke.mp4");
        assertThat(plan.people().enforcedFor("hog")).isFalse();
        assertThat(plan.people().enforcedFor("nanodet-m")).isTrue();
        assertThat(plan.people().enforcedFor("nanodet-int8")).isTrue();
        // crowding is held on the close-range crew as on the street
        assertThat(plan.people().reportOnly()).doesNotContain("construction_crew_helmets.mp4");
    }

    @Test
    void aBrokenPlanIsAClearError() {
        assertThatThrownBy(() -> EvalPlan.parse(new ByteArrayInputStream("clips: 3".getBytes(StandardCharsets.UTF_8)), "x.yaml"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x.yaml");
    }

    @Test
    void scoresMomentsAgainstWhatWasActiveThen() throws Exception {
        EvalPlan plan = EvalPlan.loadDefault();
        EvalPlan.ClipSetup setup = plan.clips().stream()
                .filter(c -> c.file().equals("construction_crew_helmets.mp4")).findFirst().orElseThrow();
        // fire active from 4.1 s to 7.9 s; 2 people counted throughout; crowding (limit 3) never
        List<ClipReplay.Sample> samples = new ArrayList<>();
        for (int i = 0; i <= 50; i++) {
            double t = i * 0.2;
            samples.add(new ClipReplay.Sample(t, t >= 4.1 && t < 7.9 ? Set.of("FIRE") : Set.of(), 2));
        }
        Detection fire = new Detection(FindingKind.FIRE, Level.ORANGE, Condition.ACTIVE, null, null, 0.01, 0.0015,
                "flame", 4.1);
        ClipReplay.Result r = new ClipReplay.Result(setup.file(), 10, 640, 360, 51, List.of(fire), samples, "hog",
                java.util.Map.of());
        List<Labels.Moment> moments = List.of(new Labels.Moment(0, 2, false, false), new Labels.Moment(4, 5, true, false),
                new Labels.Moment(6, 5, true, false), new Labels.Moment(8, 3, true, false), new Labels.Moment(10, 0, false, false));
        Scores s = Scores.of(r, setup, moments, plan);
        Scores.KindScore k = s.kinds().get("fire");
        // t=0 is before the settle time; 4 s is before the finding; 6 s is found; 8 s is missed; 10 s is a true negative
        assertThat(List.of(k.tp(), k.fp(), k.fn(), k.tn())).containsExactly(1, 0, 2, 1);
        assertThat(k.present()).isTrue();
        assertThat(k.absent()).isFalse();
        assertThat(k.first()).isEqualTo(4.1);
        Scores.PeopleScore p = s.people();
        assertThat(p.pairs()).isEqualTo("5/2 5/2 3/2 0/2");
        assertThat(p.occupied()).isEqualTo(3);
        assertThat(p.peopleMoments()).isEqualTo(3);
        assertThat(p.falselyOccupied()).isEqualTo(1);   // 0/2 at 10 s
        assertThat(p.withinOne()).isEqualTo(1);   // only 3/2
        assertThat(p.countable()).isEqualTo(4);
        assertThat(p.truthOver()).isTrue();
        assertThat(p.crowding()).isZero();
    }

    @Test
    void withoutFootageTheCommandSaysWhereItLooked() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new EvalCommand()).setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err)).execute("--footage", Path.of("no-such-folder").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("no labelled footage at").contains("no-such-folder");
    }
}
