package io.safegrid.analytics.video.detect;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.randn;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.ellipse;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * The activation ranges an int8 detector is quantized at ({@link Int8}), measured by running the
 * float model with every activation as an output ({@link Int8#PROBE}) over calibration pictures
 * drawn here: shapes of every colour and size on coloured grounds, softened and with sensor noise.
 * They span wider ranges than any one scene, so no camera's picture is clipped at the cost of a
 * little precision, and they need no footage or data file at run time; the same seed gives the same
 * model on every node.
 */
final class Int8Calibration {
    static final int PICTURES = 12;

    private Int8Calibration() { }

    /** Per activation (in the probe model's {@code act__k} order): its low and high tails, averaged over the pictures. */
    static float[][] ranges(byte[] probeModel, OnnxDetector.Input input) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = OnnxDetector.session(env, probeModel)) {
            int n = (int) s.getOutputNames().stream().filter(o -> o.startsWith("act__")).count();
            float[][] r = new float[n][];
            for (int k = 0; k < n; k++) {
                r[k] = new float[2];
            }
            String in = s.getInputNames().iterator().next();
            Random random = new Random(7);
            for (int p = 0; p < PICTURES; p++) {
                try (Mat picture = picture(random); OnnxDetector.Prepared x = OnnxDetector.prepare(picture, input);
                     OnnxTensor t = OnnxTensor.createTensor(env, x.floats(input), new long[] {1, 3, input.height(), input.width()});
                     OrtSession.Result out = s.run(Map.of(in, t))) {
                    for (int k = 0; k < n; k++) {
                        FloatBuffer v = ((OnnxTensor) out.get("act__" + k).orElseThrow()).getFloatBuffer();
                        float[] q = tails(v);
                        r[k][0] += q[0] / PICTURES;
                        r[k][1] += q[1] / PICTURES;
                    }
                }
            }
            return r;
        }
    }

    /**
     * The 1/10,000 and 9,999/10,000 quantiles of an activation's values: a range that leaves out the
     * rarest extremes of these deliberately garish pictures, which min..max would spend the 255 steps on.
     */
    static float[] tails(FloatBuffer v) {
        float[] all = new float[v.remaining()];
        v.get(all);
        java.util.Arrays.sort(all);
        int cut = all.length / 10_000;
        return new float[] {all[cut], all[all.length - 1 - cut]};
    }

    /** A 640x360 picture of 60 random rectangles and ellipses on a random ground, blurred, with noise. */
    static Mat picture(Random r) {
        Mat m = new Mat(360, 640, CV_8UC3, colour(r));
        for (int k = 0; k < 60; k++) {
            int x = r.nextInt(640);
            int y = r.nextInt(360);
            int w = 5 + r.nextInt(120);
            int h = 5 + r.nextInt(160);
            try (Scalar c = colour(r)) {
                if (r.nextBoolean()) {
                    try (Rect box = new Rect(x, y, w, h)) {
                        rectangle(m, box, c, -1, LINE_8, 0);
                    }
                } else {
                    try (Point centre = new Point(x, y); Size axes = new Size(w / 2, h / 2)) {
                        ellipse(m, centre, axes, r.nextInt(180), 0, 360, c, -1, LINE_AA, 0);
                    }
                }
            }
        }
        try (Size k = new Size(3, 3); Mat noise = new Mat(360, 640, CV_8UC3); Mat zero = new Mat(1, 1, CV_64F, new Scalar(0));
             Mat sigma = new Mat(1, 1, CV_64F, new Scalar(12))) {
            GaussianBlur(m, m, k, 0);
            randn(noise, zero, sigma);
            add(m, noise, m);
        }
        return m;
    }

    private static Scalar colour(Random r) {
        return new Scalar(r.nextInt(256), r.nextInt(256), r.nextInt(256), 0);
    }
}
