package io.safegrid.analytics.video.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A TF.js graph written by the test (NHWC input, Pad, a 3x3 Conv2D with float16 weights, bias,
 * LeakyRelu, Transpose to NCHW), converted and run by ONNX Runtime, against values worked out by hand.
 */
class TfjsToOnnxTest {
    static final ObjectMapper JSON = new ObjectMapper();

    final ObjectNode model = JSON.createObjectNode();
    final ArrayNode nodes = model.putObject("modelTopology").putArray("node");
    final ArrayNode weights = model.putArray("weightsManifest").addObject().putArray("weights");
    final ByteArrayOutputStream bin = new ByteArrayOutputStream();

    ObjectNode node(String name, String op, String... inputs) {
        ObjectNode n = nodes.addObject().put("name", name).put("op", op);
        ArrayNode in = n.putArray("input");
        for (String i : inputs) {
            in.add(i);
        }
        n.putObject("attr");
        return n;
    }

    void weight(String name, String dtype, boolean half, int[] shape, ByteBuffer data) {
        node(name, "Const");
        ObjectNode w = weights.addObject().put("name", name).put("dtype", dtype);
        ArrayNode s = w.putArray("shape");
        for (int d : shape) {
            s.add(d);
        }
        if (half) {
            w.putObject("quantization").put("dtype", "float16").put("original_dtype", "float32");
        }
        bin.write(data.array(), 0, data.position());
    }

    void ints(String name, int[] shape, int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        weight(name, "int32", false, shape, b);
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }

    byte[] build() throws Exception {
        return build(false);
    }

