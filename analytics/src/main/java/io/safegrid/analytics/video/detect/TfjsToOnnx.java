package io.safegrid.analytics.video.detect;

import static io.safegrid.analytics.video.detect.OnnxGraph.attr;
import static io.safegrid.analytics.video.detect.OnnxGraph.attrInts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a TensorFlow.js graph model ({@code model.json} and its weight file) into an ONNX model,
 * in memory, for the operators feed-forward detectors exported through TF use: Conv2D, MaxPool,
 * Pad/PadV2, Add/AddV2, LeakyRelu, Sigmoid, ConcatV2, SplitV, Reshape, Transpose, ResizeBilinear,
 * Identity, and SparseToDense with no indices (a constant, folded away).
 * <p>Graphs exported from PyTorch through ONNX and TF keep NCHW tensors between operators and wrap
 * each of TF's NHWC operators (convolution, pooling, resize) in a transpose pair. The converter
 * undoes that instead of copying it: a TF tensor in NHWC is kept in NCHW ({@link Nhwc}) and only
 * turned round when an operator needs the NHWC order itself, bias adds go into the convolution and
 * zero (or, before a max pool, minus infinity) pads into the operator's own padding. The result is a
 * plain NCHW graph of Conv, LeakyRelu, Concat, MaxPool, Resize: what any runtime's fusions and
 * int8 kernels expect, with no transposes left for a runtime to find and cancel.
 * An operator not in this list is an error naming it, not a silently wrong model.
 */
public final class TfjsToOnnx {
    /** ONNX operator set written: 18 (Resize with axes). */
    public static final int OPSET = 18;

    private static final long[] TO_NCHW = {0, 3, 1, 2};
    private static final long[] TO_NHWC = {0, 2, 3, 1};

    /** A constant: float or int values with a shape. */
    private record Const(long[] shape, float[] f, long[] i) {
        int size() { return f != null ? f.length : i.length; }
    }

    /** A 4-D TF tensor in NHWC order whose values are kept, in NCHW order, in ONNX tensor {@code nchw}. */
    private record Nhwc(String nchw) { }

    private final Map<String, JsonNode> nodes = new HashMap<>();
    private final Map<String, Const> weights;
    private final Map<String, Object> done = new HashMap<>();   // tensor name -> Const, Nhwc or ONNX tensor name
    private final Map<String, List<JsonNode>> consumers = new HashMap<>();
    private final Map<String, String> turned = new HashMap<>();  // NCHW tensor -> its NHWC transpose
    private final OnnxGraph g = new OnnxGraph();
    private final Int8 int8;
    private final Map<String, float[]> scales = new HashMap<>();   // dequantized activation -> its scale, zero point
    private int activations;
    private final long trained;
    private final long width;
    private final long height;

    private TfjsToOnnx(JsonNode model, Map<String, Const> weights, long width, long height, Int8 int8) {
        this.width = width;
        this.height = height;
        this.int8 = int8;
        long[] in = width <= 0 ? new long[0] : dims(model.path("signature").path("inputs").elements().next());
        this.trained = in.length == 0 ? width : in[in.length - 1];
        for (JsonNode n : model.path("modelTopology").path("node")) {
            nodes.put(n.path("name").asText(), n);
            for (JsonNode i : n.path("input")) {
                String ref = i.asText();
                int colon = ref.lastIndexOf(':');
                consumers.computeIfAbsent(colon > 0 ? ref.substring(0, colon) : ref, k -> new ArrayList<>()).add(n);
            }
        }
        this.weights = weights;
    }

    /**
     * @param modelJson the model.json text
     * @param bin       the weight files' bytes, concatenated in the manifest's order
     * @return the ONNX model; its outputs are named as the TF.js signature names them, less ":0"
     */
    public static byte[] convert(byte[] modelJson, byte[] bin) throws IOException {
        return convert(modelJson, bin, 0);
    }

