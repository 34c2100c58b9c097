package io.safegrid.analytics.video.detect;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds an ONNX model (the {@code ModelProto} bytes ONNX Runtime loads) from nodes, weights and
 * the graph's inputs and outputs. Only what a feed-forward vision model needs: float and int64
 * tensors, int/float/string/ints attributes. Field numbers are those of the public onnx.proto.
 */
public final class OnnxGraph {
    /** ONNX element types. */
    public static final int FLOAT = 1;
    public static final int UINT8 = 2;
    public static final int INT8 = 3;
    public static final int INT32 = 6;
    public static final int INT64 = 7;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private int counter;

    /** A fresh tensor name with the given stem. */
    public String fresh(String stem) {
        return stem + "__" + (counter++);
    }

    /** One operator. */
    public void node(String op, List<String> in, List<String> out, byte[]... attributes) {
        nodes.add(message(o -> {
            for (String s : in) {
                o.writeString(1, s);
            }
            for (String s : out) {
                o.writeString(2, s);
            }
            o.writeString(3, fresh(op));
            o.writeString(4, op);
            for (byte[] a : attributes) {
                o.writeByteArray(5, a);
            }
        }));
    }

    /** One operator with one output, named afresh; returns that name. */
    public String node(String op, List<String> in, byte[]... attributes) {
        String out = fresh(op);
        node(op, in, List.of(out), attributes);
        return out;
    }

    public void floats(String name, long[] dims, float[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        initializers.add(tensor(name, dims, FLOAT, b.array()));
    }

    public void longs(String name, long[] dims, long[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(data);
        initializers.add(tensor(name, dims, INT64, b.array()));
    }

    /** A weight of 8- or 32-bit integers ({@link #INT8}, {@link #UINT8}, {@link #INT32}). */
    public void ints(String name, int type, long[] dims, int[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length * (type == INT32 ? 4 : 1)).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : data) {
            if (type == INT32) {
                b.putInt(v);
            } else {
                b.put((byte) v);
            }
        }
        initializers.add(tensor(name, dims, type, b.array()));
    }

    /** A 1-D int64 weight named afresh. */
    public String longs(long... data) {
        String n = fresh("i64");
        longs(n, new long[] {data.length}, data);
        return n;
    }

    /** @param dims a negative size is a free (named) dimension */
    public void input(String name, int elemType, long... dims) {
        inputs.add(valueInfo(name, elemType, dims));
    }

    public void output(String name, int elemType, long... dims) {
        outputs.add(valueInfo(name, elemType, dims));
    }

    /** An output of any shape. */
    public void outputOfAnyShape(String name, int elemType) {
        outputs.add(valueInfo(name, elemType, null));
    }

    public static byte[] attr(String name, long value) {
        return message(o -> {
            o.writeString(1, name);
            o.writeInt64(3, value);
            o.writeEnum(20, 2);
        });
    }

    public static byte[] attr(String name, float value) {
        return message(o -> {
            o.writeString(1, name);
            o.writeFloat(2, value);
            o.writeEnum(20, 1);
        });
    }

    public static byte[] attr(String name, String value) {
        return message(o -> {
            o.writeString(1, name);
            o.writeByteArray(4, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            o.writeEnum(20, 3);
        });
    }

    public static byte[] attrInts(String name, long... values) {
        return message(o -> {
            o.writeString(1, name);
            for (long v : values) {
                o.writeInt64(8, v);
            }
            o.writeEnum(20, 7);
        });
    }

    /** The model: IR version 8, the default domain at {@code opset}. */
    public byte[] toModel(String graphName, int opset) {
        byte[] graph = message(o -> {
            for (byte[] n : nodes) {
                o.writeByteArray(1, n);
            }
            o.writeString(2, graphName);
            for (byte[] t : initializers) {
                o.writeByteArray(5, t);
            }
            for (byte[] i : inputs) {
                o.writeByteArray(11, i);
            }
            for (byte[] i : outputs) {
                o.writeByteArray(12, i);
            }
        });
        byte[] opsetId = message(o -> {
            o.writeString(1, "");
            o.writeInt64(2, opset);
        });
        return message(o -> {
            o.writeInt64(1, 8);
            o.writeString(2, "safegrid");
            o.writeByteArray(7, graph);
            o.writeByteArray(8, opsetId);
        });
    }

    private static byte[] tensor(String name, long[] dims, int type, byte[] raw) {
        return message(o -> {
            for (long d : dims) {
                o.writeInt64(1, d);
            }
            o.writeInt32(2, type);
            o.writeString(8, name);
            o.writeByteArray(9, raw);
        });
    }

    private static byte[] valueInfo(String name, int elemType, long[] dims) {
        byte[] shape = dims == null ? null : message(o -> {
            int free = 0;
            for (long d : dims) {
                long dim = d;
                int f = free++;
                o.writeByteArray(1, message(x -> {
                    if (dim >= 0) {
                        x.writeInt64(1, dim);
                    } else {
                        x.writeString(2, "d" + f);
                    }
                }));
            }
        });
        byte[] tensorType = message(o -> {
            o.writeInt32(1, elemType);
            if (dims != null) {
                o.writeByteArray(2, shape);
            }
        });
        return message(o -> {
            o.writeString(1, name);
            o.writeByteArray(2, message(x -> x.writeByteArray(1, tensorType)));
        });
    }

    private interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            body.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
