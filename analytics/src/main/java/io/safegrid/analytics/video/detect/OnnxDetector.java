package io.safegrid.analytics.video.detect;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_dnn.blobFromImage;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A detector run by ONNX Runtime on the CPU, one intra-op thread per pass (the node runs many
 * cameras; parallelism comes from the shared pool, not from splitting one pass). Subclasses say
 * how the picture is prepared and how the outputs become sightings.
 */
public abstract class OnnxDetector implements ObjectDetector {

    /**
     * How the picture becomes the input tensor: {@code (pixel - mean) * scale} (mean per channel, in the order fed), RGB or BGR order,
     * stretched to the input size or letterboxed (aspect kept, grey borders) as YOLO trains.
     */
    public record Input(int width, int height, boolean rgb, double scale, double[] mean, boolean letterbox) { }

    /** One output tensor: its shape and values. */
    protected record Output(long[] shape, float[] values) { }

    /** How the input picture maps back to the original: {@code orig = (in - pad) / scale}. */
    protected record Geometry(double scaleX, double scaleY, double padX, double padY, int width, int height) {
        io.safegrid.analytics.video.Box box(double x0, double y0, double x1, double y1) {
            int a = (int) Math.max(0, Math.round((x0 - padX) / scaleX));
            int b = (int) Math.max(0, Math.round((y0 - padY) / scaleY));
            int c = (int) Math.min(width, Math.round((x1 - padX) / scaleX));
            int d = (int) Math.min(height, Math.round((y1 - padY) / scaleY));
            return new io.safegrid.analytics.video.Box(a, b, Math.max(0, c - a), Math.max(0, d - b));
        }
    }

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String inputName;
    protected final Input input;
    protected final double threshold;

    protected OnnxDetector(byte[] model, Input input, double threshold) throws OrtException {
        this.session = session(env, model);
        this.inputName = session.getInputNames().iterator().next();
        this.input = input;
        this.threshold = threshold;
    }

    static OrtSession session(OrtEnvironment env, byte[] model) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            o.setInterOpNumThreads(1);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return env.createSession(model, o);
        }
    }

    /** A picture as the input tensor (NCHW floats; close it) and how it maps back to the picture. */
    record Prepared(Mat blob, Geometry geo) implements AutoCloseable {
        FloatBuffer floats(Input input) {
            FloatPointer fp = new FloatPointer(blob.data());
            fp.capacity(3L * input.width() * input.height());
            return fp.asBuffer();
        }

        @Override
        public void close() { blob.close(); }
    }

    static Prepared prepare(Mat bgr, Input input) {
        try (Mat sized = new Mat(); Mat boxed = new Mat(); Scalar mean = new Scalar(input.mean()[0], input.mean()[1], input.mean()[2], 0);
             Size target = new Size(input.width(), input.height())) {
            Mat src;
            Geometry geo;
            if (input.letterbox()) {
                double s = Math.min(input.width() / (double) bgr.cols(), input.height() / (double) bgr.rows());
                int w = (int) Math.round(bgr.cols() * s);
                int h = (int) Math.round(bgr.rows() * s);
                try (Size inner = new Size(w, h); Scalar grey = new Scalar(114, 114, 114, 0)) {
                    resize(bgr, sized, inner, 0, 0, INTER_LINEAR);
                    int px = (input.width() - w) / 2;
                    int py = (input.height() - h) / 2;
                    copyMakeBorder(sized, boxed, py, input.height() - h - py, px, input.width() - w - px, BORDER_CONSTANT, grey);
                }
                src = boxed;
                geo = new Geometry(s, s, (input.width() - w) / 2, (input.height() - h) / 2, bgr.cols(), bgr.rows());
            } else {
                resize(bgr, sized, target, 0, 0, INTER_LINEAR);
                src = sized;
                geo = new Geometry(input.width() / (double) bgr.cols(), input.height() / (double) bgr.rows(), 0, 0,
                        bgr.cols(), bgr.rows());
            }
            return new Prepared(blobFromImage(src, input.scale(), target, mean, input.rgb(), false, CV_32F), geo);
        }
    }

    @Override
    public List<Sighting> detect(Mat bgr) {
        try (Prepared p = prepare(bgr, input)) {
            List<Output> outs = new ArrayList<>();
            try (OnnxTensor t = OnnxTensor.createTensor(env, p.floats(input), new long[] {1, 3, input.height(), input.width()});
                 OrtSession.Result r = session.run(Map.of(inputName, t))) {
                for (int i = 0; i < r.size(); i++) {
                    OnnxTensor o = (OnnxTensor) r.get(i);
                    FloatBuffer ob = o.getFloatBuffer();
                    float[] v = new float[ob.remaining()];
                    ob.get(v);
                    outs.add(new Output(o.getInfo().getShape(), v));
                }
            }
            return decode(outs, p.geo());
        } catch (OrtException e) {
            throw new IllegalStateException(name() + ": inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int inputSize() { return Math.min(input.width(), input.height()); }

    /** The sightings in the model's outputs (in the session's output order), boxes in picture pixels. */
    protected abstract List<Sighting> decode(List<Output> outputs, Geometry geo);

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing: nothing left to do with it
        }
    }
}