    /**
     * As {@link #convert(byte[], byte[])}, for a square input of {@code side} pixels instead of the
     * one the graph was exported at (0: that one). A fully convolutional detector runs at any side
     * its strides divide; the sides baked into the graph (the input, the feature-pyramid resizes, the
     * reshapes of each stride's grid into cells) are scaled with it.
     */
    public static byte[] convert(byte[] modelJson, byte[] bin, int side) throws IOException {
        return convert(modelJson, bin, side, Int8.NONE);
    }

    /**
     * As {@link #convert(byte[], byte[], int)}, with int8 convolutions ({@link Int8}): the model to
     * measure activations with ({@link Int8#PROBE}), or the quantized one for measured ranges.
     */
    public static byte[] convert(byte[] modelJson, byte[] bin, int side, Int8 int8) throws IOException {
        return convert(modelJson, bin, side, side, int8);
    }

    /**
     * As {@link #convert(byte[], byte[], int, Int8)}, for an input of {@code width x height} pixels
     * (each a multiple of the largest stride) exported square: a grid side the export has twice in a
     * row (the input's H and W, a resize's target) becomes the height's then the width's, a cell count
     * (a grid side squared) their product. A wide input fits a wide picture at the same scale with
     * less grey letterbox to convolve.
     */
    public static byte[] convert(byte[] modelJson, byte[] bin, int width, int height, Int8 int8) throws IOException {
        JsonNode model = new ObjectMapper().readTree(modelJson);
        TfjsToOnnx c = new TfjsToOnnx(model, readWeights(model, bin), width, height, int8);
        for (var e : iterable(model.path("signature").path("inputs").fields())) {
            c.resolve(strip(e.getKey()));
        }
        List<String> outs = new ArrayList<>();
        model.path("signature").path("outputs").fieldNames().forEachRemaining(n -> outs.add(strip(n)));
        outs.sort(null);
        for (String o : outs) {
            Object v = c.resolve(o);
            if (v instanceof Const) {
                throw new IOException("output " + o + " is a constant");
            }
            c.g.node("Identity", List.of(c.tensor(v)), List.of(o));
            c.g.output(o, OnnxGraph.FLOAT, c.sized(dims(model.path("signature").path("outputs").path(o + ":0"))));
        }
        return c.g.toModel("tfjs", OPSET);
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> it) { return () -> it; }

    private static String strip(String name) {
        return name.endsWith(":0") ? name.substring(0, name.length() - 2) : name;
    }

    private static long[] dims(JsonNode tensorInfo) {
        return shape(tensorInfo.path("tensorShape"));
    }

    private static long[] shape(JsonNode shape) {
        List<Long> d = new ArrayList<>();
        for (JsonNode x : shape.path("dim")) {
            d.add(x.path("size").asLong(-1));
        }
        return d.stream().mapToLong(Long::longValue).toArray();
    }

    /** The value of {@code ref} ("node", "node:1"; control inputs "^x" are not values). */
    private Object resolve(String ref) throws IOException {
        Object v = done.get(ref);
        if (v != null) {
            return v;
        }
        int colon = ref.lastIndexOf(':');
        String nodeName = colon > 0 ? ref.substring(0, colon) : ref;
        JsonNode n = nodes.get(nodeName);
        if (n == null) {
            throw new IOException("graph refers to unknown node " + nodeName);
        }
        convertNode(n);
        v = done.get(ref);
        if (v == null) {
            throw new IOException("node " + nodeName + " has no output " + ref);
        }
        return v;
    }

    private List<Object> inputs(JsonNode n) throws IOException {
        List<Object> in = new ArrayList<>();
        for (JsonNode i : n.path("input")) {
            String s = i.asText();
            if (!s.startsWith("^")) {
                in.add(resolve(s));
            }
        }
        return in;
    }

