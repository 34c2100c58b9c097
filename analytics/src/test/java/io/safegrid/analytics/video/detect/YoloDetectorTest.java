package io.safegrid.analytics.video.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.safegrid.analytics.video.Box;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

/**
 * A vendor's YOLO model, stood in for by ONNX models the test writes itself: a 1x1 convolution
 * over the picture (so the output depends on the input and the model really runs) added to a
 * constant laid out as YOLOv8 or YOLOv5 output with two known boxes.
 */
class YoloDetectorTest {
    static final List<String> CLASSES = List.of("helmet", "no-helmet");
    static final int SIZE = 64;

    static byte[] model(long[] shape, float[] constant) {
        return TestModels.constantOutput(SIZE, shape, constant);
    }

    static Mat picture(int w, int h) {
        return new Mat(h, w, CV_8UC3, new Scalar(90, 90, 90, 0));
    }

    @Test
    void yolov8OutputIsDecodedToBoxesAndClassesOnThePicture() throws Exception {
        // [1, 4 + 2, 3]: columns are boxes; rows cx, cy, w, h, score(helmet), score(no-helmet)
        int n = 3;
        float[] v = TestModels.yolov8(new float[][] {{32, 32, 16, 32, 0.1f, 0.9f}, {10, 40, 8, 8, 0.7f, 0.2f}, {50, 50, 4, 4, 0.1f, 0.1f}});
        YoloDetector.Spec spec = new YoloDetector.Spec("helmets", Path.of("helmets.onnx"), SIZE, CLASSES, 0.5);
        try (YoloDetector d = YoloDetector.of(model(new long[] {1, 6, n}, v), spec); Mat pic = picture(128, 64)) {
            List<Sighting> s = d.detect(pic);
            // 128x64 letterboxed into 64x64: scale 0.5, 16 px grey above and below
            assertThat(s).extracting(Sighting::label).containsExactly("no-helmet", "helmet");
            assertThat(s.get(0).box()).isEqualTo(new Box(48, 0, 32, 64));
            assertThat(s.get(0).score()).isCloseTo(0.9f, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(s.get(1).box()).isEqualTo(new Box(12, 40, 16, 16));
            assertThat(d.name()).isEqualTo("yolo:helmets");
        }
    }

    @Test
    void yolov5OutputMultipliesObjectnessAndClassScore() throws Exception {
        // [1, 2, 5 + 2]: rows are boxes: cx, cy, w, h, objectness, helmet, no-helmet
        float[] v = {32, 32, 20, 20, 0.9f, 0.8f, 0.1f,
                     10, 10, 6, 6, 0.4f, 0.9f, 0.9f};   // 0.36 at best: under the threshold
        YoloDetector.Spec spec = new YoloDetector.Spec("v5", Path.of("v5.onnx"), SIZE, CLASSES, 0.5);
        try (YoloDetector d = YoloDetector.of(model(new long[] {1, 2, 7}, v), spec); Mat pic = picture(64, 64)) {
            List<Sighting> s = d.detect(pic);
            assertThat(s).hasSize(1);
            assertThat(s.get(0).label()).isEqualTo("helmet");
            assertThat(s.get(0).score()).isCloseTo(0.72f, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(s.get(0).box()).isEqualTo(new Box(22, 22, 20, 20));
        }
    }

    @Test
    void anOutputThatFitsNeitherLayoutIsAClearError() throws Exception {
        YoloDetector.Spec spec = new YoloDetector.Spec("odd", Path.of("odd.onnx"), SIZE, CLASSES, 0.5);
        try (YoloDetector d = YoloDetector.of(model(new long[] {1, 9, 9}, new float[81]), spec); Mat pic = picture(64, 64)) {
            assertThatThrownBy(() -> d.detect(pic)).hasMessageContaining("fits neither YOLOv5").hasMessageContaining("2 classes");
        }
    }
}
