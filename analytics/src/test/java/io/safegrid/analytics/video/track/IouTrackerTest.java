package io.safegrid.analytics.video.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.analytics.video.Box;
import io.safegrid.analytics.video.detect.Sighting;
import java.util.List;
import org.junit.jupiter.api.Test;

class IouTrackerTest {
    static Sighting person(int x, int y) {
        return new Sighting(new Box(x, y, 30, 80), "person", 0.8f);
    }

    @Test
    void aWalkerKeepsOneIdAcrossPasses() {
        IouTracker t = new IouTracker(IouTracker.Params.defaults());
        long id = t.update(List.of(person(100, 100)), null, 0).get(0).id();
        for (int i = 1; i <= 10; i++) {
            List<Track> now = t.update(List.of(person(100 + 6 * i, 100)), null, 0.2 * i);
            assertThat(now).hasSize(1);
            assertThat(now.get(0).id()).isEqualTo(id);
            assertThat(now.get(0).hits()).isEqualTo(i + 1);
        }
    }

    @Test
    void somebodyHiddenForTwoPassesIsStillThereAndKeepsTheirId() {
        IouTracker t = new IouTracker(IouTracker.Params.defaults());
        long id = t.update(List.of(person(100, 100), person(300, 100)), null, 0).get(0).id();
        t.update(List.of(person(300, 100)), null, 0.2);
        List<Track> hidden = t.update(List.of(person(300, 100)), null, 0.4);
        assertThat(hidden).hasSize(2);
        assertThat(t.confirmed("person")).hasSize(2);
        List<Track> back = t.update(List.of(person(102, 100), person(300, 100)), null, 0.6);
        assertThat(back).extracting(Track::id).contains(id);
        assertThat(back).hasSize(2);
    }

    @Test
    void aTrackUnseenForLongerThanItsMissesEnds() {
        IouTracker t = new IouTracker(new IouTracker.Params(0.2, 3, 1));
        t.update(List.of(person(100, 100)), null, 0);
        for (int i = 1; i <= 3; i++) {
            assertThat(t.update(List.of(), null, i)).hasSize(1);
        }
        assertThat(t.update(List.of(), null, 4)).isEmpty();
    }

    @Test
    void aTrackOutsideTheRegionLookedAtIsNotAged() {
        IouTracker t = new IouTracker(new IouTracker.Params(0.2, 1, 1));
        t.update(List.of(person(10, 10)), null, 0);
        for (int i = 1; i <= 5; i++) {
            assertThat(t.update(List.of(), new Box(200, 0, 100, 200), i)).hasSize(1);
        }
        assertThat(t.update(List.of(), new Box(0, 0, 100, 200), 6)).hasSize(1);
        assertThat(t.update(List.of(), new Box(0, 0, 100, 200), 7)).isEmpty();
    }

    @Test
    void differentClassesAndFarBoxesAreDifferentTracks() {
        IouTracker t = new IouTracker(IouTracker.Params.defaults());
        t.update(List.of(person(100, 100)), null, 0);
        List<Track> now = t.update(List.of(new Sighting(new Box(100, 100, 30, 80), "car", 0.9f), person(400, 100)), null, 0.2);
        assertThat(now).extracting(Track::label).containsExactlyInAnyOrder("person", "car", "person");
        assertThat(now.stream().map(Track::id).distinct().count()).isEqualTo(3);
    }

    @Test
    void aSmallUnsureSightingIsFollowedButCountsOnlyOnceACloserLookConfirmsIt() {
        IouTracker t = new IouTracker(IouTracker.Params.defaults());
        Sighting far = new Sighting(new Box(100, 100, 20, 40), "person", 0.45f);
        Sighting sure = new Sighting(new Box(300, 100, 20, 40), "person", 0.7f);
        Sighting near = new Sighting(new Box(500, 100, 60, 160), "person", 0.45f);
        t.update(List.of(far, sure, near), null, 0, 60, 0.6);
        // the far, unsure one is followed but not counted; the sure and the big one are
        assertThat(t.tracks()).hasSize(3);
        assertThat(t.confirmed("person")).extracting(Track::box).containsExactlyInAnyOrder(sure.box(), near.box());
        Track doubt = t.nextDoubt(0).orElseThrow();
        assertThat(doubt.box()).isEqualTo(far.box());
        assertThat(t.doubtedIn(new Box(0, 0, 200, 200))).containsExactly(doubt);

        // a look that did not confirm: still followed (no new track next pass), not asked again at once
        t.checked(doubt.id(), false, 0);
        assertThat(t.nextDoubt(0)).isEmpty();
        t.update(List.of(far, sure, near), null, 0.2, 60, 0.6);
        assertThat(t.tracks()).hasSize(3);
        assertThat(t.confirmed("person")).hasSize(2);
        assertThat(t.nextDoubt(2)).isPresent();

        // a look that saw it: counted from then on
        t.checked(doubt.id(), true, 2);
        assertThat(t.confirmed("person")).hasSize(3);
        assertThat(t.nextDoubt(10)).isEmpty();
    }