    private void convertNode(JsonNode n) throws IOException {
        String name = n.path("name").asText();
        String op = n.path("op").asText();
        JsonNode a = n.path("attr");
        if (op.equals("Const")) {
            Const c = weights.get(name);
            if (c == null) {
                throw new IOException("constant " + name + " has no weights");
            }
            done.put(name, c);
            return;
        }
        if (op.equals("Placeholder")) {
            g.input(name, OnnxGraph.FLOAT, sized(shape(a.path("shape").path("shape"))));
            done.put(name, act(name));
            return;
        }
        if (op.equals("Conv2D")) {
            done.put(name, conv(n));
            return;
        }
        if (op.equals("MaxPool")) {
            done.put(name, maxPool(n));   // before its input: a pad it takes over is never converted
            return;
        }
        List<Object> in = inputs(n);
        if (done.containsKey(name)) {
            return;   // a convolution's bias add, taken into the convolution while its input was converted
        }
        switch (op) {
            case "Identity" -> done.put(name, in.get(0));
            case "SparseToDense" -> done.put(name, sparseToDense(name, in));
            case "Add", "AddV2" -> done.put(name, add(name, in.get(0), in.get(1)));
            case "Transpose" -> done.put(name, transpose(in.get(0), ints(in.get(1), name)));
            case "LeakyRelu" -> done.put(name, act(unary(in.get(0), "LeakyRelu",
                    attr("alpha", (float) a.path("alpha").path("f").asDouble(0.2)))));
            case "Sigmoid" -> done.put(name, unary(in.get(0), "Sigmoid"));
            case "Reshape" -> done.put(name, g.node("Reshape", List.of(tensor(in.get(0)), g.longs(sized(ints(in.get(1), name))))));
            case "ConcatV2" -> {
                List<Object> parts = in.subList(0, in.size() - 1);
                long axis = ints(in.get(in.size() - 1), name)[0];
                boolean kept = parts.stream().allMatch(p -> p instanceof Nhwc);
                List<String> ts = new ArrayList<>();
                for (Object p : parts) {
                    ts.add(kept ? ((Nhwc) p).nchw() : tensor(p));
                }
                String y = act(g.node("Concat", ts, attr("axis", kept ? nchwAxis(axis) : axis)));
                done.put(name, kept ? new Nhwc(y) : y);
            }
            case "Pad", "PadV2" -> {
                long[] p = ints(in.get(1), name);
                int rank = p.length / 2;
                long[] pads = new long[p.length];
                for (int d = 0; d < rank; d++) {
                    pads[d] = p[2 * d];
                    pads[rank + d] = p[2 * d + 1];
                }
                List<String> args = new ArrayList<>(List.of(tensor(in.get(0)), g.longs(pads)));
                if (op.equals("PadV2")) {
                    args.add(tensor(in.get(2)));
                }
                done.put(name, g.node("Pad", args, attr("mode", "constant")));
            }
            case "ResizeBilinear" -> {
                boolean align = a.path("align_corners").path("b").asBoolean(false);
                boolean half = a.path("half_pixel_centers").path("b").asBoolean(false);
                String mode = align ? "align_corners" : half ? "half_pixel" : "asymmetric";
                // TF resizes NHWC's H and W; the sizes ONNX wants name all four NCHW axes, N and C taken from x
                String x = nchw(in.get(0));
                String shape = g.node("Shape", List.of(x));
                String nc = g.node("Slice", List.of(shape, g.longs(0), g.longs(2)));
                String sizes = g.node("Concat", List.of(nc, g.longs(sized(ints(in.get(1), name)))), attr("axis", 0L));
                done.put(name, new Nhwc(act(g.node("Resize", List.of(x, "", "", sizes),
                        attr("mode", "linear"), attr("coordinate_transformation_mode", mode)), x)));
            }
            case "SplitV" -> {
                long[] sizes = ints(in.get(1), name);
                long axis = ints(in.get(2), name)[0];
                if (Arrays.stream(sizes).anyMatch(s -> s < 0)) {
                    throw new IOException("SplitV " + name + ": sizes of -1 are not supported");
                }
                boolean kept = in.get(0) instanceof Nhwc;
                List<String> outs = new ArrayList<>();
                for (int i = 0; i < sizes.length; i++) {
                    String o = g.fresh("split");
                    outs.add(o);
                    Object v = kept ? new Nhwc(o) : o;
                    done.put(i == 0 ? name : name + ":" + i, v);
                    if (i == 0) {
                        done.put(name + ":0", v);
                    }
                }
                String x = kept ? ((Nhwc) in.get(0)).nchw() : tensor(in.get(0));
                g.node("Split", List.of(x, g.longs(sizes)), outs, attr("axis", kept ? nchwAxis(axis) : axis));
            }
            default -> throw new IOException("operator " + op + " (node " + name + ") is not supported");
        }
    }

