package io.safegrid.analytics.video.detect;

import java.util.List;

/** Small ONNX models written by tests, standing in for a vendor's YOLO export. */
public final class TestModels {
    private TestModels() { }

    /**
     * Input {@code [1, 3, size, size]}; output {@code output0} of {@code shape} = {@code constant} plus
     * a 1x1 convolution of the input with zero weights, averaged: the model really runs on the
     * picture, and every value comes from the constant.
     */
    public static byte[] constantOutput(int size, long[] shape, float[] constant) {
        OnnxGraph g = new OnnxGraph();
        g.input("images", OnnxGraph.FLOAT, 1, 3, size, size);
        g.floats("w", new long[] {1, 3, 1, 1}, new float[3]);
        String conv = g.node("Conv", List.of("images", "w"));
        String mean = g.node("ReduceMean", List.of(conv), OnnxGraph.attr("keepdims", 0L));
        g.floats("c", shape, constant);
        g.node("Add", List.of("c", mean), List.of("output0"));
        g.output("output0", OnnxGraph.FLOAT, shape);
        return g.toModel("test-model", 18);
    }

    /** A YOLOv8 output {@code [1, 4 + classes, boxes.length]} from rows of cx, cy, w, h, class scores. */
    public static float[] yolov8(float[][] boxes) {
        int n = boxes.length;
        int k = boxes[0].length;
        float[] v = new float[k * n];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < k; i++) {
                v[i * n + b] = boxes[b][i];
            }
        }
        return v;
    }
}