    /**
     * @param nchw the input in NCHW, padded in NCHW and turned to NHWC for the convolution and back, as
     *             graphs exported from PyTorch through ONNX and TF are; else NHWC throughout
     */
    byte[] build(boolean nchw) throws Exception {
        ObjectNode ph = node("x", "Placeholder");
        ArrayNode dims = ((ObjectNode) ph.get("attr")).putObject("shape").putObject("shape").putArray("dim");
        for (int d : nchw ? new int[] {1, 2, 4, 4} : new int[] {1, 4, 4, 2}) {
            dims.addObject().put("size", Integer.toString(d));
        }
        // 3x3x2x1 filter of 0.5 (float16 0x3800), bias -5 (float32)
        ByteBuffer f = ByteBuffer.allocate(2 * 18).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 18; i++) {
            f.putShort((short) 0x3800);
        }
        weight("filter", "float32", true, new int[] {3, 3, 2, 1}, f);
        ByteBuffer bias = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(-5f);
        weight("bias", "float32", false, new int[] {1}, bias);
        ints("paddings", new int[] {4, 2}, nchw ? new int[] {0, 0, 0, 0, 1, 1, 1, 1} : new int[] {0, 0, 1, 1, 1, 1, 0, 0});
        ints("perm", new int[] {4}, 0, 3, 1, 2);
        node("pad", "Pad", "x", "paddings");
        if (nchw) {
            ints("toNhwc", new int[] {4}, 0, 2, 3, 1);
            node("padT", "Transpose", "pad", "toNhwc");
        }
        ObjectNode conv = node("conv", "Conv2D", nchw ? "padT" : "pad", "filter");
        ObjectNode a = (ObjectNode) conv.get("attr");
        a.putObject("padding").put("s", b64("VALID"));
        a.putObject("data_format").put("s", b64("NHWC"));
        a.putObject("strides").putObject("list").putArray("i").add("1").add("1").add("1").add("1");
        node("biased", "Add", "conv", "bias");
        if (nchw) {
            node("back", "Transpose", "biased", "perm");
        }
        ObjectNode leaky = node("leaky", "LeakyRelu", nchw ? "back" : "biased");
        ((ObjectNode) leaky.get("attr")).putObject("alpha").put("f", 0.1);
        if (nchw) {
            node("Identity", "Identity", "leaky");
        } else {
            node("nchw", "Transpose", "leaky", "perm");
            node("Identity", "Identity", "nchw");
        }
        ObjectNode outs = model.putObject("signature").putObject("outputs");
        ArrayNode od = outs.putObject("Identity:0").put("name", "Identity:0").putObject("tensorShape").putArray("dim");
        for (int d : new int[] {1, 1, 4, 4}) {
            od.addObject().put("size", Integer.toString(d));
        }
        model.with("signature").putObject("inputs").putObject("x:0").put("name", "x:0");
        return JSON.writeValueAsBytes(model);
    }

    @Test
    void aPaddedConvolutionWithHalfPrecisionWeightsRunsAsTensorFlowWould() throws Exception {
        byte[] onnx = TfjsToOnnx.convert(build(), bin.toByteArray());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] ones = new float[32];
        java.util.Arrays.fill(ones, 1f);
        try (OrtSession s = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(ones), new long[] {1, 4, 4, 2});
             OrtSession.Result r = s.run(Map.of("x", in))) {
            OnnxTensor out = (OnnxTensor) r.get("Identity").orElseThrow();
            assertThat(out.getInfo().getShape()).containsExactly(1, 1, 4, 4);
            float[] v = new float[16];
            out.getFloatBuffer().get(v);
            // each output sums 0.5 x (inputs under the 3x3 window, 2 channels) - 5:
            // corners see 4 pixels (-1, LeakyRelu -0.1), edges 6 (1), the middle 9 (4)
            float[] expected = {-0.1f, 1, 1, -0.1f, 1, 4, 4, 1, 1, 4, 4, 1, -0.1f, 1, 1, -0.1f};
            assertThat(v).containsExactly(expected, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    /** Each picture's convolution, worked out by hand for an input of ones (see above). */
    static final float[] EXPECTED = {-0.1f, 1, 1, -0.1f, 1, 4, 4, 1, 1, 4, 4, 1, -0.1f, 1, 1, -0.1f};

    static float[] run(byte[] onnx, long... shape) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] ones = new float[32];
        java.util.Arrays.fill(ones, 1f);
        try (OrtSession s = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(ones), shape);
             OrtSession.Result r = s.run(Map.of("x", in), java.util.Set.of("Identity"))) {
            float[] v = new float[16];
            ((OnnxTensor) r.get("Identity").orElseThrow()).getFloatBuffer().get(v);
            return v;
        }
    }

    /** The operator types of an ONNX model, in order (ModelProto.graph = 7, GraphProto.node = 1, NodeProto.op_type = 4). */
    static List<String> ops(byte[] onnx) throws Exception {
        List<String> ops = new java.util.ArrayList<>();
        com.google.protobuf.CodedInputStream model = com.google.protobuf.CodedInputStream.newInstance(onnx);
        for (int tag = model.readTag(); tag != 0; tag = model.readTag()) {
            if (tag >>> 3 != 7) {
                model.skipField(tag);
                continue;
            }
            com.google.protobuf.CodedInputStream graph = model.readBytes().newCodedInput();
            for (int t = graph.readTag(); t != 0; t = graph.readTag()) {
                if (t >>> 3 != 1) {
                    graph.skipField(t);
                    continue;
                }
                com.google.protobuf.CodedInputStream node = graph.readBytes().newCodedInput();
                for (int n = node.readTag(); n != 0; n = node.readTag()) {
                    if (n >>> 3 == 4) {
                        ops.add(node.readStringRequireUtf8());
                    } else {
                        node.skipField(n);
                    }
                }
            }
        }
        return ops;
    }

    @Test
    void nhwcOperatorsWrappedInTransposesBecomeOnePlainNchwConvolution() throws Exception {
        byte[] onnx = TfjsToOnnx.convert(build(true), bin.toByteArray());
        // the pad, the transposes and the bias add all go into the one Conv
        assertThat(ops(onnx)).containsExactly("Conv", "LeakyRelu", "Identity");
        assertThat(run(onnx, 1, 2, 4, 4)).containsExactly(EXPECTED, org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void int8ConvolutionsAreMeasuredThenQuantizedAndStayCloseToFloat() throws Exception {
        byte[] json = build(true);
        byte[] probe = TfjsToOnnx.convert(json, bin.toByteArray(), 0, Int8.PROBE);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] ones = new float[32];
        java.util.Arrays.fill(ones, 1f);
        float[][] ranges;
        try (OrtSession s = env.createSession(probe, new OrtSession.SessionOptions());
             OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(ones), new long[] {1, 2, 4, 4});
             OrtSession.Result r = s.run(Map.of("x", in))) {
            // the input, the convolution and the LeakyRelu are measured
            assertThat(s.getOutputNames()).contains("act__0", "act__1", "act__2");
            ranges = new float[3][];
            for (int k = 0; k < 3; k++) {
                float[] v = new float[(int) ((OnnxTensor) r.get("act__" + k).orElseThrow()).getInfo().getNumElements()];
                ((OnnxTensor) r.get("act__" + k).orElseThrow()).getFloatBuffer().get(v);
                float lo = Float.MAX_VALUE;
                float hi = -Float.MAX_VALUE;
                for (float f : v) {
                    lo = Math.min(lo, f);
                    hi = Math.max(hi, f);
                }
                ranges[k] = new float[] {lo, hi};
            }
        }
        assertThat(ranges[1]).containsExactly(-1f, 4f);
        byte[] int8 = TfjsToOnnx.convert(json, bin.toByteArray(), 0, Int8.ranges(ranges));
        assertThat(ops(int8)).contains("QuantizeLinear", "DequantizeLinear", "Conv").doesNotContain("Transpose", "Pad");
        // one step of the widest range (5 / 255) is the error allowed
        assertThat(run(int8, 1, 2, 4, 4)).containsExactly(EXPECTED, org.assertj.core.data.Offset.offset(0.02f));
    }

    @Test
    void anOperatorItDoesNotKnowIsNamedInTheError() throws Exception {
        build();
        node("odd", "Einsum", "x");
        model.with("signature").putObject("outputs").putObject("odd:0").put("name", "odd:0");
        assertThatThrownBy(() -> TfjsToOnnx.convert(JSON.writeValueAsBytes(model), bin.toByteArray()))
                .hasMessageContaining("Einsum").hasMessageContaining("not supported");
    }

    @Test
    void halfPrecisionDecodesNormalSubnormalAndInfinity() {
        assertThat(TfjsToOnnx.halfToFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(TfjsToOnnx.halfToFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(TfjsToOnnx.halfToFloat((short) 0x0001)).isEqualTo((float) Math.pow(2, -24));
        assertThat(TfjsToOnnx.halfToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(List.of(TfjsToOnnx.halfToFloat((short) 0x7bff))).containsExactly(65504f);
    }
}