    /** NCHW's axis for NHWC's {@code axis} (negative counts from the end). */
    private static long nchwAxis(long axis) {
        return TO_NHWC[(int) ((axis + 4) % 4)];
    }

    private Object unary(Object x, String op, byte[]... attrs) {
        if (x instanceof Nhwc k) {
            return new Nhwc(g.node(op, List.of(k.nchw()), attrs));
        }
        return g.node(op, List.of(tensor(x)), attrs);
    }

    private Object add(String name, Object x, Object y) throws IOException {
        if (x instanceof Const cx && y instanceof Const cy) {
            return addConst(name, cx, cy);
        }
        if (x instanceof Const) {
            return add(name, y, x);
        }
        if (x instanceof Nhwc k) {
            if (y instanceof Nhwc l) {
                return new Nhwc(act(g.node("Add", List.of(k.nchw(), l.nchw()))));
            }
            if (y instanceof Const c && c.f != null && c.shape.length <= 1) {
                // a per-channel (or scalar) constant broadcast over NHWC's last axis is NCHW's [1, C, 1, 1]
                String b = g.fresh("const");
                g.floats(b, new long[] {1, c.f.length, 1, 1}, c.f);
                return new Nhwc(g.node("Add", List.of(k.nchw(), b)));
            }
        }
        return act(g.node("Add", List.of(tensor(x), tensor(y))));
    }

    /** TF's Transpose: on a tensor kept in NCHW, composed with that order (nothing at all when they cancel). */
    private Object transpose(Object x, long[] perm) {
        if (x instanceof Nhwc k) {
            long[] c = new long[perm.length];
            for (int i = 0; i < perm.length; i++) {
                c[i] = TO_NHWC[(int) perm[i]];
            }
            return identity(c) ? k.nchw() : g.node("Transpose", List.of(k.nchw()), attrInts("perm", c));
        }
        if (x instanceof String s && Arrays.equals(perm, TO_NHWC)) {
            return new Nhwc(s);
        }
        return g.node("Transpose", List.of(tensor(x)), attrInts("perm", perm));
    }

