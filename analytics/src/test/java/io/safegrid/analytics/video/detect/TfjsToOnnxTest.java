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
        ObjectNode ph = node("x", "Placeholder");
        ArrayNode dims = ((ObjectNode) ph.get("attr")).putObject("shape").putObject("shape").putArray("dim");
        for (int d : new int[] {1, 4, 4, 2}) {
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
        ints("paddings", new int[] {4, 2}, 0, 0, 1, 1, 1, 1, 0, 0);
        ints("perm", new int[] {4}, 0, 3, 1, 2);
        node("pad", "Pad", "x", "paddings");
        ObjectNode conv = node("conv", "Conv2D", "pad", "filter");
        ObjectNode a = (ObjectNode) conv.get("attr");
        a.putObject("padding").put("s", b64("VALID"));
        a.putObject("data_format").put("s", b64("NHWC"));
        a.putObject("strides").putObject("list").putArray("i").add("1").add("1").add("1").add("1");
        node("biased", "Add", "conv", "bias");
        ObjectNode leaky = node("leaky", "LeakyRelu", "biased");
        ((ObjectNode) leaky.get("attr")).putObject("alpha").put("f", 0.1);
        node("nchw", "Transpose", "leaky", "perm");
        node("Identity", "Identity", "nchw");
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
