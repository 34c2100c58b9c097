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
 * Identity, and SparseToDense with no indices (a constant, folded away). TF's NHWC operators are
 * wrapped in transposes to ONNX's NCHW; ONNX Runtime's optimizer removes the pairs that cancel.
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

    private final Map<String, JsonNode> nodes = new HashMap<>();
    private final Map<String, Const> weights;
    private final Map<String, Object> done = new HashMap<>();   // tensor name -> Const or ONNX tensor name
    private final OnnxGraph g = new OnnxGraph();
    private final long trained;
    private final long side;

    private TfjsToOnnx(JsonNode model, Map<String, Const> weights, long side) {
        this.side = side;
        long[] in = side <= 0 ? new long[0] : dims(model.path("signature").path("inputs").elements().next());
        this.trained = in.length == 0 ? side : in[in.length - 1];
        for (JsonNode n : model.path("modelTopology").path("node")) {
            nodes.put(n.path("name").asText(), n);
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
        JsonNode model = new ObjectMapper().readTree(modelJson);
        TfjsToOnnx c = new TfjsToOnnx(model, readWeights(model, bin), side);
        for (var e : iterable(model.path("signature").path("inputs").fields())) {
            c.resolve(strip(e.getKey()));
        }
        List<String> outs = new ArrayList<>();
        model.path("signature").path("outputs").fieldNames().forEachRemaining(n -> outs.add(strip(n)));
        outs.sort(null);
        for (String o : outs) {
            Object v = c.resolve(o);
            if (!(v instanceof String t)) {
                throw new IOException("output " + o + " is a constant");
            }
            c.g.node("Identity", List.of(t), List.of(o));
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
            done.put(name, name);
            return;
        }
        if (op.equals("Conv2D")) {
            done.put(name, conv(n));
            return;
        }
        List<Object> in = inputs(n);
        switch (op) {
            case "Identity" -> done.put(name, in.get(0));
            case "SparseToDense" -> done.put(name, sparseToDense(name, in));
            case "Add", "AddV2" -> {
                if (in.get(0) instanceof Const x && in.get(1) instanceof Const y) {
                    done.put(name, addConst(name, x, y));
                } else {
                    done.put(name, g.node("Add", List.of(tensor(in.get(0)), tensor(in.get(1)))));
                }
            }
            case "Transpose" -> done.put(name, g.node("Transpose", List.of(tensor(in.get(0))),
                    attrInts("perm", ints(in.get(1), name))));
            case "LeakyRelu" -> done.put(name, g.node("LeakyRelu", List.of(tensor(in.get(0))),
                    attr("alpha", (float) a.path("alpha").path("f").asDouble(0.2))));
            case "Sigmoid" -> done.put(name, g.node("Sigmoid", List.of(tensor(in.get(0)))));
            case "Reshape" -> done.put(name, g.node("Reshape", List.of(tensor(in.get(0)), g.longs(sized(ints(in.get(1), name))))));
            case "ConcatV2" -> {
                List<String> parts = new ArrayList<>();
                for (int i = 0; i < in.size() - 1; i++) {
                    parts.add(tensor(in.get(i)));
                }
                done.put(name, g.node("Concat", parts, attr("axis", ints(in.get(in.size() - 1), name)[0])));
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
            case "MaxPool" -> {
                boolean nhwc = nhwc(a);
                long[] k = longs(a.path("ksize"));
                long[] s = longs(a.path("strides"));
                String x = nhwc ? g.node("Transpose", List.of(tensor(in.get(0))), attrInts("perm", TO_NCHW)) : tensor(in.get(0));
                String y = g.node("MaxPool", List.of(x), attrInts("kernel_shape", spatial(k, nhwc)),
                        attrInts("strides", spatial(s, nhwc)), attr("auto_pad", padding(a, name)));
                done.put(name, nhwc ? g.node("Transpose", List.of(y), attrInts("perm", TO_NHWC)) : y);
            }
            case "ResizeBilinear" -> {
                boolean align = a.path("align_corners").path("b").asBoolean(false);
                boolean half = a.path("half_pixel_centers").path("b").asBoolean(false);
                String mode = align ? "align_corners" : half ? "half_pixel" : "asymmetric";
                // TF resizes NHWC's H and W; the sizes ONNX wants name all four axes, N and C taken from x
                String x = tensor(in.get(0));
                String shape = g.node("Shape", List.of(x));
                String n0 = g.node("Slice", List.of(shape, g.longs(0), g.longs(1)));
                String c3 = g.node("Slice", List.of(shape, g.longs(3), g.longs(4)));
                String sizes = g.node("Concat", List.of(n0, g.longs(sized(ints(in.get(1), name))), c3), attr("axis", 0L));
                done.put(name, g.node("Resize", List.of(x, "", "", sizes),
                        attr("mode", "linear"), attr("coordinate_transformation_mode", mode)));
            }
            case "SplitV" -> {
                long[] sizes = ints(in.get(1), name);
                long axis = ints(in.get(2), name)[0];
                if (Arrays.stream(sizes).anyMatch(s -> s < 0)) {
                    throw new IOException("SplitV " + name + ": sizes of -1 are not supported");
                }
                List<String> outs = new ArrayList<>();
                for (int i = 0; i < sizes.length; i++) {
                    String o = g.fresh("split");
                    outs.add(o);
                    done.put(i == 0 ? name : name + ":" + i, o);
                }
                done.put(name + ":0", outs.get(0));
                g.node("Split", List.of(tensor(in.get(0)), g.longs(sizes)), outs, attr("axis", axis));
            }
            default -> throw new IOException("operator " + op + " (node " + name + ") is not supported");
        }
    }

    /**
     * A Conv2D; a zero Pad of its input's spatial axes (alone, or before a Transpose) becomes the
     * convolution's own padding, so ONNX Runtime can chain the convolutions in its blocked layout
     * instead of reordering around every Pad (about a third of a pass on NanoDet).
     */
    private String conv(JsonNode n) throws IOException {
        String name = n.path("name").asText();
        JsonNode a = n.path("attr");
        String inRef = n.path("input").get(0).asText();
        if (!(resolve(n.path("input").get(1).asText()) instanceof Const filter) || filter.f == null || filter.shape.length != 4) {
            throw new IOException("Conv2D " + name + ": filter is not a 4-D float constant");
        }
        boolean nhwc = nhwc(a);
        long[] pads = {0, 0, 0, 0};
        String x = null;
        JsonNode src = nodes.get(inRef);
        long[] perm = {0, 1, 2, 3};
        JsonNode pad = src;
        if (src != null && src.path("op").asText().equals("Transpose") && !inRef.contains(":")) {
            Object p = resolve(src.path("input").get(1).asText());
            perm = p instanceof Const c && c.i != null && c.i.length == 4 ? c.i : null;
            pad = perm == null ? null : nodes.get(src.path("input").get(0).asText());
        }
        if (pad != null && pad.path("op").asText().equals("Pad") && text(a.path("padding")).equals("VALID")
                && resolve(pad.path("input").get(1).asText()) instanceof Const pc && pc.i != null && pc.i.length == 8) {
            // padding of conv-input axis d is that of the Pad's axis perm[d]
            int h = (int) perm[nhwc ? 1 : 2];
            int w = (int) perm[nhwc ? 2 : 3];
            int batch = (int) perm[0];
            int chan = (int) perm[nhwc ? 3 : 1];
            if (pc.i[2 * batch] == 0 && pc.i[2 * batch + 1] == 0 && pc.i[2 * chan] == 0 && pc.i[2 * chan + 1] == 0) {
                pads = new long[] {pc.i[2 * h], pc.i[2 * w], pc.i[2 * h + 1], pc.i[2 * w + 1]};
                String unpadded = tensor(resolve(pad.path("input").get(0).asText()));
                x = src == pad ? unpadded : g.node("Transpose", List.of(unpadded), attrInts("perm", perm));
            }
        }
        if (x == null) {
            pads = null;
            x = tensor(resolve(inRef));
        }
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
        String wName = g.fresh("w");
        g.floats(wName, new long[] {co, ci, kh, kw}, w);
        String in = nhwc ? g.node("Transpose", List.of(x), attrInts("perm", TO_NCHW)) : x;
        byte[] padding = pads == null ? attr("auto_pad", padding(a, name)) : attrInts("pads", pads);
        String y = g.node("Conv", List.of(in, wName), attrInts("strides", spatial(longs(a.path("strides")), nhwc)),
                attrInts("dilations", spatial(longs(a.path("dilations")), nhwc)), padding);
        return nhwc ? g.node("Transpose", List.of(y), attrInts("perm", TO_NHWC)) : y;
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
     * Grid sides and cell counts of the exported input size, as they are at the wanted one: the input
     * side over a stride (8 to 64), or its square.
     */
    private long[] sized(long[] dims) {
        if (side <= 0 || side == trained) {
            return dims;
        }
        long[] out = dims.clone();
        for (int i = 0; i < out.length; i++) {
            for (long k = 1; k <= 64; k *= 2) {
                if (trained % k == 0 && side % k == 0) {
                    long a = trained / k;
                    if (out[i] == a) {
                        out[i] = side / k;
                        break;
                    }
                    if (out[i] == a * a) {
                        out[i] = (side / k) * (side / k);
                        break;
                    }
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