    private static boolean identity(long[] perm) {
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** An NHWC TF tensor's values in NCHW order. */
    private String nchw(Object x) {
        if (x instanceof Nhwc k) {
            return k.nchw();
        }
        return g.node("Transpose", List.of(tensor(x)), attrInts("perm", TO_NCHW));
    }

    /**
     * The NCHW input of a TF operator over 4-D {@code inRef} and its spatial pads {@code [top, left,
     * bottom, right]}: a constant Pad of {@code padValue} on the spatial axes only (directly, or
     * under a Transpose) is taken into the operator's own padding, else the pads are null.
     */
    private Object[] paddedInput(String inRef, boolean nhwc, float padValue, boolean padAllowed) throws IOException {
        JsonNode src = nodes.get(inRef);
        long[] perm = {0, 1, 2, 3};
        JsonNode pad = src;
        if (src != null && src.path("op").asText().equals("Transpose") && !inRef.contains(":")) {
            Object p = resolve(src.path("input").get(1).asText());
            perm = p instanceof Const c && c.i != null && c.i.length == 4 ? c.i : null;
            pad = perm == null ? null : nodes.get(src.path("input").get(0).asText());
        }
        if (padAllowed && pad != null && pad.path("op").asText().startsWith("Pad")
                && resolve(pad.path("input").get(1).asText()) instanceof Const pc && pc.i != null && pc.i.length == 8
                && padsWith(pad, padValue)) {
            // padding of operator-input axis d is that of the Pad's axis perm[d]
            int h = (int) perm[nhwc ? 1 : 2];
            int w = (int) perm[nhwc ? 2 : 3];
            int batch = (int) perm[0];
            int chan = (int) perm[nhwc ? 3 : 1];
            if (pc.i[2 * batch] == 0 && pc.i[2 * batch + 1] == 0 && pc.i[2 * chan] == 0 && pc.i[2 * chan + 1] == 0) {
                long[] pads = {pc.i[2 * h], pc.i[2 * w], pc.i[2 * h + 1], pc.i[2 * w + 1]};
                Object unpadded = resolve(pad.path("input").get(0).asText());
                // the operator's input in NCHW: axis i is the unpadded tensor's axis perm[order[i]]
                long[] order = nhwc ? TO_NCHW : new long[] {0, 1, 2, 3};
                long[] c = new long[4];
                for (int i = 0; i < 4; i++) {
                    c[i] = perm[(int) order[i]];
                }
                Object t = unpadded instanceof Nhwc || !identity(c) ? transpose(unpadded, c) : unpadded;
                String x = tensor(t);
                return new Object[] {x, pads};
            }
        }
        Object v = resolve(inRef);
        return new Object[] {nhwc ? nchw(v) : tensor(v), null};
    }

    /** Whether a Pad/PadV2 node fills with {@code value} (Pad: zero). */
    private boolean padsWith(JsonNode pad, float value) throws IOException {
        if (pad.path("op").asText().equals("Pad")) {
            return value == 0;
        }
        return resolve(pad.path("input").get(2).asText()) instanceof Const c && c.f != null && c.f.length == 1 && c.f[0] == value;
    }

    private Object maxPool(JsonNode n) throws IOException {
        String name = n.path("name").asText();
        JsonNode a = n.path("attr");
        boolean nhwc = nhwc(a);
        boolean valid = padding(a, name).equals("VALID");
        // MaxPool's own padding never wins the max: that of a pad of minus infinity
        Object[] xp = paddedInput(n.path("input").get(0).asText(), nhwc, Float.NEGATIVE_INFINITY, valid);
        byte[] padding = xp[1] == null ? attr("auto_pad", padding(a, name)) : attrInts("pads", (long[]) xp[1]);
        String y = act(g.node("MaxPool", List.of((String) xp[0]), attrInts("kernel_shape", spatial(longs(a.path("ksize")), nhwc)),
                attrInts("strides", spatial(longs(a.path("strides")), nhwc)), padding), (String) xp[0]);
        return nhwc ? new Nhwc(y) : y;
    }

    /**
     * A Conv2D as one ONNX Conv in NCHW: a zero Pad of its input's spatial axes becomes the
     * convolution's own padding and a per-channel constant added to its output (the only use of
     * that output) its bias, which is also taken as the Add's value.
     */
    private Object conv(JsonNode n) throws IOException {
        String name = n.path("name").asText();
        JsonNode a = n.path("attr");
        if (!(resolve(n.path("input").get(1).asText()) instanceof Const filter) || filter.f == null || filter.shape.length != 4) {
            throw new IOException("Conv2D " + name + ": filter is not a 4-D float constant");
        }
        boolean nhwc = nhwc(a);
        Object[] xp = paddedInput(n.path("input").get(0).asText(), nhwc, 0f, text(a.path("padding")).equals("VALID"));
        int kh = (int) filter.shape[0];
        int kw = (int) filter.shape[1];
        int ci = (int) filter.shape[2];
        int co = (int) filter.shape[3];
        // TF's HWIO to ONNX's OIHW
        float[] w = new float[filter.f.length];
        for (int h = 0; h < kh; h++) {
            for (int ww = 0; ww < kw; ww++) {
                for (int i = 0; i < ci; i++) {
                    for (int o = 0; o < co; o++) {
                        w[((o * ci + i) * kh + h) * kw + ww] = filter.f[((h * kw + ww) * ci + i) * co + o];
                    }
                }
            }
        }
        JsonNode biasAdd = biasAdd(name, co);
        float[] bias = null;
        if (biasAdd != null) {
            String first = biasAdd.path("input").get(0).asText();
            bias = ((Const) resolve(first.equals(name) || first.equals(name + ":0") ? biasAdd.path("input").get(1).asText() : first)).f;
        }
        String x = (String) xp[0];
        Float inScale = scales.containsKey(x) ? scales.get(x)[0] : null;
        List<String> args = new ArrayList<>(List.of(x));
        if (int8.ranges() != null && inScale != null) {
            // int8 weights, symmetric per output channel; the bias in int32 at input scale x weight scale,
            // the form ONNX Runtime runs as one integer convolution
            long[] dims = {co, ci, kh, kw};
            float[] ws = new float[co];
            int[] wq = new int[w.length];
            int per = w.length / co;
            for (int o = 0; o < co; o++) {
                float m = 0;
                for (int k = 0; k < per; k++) {
                    m = Math.max(m, Math.abs(w[o * per + k]));
                }
                ws[o] = m > 0 ? m / 127f : 1f;
                for (int k = 0; k < per; k++) {
                    wq[o * per + k] = Math.round(w[o * per + k] / ws[o]);
                }
            }
            args.add(dequantize(g.fresh("wq"), OnnxGraph.INT8, dims, wq, ws));
            if (bias != null) {
                float[] bs = new float[co];
                int[] bq = new int[co];
                for (int o = 0; o < co; o++) {
                    bs[o] = inScale * ws[o];
                    bq[o] = (int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, Math.round((double) bias[o] / bs[o])));
                }
                args.add(dequantize(g.fresh("bq"), OnnxGraph.INT32, new long[] {co}, bq, bs));
            }
        } else {
            String wName = g.fresh("w");
            g.floats(wName, new long[] {co, ci, kh, kw}, w);
            args.add(wName);
            if (bias != null) {
                String bName = g.fresh("b");
                g.floats(bName, new long[] {co}, bias);
                args.add(bName);
            }
        }
        byte[] padding = xp[1] == null ? attr("auto_pad", padding(a, name)) : attrInts("pads", (long[]) xp[1]);
        String y = g.node("Conv", args, attrInts("strides", spatial(longs(a.path("strides")), nhwc)),
                attrInts("dilations", spatial(longs(a.path("dilations")), nhwc)), padding);
        if (!feedsHead(n)) {
            y = act(y);
        }
        Object out = nhwc ? new Nhwc(y) : y;
        if (biasAdd != null) {
            done.put(biasAdd.path("name").asText(), out);
        }
        return out;
    }

