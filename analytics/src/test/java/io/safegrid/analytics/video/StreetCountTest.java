package io.safegrid.analytics.video;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.safegrid.analytics.video.detect.Detectors;
import io.safegrid.analytics.video.track.Track;
import io.safegrid.model.device.Point;
import io.safegrid.model.device.Zone;
import io.safegrid.model.device.ZonePurpose;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/**
 * People counted on tracks, on a real street recording, against the by-eye counts in the footage
 * folder's labels.json (every 2 s): the pipeline as a camera runs it (640x360 at 5 fps, motion
 * gate, NanoDet, tracker).
 */
class StreetCountTest {
    static final String CLIP = "people_street_walking_elevated.mp4";

    record Moment(double t, int truth, int counted) { }

    static List<Moment> count(String clipName, Set<String> analyzers) throws Exception {
        Path clip = Footage.clip(clipName);
        JsonNode labels = new ObjectMapper().readTree(clip.resolveSibling("labels.json").toFile()).path("clips").path(clipName);
        Zone all = new Zone("street", ZonePurpose.CROWD, List.of(new Point(0, 0), new Point(1, 0), new Point(1, 1),
                new Point(0, 1)), 100, 1.0);
        List<Moment> out = new ArrayList<>();
        try (CameraAnalyzer a = new CameraAnalyzer(List.of(all), analyzers, null, ObjectStage.Params.defaults());
             FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile()); OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat()) {
            g.setImageWidth(640);
            g.setImageHeight(360);
            g.start();
            double next = 0;
            int label = 0;
            Frame f;
            while ((f = g.grabImage()) != null) {
                double t = f.timestamp / 1e6;
                if (t + 1e-3 < next) {
                    continue;
                }
                next += 0.2;
                a.analyze(conv.convert(f), t);
                while (label < labels.size() && labels.get(label).path("t").asDouble() <= t + 1e-3) {
                    JsonNode l = labels.get(label++);
                    if (l.path("people").isNumber()) {
                        ObjectStage stage = a.objects().orElseThrow();
                        long n = stage.tracks().stream().filter(tr -> tr.label().equals("person") && tr.confirmed(stage.minHits()))
                                .map(Track::id).count();
                        out.add(new Moment(l.path("t").asDouble(), l.path("people").asInt(), (int) n));
                    }
                }
            }
            g.stop();
        }
        System.out.println(clipName + " (truth, counted): " + out);
        return out;
    }

    @Test
    void theStreetIsCountedWithinAFewPeopleOfTheTruth() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Detectors.shared().fallbackReason().isEmpty(), "no NanoDet model in this build");
        // the first picture is left out: a far figure the first pass saw at a few of the model's
        // pixels counts only after a closer look, one per analysed frame
        List<Moment> ms = count(CLIP, Set.of("people")).stream().filter(m -> m.t() > 0).toList();
        assertThat(ms).hasSize(4);
        // the labels are ±2 themselves (far figures, people cut by the edges); NanoDet at 416 px
        // misses some of the smallest and takes shop-window mannequins for people
        double error = 0;
        for (Moment m : ms) {
            assertThat(Math.abs(m.counted() - m.truth())).as("at %.0f s", m.t()).isLessThanOrEqualTo(5);
            error += Math.abs(m.counted() - m.truth());
        }
        assertThat(error / ms.size()).as("mean count error").isLessThanOrEqualTo(3.0);
    }

    @Test
    void aSmallCrewCloseUpIsSeenAtEveryMomentAndUndercountedByAFew() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Detectors.shared().fallbackReason().isEmpty(), "no NanoDet model in this build");
        // 2 to 5 workers in hard hats and vests, close up and overlapping (labels every 2 s): NanoDet-m
        // in int8 finds the front ones, and unsure sightings of the half-hidden ones keep their tracks
        // (measured 2, 3, 3, 3, 3 against 5, 5, 5, 5, 4 from 2 s; the footage eval's I420 pictures give
        // 4 at each moment from 4 s). The first picture is left out: a track counts from its second
        // sighting, as one sighting could be a false one
        List<Moment> ms = count("construction_crew_helmets.mp4", Set.of("people")).stream().filter(m -> m.t() > 0).toList();
        assertThat(ms).hasSize(5);
        assertThat(ms).allSatisfy(m -> assertThat(m.counted()).as("at %.0f s", m.t()).isPositive());
        assertThat(ms.stream().mapToInt(m -> Math.abs(m.counted() - m.truth())).average().orElseThrow()).as("mean count error")
                .isLessThanOrEqualTo(2.5);
        assertThat(ms).allSatisfy(m -> assertThat(m.counted()).isLessThanOrEqualTo(m.truth() + 1));
    }
}