    @Test
    void aSureSightingLiftsADoubt() {
        IouTracker t = new IouTracker(IouTracker.Params.defaults());
        t.update(List.of(new Sighting(new Box(100, 100, 20, 40), "person", 0.45f)), null, 0, 60, 0.6);
        assertThat(t.confirmed("person")).isEmpty();
        t.update(List.of(new Sighting(new Box(101, 100, 20, 40), "person", 0.65f)), null, 0.2, 60, 0.6);
        assertThat(t.confirmed("person")).hasSize(1);
    }

    /** The default {@code video:} scoring: start 0.4, continue down to 0.25, count at a median of 0.45 over 5. */
    static IouTracker scored() {
        return new IouTracker(IouTracker.Params.defaults().withScoring(Scoring.of(io.safegrid.config.VideoConfig.defaults())));
    }

    static Sighting person(int x, int y, double score) {
        return new Sighting(new Box(x, y, 30, 80), "person", (float) score);
    }

    @Test
    void aSightingScoringLikeAPersonOnceOrTwiceButNotOnTheWholeIsNeverCounted() {
        // the aerial smoke plume as int8 NanoDet scored it: 0.46, 0.42, 0.40 over three passes
        IouTracker t = scored();
        double time = 0;
        for (double score : new double[] {0.46, 0.42, 0.40, 0.30, 0.41}) {
            t.update(List.of(person(200, 100, score)), null, time += 0.2);
            assertThat(t.confirmed("person")).as("after %s", score).isEmpty();
        }
        assertThat(t.tracks()).hasSize(1);
    }

    @Test
    void aPersonCountsFromTheSecondSureSighting() {
        IouTracker t = scored();
        t.update(List.of(person(100, 100, 0.7)), null, 0);
        assertThat(t.confirmed("person")).isEmpty();   // one sighting could be a false one
        t.update(List.of(person(104, 100, 0.6)), null, 0.2);
        assertThat(t.confirmed("person")).hasSize(1);
        // once counted it stays counted while it lasts, however its later scores go
        for (int i = 2; i < 8; i++) {
            t.update(List.of(person(100 + 4 * i, 100, 0.41)), null, 0.2 * i);
        }
        assertThat(t.confirmed("person")).hasSize(1);
    }

    @Test
    void anUnsureSightingContinuesACountedTrackButNeverStartsOne() {
        IouTracker t = scored();
        t.update(List.of(person(100, 100, 0.7)), null, 0);
        t.update(List.of(person(102, 100, 0.7)), null, 0.2);
        long id = t.confirmed("person").get(0).id();
        // half hidden behind a workmate: 0.3 for longer than a track outlives its misses
        for (int i = 2; i < 10; i++) {
            t.update(List.of(person(102 + i, 100, 0.3), person(400, 100, 0.3)), null, 0.2 * i);
            assertThat(t.confirmed("person")).extracting(Track::id).containsExactly(id);
        }
        // the 0.3 sighting far from any counted track started nothing
        assertThat(t.tracks()).hasSize(1);
        // below the low score it is no sighting: the track ages and ends
        for (int i = 10; i < 14; i++) {
            t.update(List.of(person(112, 100, 0.2)), null, 0.2 * i);
        }
        assertThat(t.tracks()).isEmpty();
    }

    @Test
    void anUnsureSightingDoesNotKeepAnUncountedTrackAlive() {
        IouTracker t = scored();
        t.update(List.of(person(100, 100, 0.42)), null, 0);
        for (int i = 1; i <= 3; i++) {
            t.update(List.of(person(100, 100, 0.3)), null, 0.2 * i);
        }
        assertThat(t.tracks()).hasSize(1).allSatisfy(tr -> assertThat(tr.misses()).isEqualTo(3));
        t.update(List.of(person(100, 100, 0.3)), null, 0.8);
        assertThat(t.tracks()).isEmpty();
    }

    @Test
    void theMedianIsTakenOverTheRecentScoresOnly() {
        Scoring s = new Scoring(0.4, 0.25, 0.5, 3);
        List<Float> recent = List.of();
        for (float f : new float[] {0.9f, 0.3f, 0.3f, 0.3f}) {
            recent = s.add(recent, f);
        }
        assertThat(recent).containsExactly(0.3f, 0.3f, 0.3f);
        assertThat(s.supports(recent)).isFalse();
        assertThat(s.supports(List.of(0.9f, 0.6f))).isTrue();
        assertThat(s.supports(List.of(0.9f))).as("one sighting, padded with zeros").isFalse();
        assertThat(Scoring.NONE.supports(List.of(0.1f))).isTrue();
    }
}