    /**
     * Whether a convolution gives the model's raw outputs (class and box logits, which go on to
     * split, sigmoid and reshape, through its bias and transposes): those stay float, as a uint8 step of a
     * logit's whole range moves a score near the threshold by a few hundredths; they are 1x1 and cheap.
     */
    private boolean feedsHead(JsonNode conv) {
        List<JsonNode> next = new ArrayList<>(consumers.getOrDefault(conv.path("name").asText(), List.of()));
        while (!next.isEmpty()) {
            JsonNode c = next.remove(next.size() - 1);
            String op = c.path("op").asText();
            if (List.of("SplitV", "Split", "Sigmoid", "Reshape").contains(op)) {
                return true;
            }
            if (List.of("Add", "AddV2", "BiasAdd", "Transpose", "Identity").contains(op)) {
                next.addAll(consumers.getOrDefault(c.path("name").asText(), List.of()));
            }
        }
        return false;
    }

    /** The Add of a per-channel float constant that is the only use of Conv2D {@code conv}'s output, or null. */
    private JsonNode biasAdd(String conv, int channels) throws IOException {
        List<JsonNode> uses = consumers.getOrDefault(conv, List.of());
        if (uses.size() != 1 || !List.of("Add", "AddV2", "BiasAdd").contains(uses.get(0).path("op").asText())) {
            return null;
        }
        JsonNode add = uses.get(0);
        if (add.path("input").size() != 2) {
            return null;
        }
        for (JsonNode i : add.path("input")) {
            String ref = i.asText();
            if (!ref.equals(conv) && !ref.equals(conv + ":0")) {
                Object v = resolve(ref);
                return v instanceof Const c && c.f != null && c.shape.length == 1 && c.shape[0] == channels ? add : null;
            }
        }
        return null;
    }
    /**
     * An activation (a tensor that a convolution, pooling, resize, concatenation or sum gives to the
     * next one), the k-th met: as it is (float), also a graph output {@code act__k} (probe), or
     * through uint8 quantize/dequantize at its measured range (int8).
     */
    private Object act(Object v) {
        return v instanceof Nhwc k ? new Nhwc(act(k.nchw())) : act((String) v);
    }

