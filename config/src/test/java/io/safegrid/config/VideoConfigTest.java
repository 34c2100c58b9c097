package io.safegrid.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.safegrid.model.Level;
import io.safegrid.model.device.ZonePurpose;
import io.safegrid.model.finding.FindingKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code video:}: the detector, its pool, vendors' models and their rules; cameras name the models they use. */
class VideoConfigTest {
    static final String HEAD = """
            name: t
            grid:
              id: xian
              kind: county
              children:
                - {id: plant, kind: enterprise, industry: chemicals}
            """;

    @TempDir
    Path dir;

    static Deployment read(String yaml) {
        return new DeploymentLoader(k -> null).read("county.yaml", yaml, null);
    }

    static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> read(yaml));
        assertThat(e).as("expected the file to be rejected").isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void leftOutItIsNanoDetInInt8WithOneSlotAndTracksJudgedOnTheirScores() {
        VideoConfig v = read(HEAD).video();
        assertThat(v).isEqualTo(VideoConfig.defaults());
        assertThat(v.detector()).isEqualTo("nanodet-int8");
        assertThat(v.poolSize()).isEqualTo(1);
        assertThat(v.evidence()).isEqualTo(new VideoConfig.Evidence(0.25, 0.45, 5, 0.6));
    }

    @Test
    void nanoDetInFloatIsAskedForByName() {
        for (String name : List.of("nanodet-m", "nanodet")) {
            String detector = read(HEAD + "video:\n  detector: " + name + "\n").video().detector();
            assertThat(VideoConfig.nanoDetFloat(detector)).as(name).isTrue();
        }
    }

    @Test
    void theEvidenceATrackNeedsIsSetUnderVideo() {
        VideoConfig v = read(HEAD + """
                video:
                  score: 0.5
                  low-score: 0.3
                  confirm-score: 0.55
                  confirm-history: 10
                  nms-iou: 0.5
                """).video();
        assertThat(v.evidence()).isEqualTo(new VideoConfig.Evidence(0.3, 0.55, 10, 0.5));
    }

    @Test
    void aLowScoreAboveTheScoreOrAnOverlapOutOfRangeIsRejected() {
        assertThat(errors(HEAD + """
                video:
                  score: 0.4
                  low-score: 0.5
                  nms-iou: 1.5
                  confirm-history: 0
                """)).anySatisfy(e -> assertThat(e).contains("video.low-score").contains("must not be above score (0.4)"))
                .anySatisfy(e -> assertThat(e).contains("video.nms-iou").contains("between 0 and 1"))
                .anySatisfy(e -> assertThat(e).contains("video.confirm-history"));
    }

    @Test
    void aVendorsHelmetModelAndACameraThatUsesIt() throws Exception {
        Path onnx = Files.write(dir.resolve("helmets.onnx"), new byte[] {1});
        Deployment d = read(HEAD + """
                video:
                  detector: hog
                  pool-size: 2
                  keep-alive: 5s
                  max-wait: 50ms
                  detect-interval: 400ms
                  models:
                    - name: helmets
                      file: %s
                      input-size: 320
                      classes: [helmet, no-helmet]
                      raise:
                        - {object: no-helmet, kind: ppe-missing, level: orange, purpose: ppe, dwell: 3s}
                cameras:
                  - id: cam-1
                    site: xian/plant
                    secret: a-long-camera-secret
                    source: {mode: push}
                    analysis: {analyzers: [people], models: [helmets]}
                    zones:
                      - {name: gate, purpose: ppe, polygon: [[0, 0], [1, 0], [1, 1]]}
                      - {name: yard, purpose: restricted, object: truck, polygon: [[0, 0], [1, 0], [1, 1]]}
                """.formatted(onnx));
        VideoConfig v = d.video();
        assertThat(v.detector()).isEqualTo("hog");
        assertThat(v.poolSize()).isEqualTo(2);
        assertThat(v.keepAlive()).isEqualTo(Duration.ofSeconds(5));
        assertThat(v.maxWait()).isEqualTo(Duration.ofMillis(50));
        assertThat(v.detectInterval()).isEqualTo(Duration.ofMillis(400));
        VideoConfig.ModelDef m = v.model("helmets").orElseThrow();
        assertThat(m.inputSize()).isEqualTo(320);
        assertThat(m.classes()).containsExactly("helmet", "no-helmet");
        assertThat(m.raise()).containsExactly(new VideoConfig.Raise("no-helmet", FindingKind.PPE_MISSING, Level.ORANGE,
                ZonePurpose.PPE, Duration.ofSeconds(3)));
        assertThat(d.cameras().get(0).analysis().models()).containsExactly("helmets");
        assertThat(d.cameras().get(0).zones().get(1).object()).isEqualTo("truck");
        assertThat(d.cameras().get(0).zones().get(0).purpose()).isEqualTo(ZonePurpose.PPE);
    }

    @Test
    void mistakesAreReportedAtTheirLines() {
        assertThat(errors(HEAD + """
                video:
                  detector: yolo-x
                  pool-size: 0
                  models:
                    - name: vests
                      file: /nonexistent/vests.onnx
                      classes: [vest, no-vest]
                      raise:
                        - {object: no-helmet, kind: crowding, level: orange}
                        - {object: no-vest, kind: threshold}
                cameras:
                  - id: cam-1
                    site: xian/plant
                    secret: a-long-camera-secret
                    source: {mode: push}
                    analysis: {models: [helmets]}
                    zones:
                      - {name: desk, purpose: post, object: motion, polygon: [[0, 0], [1, 0], [1, 1]]}
                      - {name: pit, purpose: danger, object: motion, polygon: [[0, 0], [1, 0], [1, 1]]}
                """)).containsExactly(
                "county.yaml:8: video.detector: unknown detector 'yolo-x' (expected nanodet-int8, nanodet-m, nanodet, hog)",
                "county.yaml:9: video.pool-size: must be between 1 and 64, got 0",
                "county.yaml:12: video.models[0].file: cannot read file '/nonexistent/vests.onnx'",
                "county.yaml:15: video.models[0].raise[0].object: 'no-helmet' is not one of the model's classes: vest, no-vest",
                "county.yaml:16: video.models[0].raise[1].kind: not a video finding kind",
                "county.yaml:22: cameras[0].analysis.models[0]: unknown model 'helmets' (models are declared under video.models)",
                "county.yaml:24: cameras[0].zones[0].object: only applies to a restricted or danger zone",
                "county.yaml:25: cameras[0].zones[1].object: a danger zone counts people or a detector class, not motion "
                        + "(motion applies to restricted zones)");
    }
}
