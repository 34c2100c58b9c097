package io.safegrid.analytics.video.detect;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A YOLO-format ONNX model, as vendors deliver helmet, vest, smoking or fire models: input
 * {@code [1, 3, size, size]} RGB scaled to 0..1 and letterboxed; one output, either YOLOv5's
 * {@code [1, boxes, 5 + classes]} (centre x, centre y, width, height, objectness, class scores)
 * or YOLOv8's {@code [1, 4 + classes, boxes]} (no objectness), told apart by the class count.
 * Coordinates are input pixels.
 */
public final class YoloDetector extends OnnxDetector {

    /**
     * @param file      the .onnx file
     * @param inputSize its square input side (640 for most exports)
     * @param classes   class names in the model's order
     * @param score     least score a sighting needs
     */
    public record Spec(String name, Path file, int inputSize, List<String> classes, double score) {
        public Spec {
            classes = List.copyOf(classes);
        }
    }

    private final Spec spec;

    private YoloDetector(byte[] model, Spec spec) throws OrtException {
        super(model, new Input(spec.inputSize(), spec.inputSize(), true, 1 / 255.0, new double[3], true), spec.score());
        this.spec = spec;
    }

    public static YoloDetector load(Spec spec) throws IOException, OrtException {
        return new YoloDetector(Files.readAllBytes(spec.file()), spec);
    }

    /** From model bytes already in memory (tests). */
    public static YoloDetector of(byte[] onnx, Spec spec) throws OrtException {
        return new YoloDetector(onnx, spec);
    }

    @Override
    public String name() { return "yolo:" + spec.name(); }

    @Override
    protected List<Sighting> decode(List<Output> outputs, Geometry geo) {
        Output out = outputs.get(0);
        long[] sh = out.shape();
        int classes = spec.classes().size();
        if (sh.length != 3) {
            throw new IllegalStateException(name() + ": output of rank " + sh.length + ", expected 3");
        }
        boolean v8 = sh[1] == 4 + classes && sh[2] != 5 + classes;
        boolean v5 = sh[2] == 5 + classes;
        if (!v8 && !v5) {
            throw new IllegalStateException(name() + ": output " + java.util.Arrays.toString(sh) + " fits neither YOLOv5 [1, n, "
                    + (5 + classes) + "] nor YOLOv8 [1, " + (4 + classes) + ", n] for " + classes + " classes");
        }
        int boxes = (int) (v8 ? sh[2] : sh[1]);
        int stride = (int) (v8 ? 1 : sh[2]);
        int step = v8 ? boxes : 1;
        float[] v = out.values();
        List<Sighting> found = new ArrayList<>();
        for (int b = 0; b < boxes; b++) {
            // element k of box b: v8 is [k][b], v5 is [b][k]
            int base = v8 ? b : b * stride;
            float obj = v8 ? 1f : v[base + 4 * step];
            int first = v8 ? 4 : 5;
            int best = -1;
            float bestScore = (float) threshold;
            for (int c = 0; c < classes; c++) {
                float s = obj * v[base + (first + c) * step];
                if (s >= bestScore) {
                    best = c;
                    bestScore = s;
                }
            }
            if (best < 0) {
                continue;
            }
            float cx = v[base];
            float cy = v[base + step];
            float w = v[base + 2 * step];
            float h = v[base + 3 * step];
            found.add(new Sighting(geo.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), spec.classes().get(best), bestScore));
        }
        return Nms.suppress(found, 0.45, 300);
    }
}