    private String act(String t) {
        return act(t, null);
    }

    /**
     * As {@link #act(String)}; {@code like}: a dequantized input whose scale and zero point the
     * output keeps (max pooling and resizing never leave their input's range), so that ONNX Runtime
     * runs the operator on the uint8 values instead of around a dequantize and a quantize.
     */
    private String act(String t, String like) {
        int k = activations++;
        if (int8.probe()) {
            String o = "act__" + k;
            g.node("Identity", List.of(t), List.of(o));
            g.outputOfAnyShape(o, OnnxGraph.FLOAT);
            return t;
        }
        if (int8.ranges() == null) {
            return t;
        }
        float lo = Math.min(0, int8.ranges()[k][0]);
        float hi = Math.max(0, int8.ranges()[k][1]);
        float scale = hi > lo ? (hi - lo) / 255f : 1f;
        int zero = Math.round(-lo / scale);
        if (like != null && scales.containsKey(like)) {
            scale = scales.get(like)[0];
            zero = (int) scales.get(like)[1];
        }
        String s = g.fresh("scale");
        g.floats(s, new long[0], new float[] {scale});
        String z = g.fresh("zero");
        g.ints(z, OnnxGraph.UINT8, new long[0], new int[] {zero});
        String q = g.node("QuantizeLinear", List.of(t, s, z));
        String dq = g.node("DequantizeLinear", List.of(q, s, z));
        scales.put(dq, new float[] {scale, zero});
        return dq;
    }

    /** A per-axis-0 quantized weight and its DequantizeLinear; returns the float tensor. */
    private String dequantize(String name, int type, long[] dims, int[] q, float[] scale) {
        g.ints(name, type, dims, q);
        String s = g.fresh("scale");
        g.floats(s, new long[] {scale.length}, scale);
        String z = g.fresh("zero");
        g.ints(z, type, new long[] {scale.length}, new int[scale.length]);
        return g.node("DequantizeLinear", List.of(name, s, z), attr("axis", 0L));
    }

    private static boolean nhwc(JsonNode a) {
        String f = a.has("data_format") ? text(a.path("data_format")) : "NHWC";
        return !f.equals("NCHW");
    }

    private static String padding(JsonNode a, String name) throws IOException {
        String p = text(a.path("padding"));
        return switch (p) {
            case "VALID" -> "VALID";
            case "SAME" -> "SAME_UPPER";
            default -> throw new IOException(name + ": padding " + p + " is not supported");
        };
    }

    /** A TF attribute string, base64 in model.json. */
    private static String text(JsonNode attr) {
        return new String(Base64.getDecoder().decode(attr.path("s").asText("")), StandardCharsets.UTF_8);
    }

    private static long[] longs(JsonNode listAttr) {
        List<Long> v = new ArrayList<>();
        for (JsonNode x : listAttr.path("list").path("i")) {
            v.add(x.asLong());
        }
        return v.isEmpty() ? new long[] {1, 1, 1, 1} : v.stream().mapToLong(Long::longValue).toArray();
    }

    private static long[] spatial(long[] four, boolean nhwc) {
        return nhwc ? new long[] {four[1], four[2]} : new long[] {four[2], four[3]};
    }

    private String tensor(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Nhwc k) {
            return turned.computeIfAbsent(k.nchw(), t -> g.node("Transpose", List.of(t), attrInts("perm", TO_NHWC)));
        }
        Const c = (Const) v;
        String n = g.fresh("const");
        if (c.f != null) {
            g.floats(n, c.shape, c.f);
        } else {
            g.longs(n, c.shape, c.i);
        }
        return n;
    }

    /**
     * Grid sides and cell counts of the exported (square) input size, as they are at the wanted one:
     * the input side over a stride (8 to 64), twice in a row for H then W, or its square.
     */
    private long[] sized(long[] dims) {
        if (width <= 0 || (width == trained && height == trained)) {
            return dims;
        }
        long[] out = dims.clone();
        for (int i = 0; i < out.length; i++) {
            for (long k = 1; k <= 64; k *= 2) {
                if (trained % k != 0 || width % k != 0 || height % k != 0) {
                    continue;
                }
                long a = trained / k;
                if (dims[i] == a && i + 1 < dims.length && dims[i + 1] == a) {
                    out[i] = height / k;
                    out[++i] = width / k;
                    break;
                }
                if (dims[i] == a) {
                    if (width != height) {
                        throw new IllegalArgumentException("a lone grid side " + a + " in " + Arrays.toString(dims)
                                + ": is it the height or the width?");
                    }
                    out[i] = width / k;
                    break;
                }
                if (dims[i] == a * a) {
                    out[i] = (height / k) * (width / k);
                    break;
                }
            }
        }
        return out;
    }

    private static long[] ints(Object v, String node) throws IOException {
        if (v instanceof Const c && c.i != null) {
            return c.i;
        }
        throw new IOException(node + ": expected an integer constant");
    }

    private static Const sparseToDense(String name, List<Object> in) throws IOException {
        if (!(in.get(0) instanceof Const idx) || idx.size() != 0 || !(in.get(1) instanceof Const shape)
                || !(in.get(3) instanceof Const dflt)) {
            throw new IOException("SparseToDense " + name + ": only the constant form with no indices is supported");
        }
        int n = 1;
        for (long d : shape.i) {
            n *= (int) d;
        }
        if (dflt.f != null) {
            float[] f = new float[n];
            Arrays.fill(f, dflt.f[0]);
            return new Const(shape.i.clone(), f, null);
        }
        long[] i = new long[n];
        Arrays.fill(i, dflt.i[0]);
        return new Const(shape.i.clone(), null, i);
    }

    private static Const addConst(String name, Const x, Const y) throws IOException {
        if (!Arrays.equals(x.shape, y.shape) || (x.f == null) != (y.f == null)) {
            throw new IOException("Add " + name + ": constants of different shapes or types");
        }
        if (x.f != null) {
            float[] f = new float[x.f.length];
            for (int k = 0; k < f.length; k++) {
                f[k] = x.f[k] + y.f[k];
            }
            return new Const(x.shape, f, null);
        }
        long[] i = new long[x.i.length];
        for (int k = 0; k < i.length; k++) {
            i[k] = x.i[k] + y.i[k];
        }
        return new Const(x.shape, null, i);
    }

    private static Map<String, Const> readWeights(JsonNode model, byte[] bin) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bin).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Const> out = new HashMap<>();
        for (JsonNode group : model.path("weightsManifest")) {
            for (JsonNode w : group.path("weights")) {
                String name = w.path("name").asText();
                long[] shape = new long[w.path("shape").size()];
                int n = 1;
                for (int k = 0; k < shape.length; k++) {
                    shape[k] = w.path("shape").get(k).asLong();
                    n *= (int) shape[k];
                }
                String dtype = w.path("dtype").asText();
                String quant = w.path("quantization").path("dtype").asText("");
                try {
                    if (dtype.equals("float32")) {
                        float[] f = new float[n];
                        for (int k = 0; k < n; k++) {
                            f[k] = switch (quant) {
                                case "" -> b.getFloat();
                                case "float16" -> halfToFloat(b.getShort());
                                default -> throw new IOException("weight " + name + ": quantization " + quant + " is not supported");
                            };
                        }
                        out.put(name, new Const(shape, f, null));
                    } else if (dtype.equals("int32") && quant.isEmpty()) {
                        long[] i = new long[n];
                        for (int k = 0; k < n; k++) {
                            i[k] = b.getInt();
                        }
                        out.put(name, new Const(shape, null, i));
                    } else {
                        throw new IOException("weight " + name + ": type " + dtype + " is not supported");
                    }
                } catch (java.nio.BufferUnderflowException e) {
                    throw new IOException("weight file ends before weight " + name);
                }
            }
        }
        if (b.hasRemaining()) {
            throw new IOException("weight file has " + b.remaining() + " bytes more than the manifest describes");
        }
        return out;
    }

    /** IEEE 754 half precision to float. */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mant / 1024f / 16384f;   // subnormal: mant x 2^-24
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
