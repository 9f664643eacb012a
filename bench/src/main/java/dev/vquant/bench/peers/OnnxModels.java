package dev.vquant.bench.peers;

import com.google.protobuf.ByteString;
import dev.vquant.bench.peers.onnx.OnnxModel.AttributeProto;
import dev.vquant.bench.peers.onnx.OnnxModel.GraphProto;
import dev.vquant.bench.peers.onnx.OnnxModel.ModelProto;
import dev.vquant.bench.peers.onnx.OnnxModel.NodeProto;
import dev.vquant.bench.peers.onnx.OnnxModel.OperatorSetIdProto;
import dev.vquant.bench.peers.onnx.OnnxModel.TensorProto;
import dev.vquant.bench.peers.onnx.OnnxModel.TensorProto.DataType;
import dev.vquant.bench.peers.onnx.OnnxModel.TensorShapeProto;
import dev.vquant.bench.peers.onnx.OnnxModel.TypeProto;
import dev.vquant.bench.peers.onnx.OnnxModel.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One-node ONNX models, serialized with the protobuf classes generated from
 * {@code src/main/proto/onnx_model.proto}: one input {@code X}, one output {@code Y}, everything
 * else an initializer. Standard operators come from opset {@value #OPSET}; ONNX Runtime's
 * contrib operators (DynamicQuantizeMatMul, NHWC QLinearConv) from its {@code com.microsoft} domain.
 * Weights are given as vquant holds them ({@code W[n][k]}, {@code W[co][ci/g][kh][kw]}); the
 * transposes ONNX's MatMul family wants happen here.
 */
final class OnnxModels {
    static final int OPSET = 13;
    private static final int IR_VERSION = 7;
    private static final String MICROSOFT = "com.microsoft";

    private OnnxModels() {
    }

    /** {@code Gemm(X[m][k], W[n][k], B, transB=1)}, float. */
    static byte[] gemm(int m, int k, int n, float[] w, float[] bias) {
        NodeProto node = node("Gemm", "", List.of("X", "W", "B")).addAttribute(intAttr("transB", 1)).build();
        return model(node, value("X", DataType.FLOAT, m, k), value("Y", DataType.FLOAT, m, n),
                List.of(floats("W", w, n, k), floats("B", bias, n)));
    }

    /** {@code MatMulInteger(X[m][k] quint8, W^T qint8, xZeroPoint)}: exact int32. */
    static byte[] matMulInteger(int m, int k, int n, byte[] w, int xZeroPoint) {
        NodeProto node = node("MatMulInteger", "", List.of("X", "W", "xzp")).build();
        return model(node, value("X", DataType.UINT8, m, k), value("Y", DataType.INT32, m, n),
                List.of(bytes("W", DataType.INT8, PeerData.transpose(w, n, k), k, n), uint8Scalar("xzp", xZeroPoint)));
    }

    /** {@code QLinearMatMul}: quint8 x qint8 (per tensor, zero point 0) to quint8, no bias. */
    static byte[] qLinearMatMul(int m, int k, int n, byte[] w, double xScale, int xZeroPoint, double wScale, double yScale,
                                int yZeroPoint) {
        NodeProto node = node("QLinearMatMul", "", List.of("X", "xs", "xzp", "W", "ws", "wzp", "ys", "yzp")).build();
        return model(node, value("X", DataType.UINT8, m, k), value("Y", DataType.UINT8, m, n),
                List.of(floatScalar("xs", xScale), uint8Scalar("xzp", xZeroPoint),
                        bytes("W", DataType.INT8, PeerData.transpose(w, n, k), k, n), floatScalar("ws", wScale),
                        bytes("wzp", DataType.INT8, new byte[1]), floatScalar("ys", yScale), uint8Scalar("yzp", yZeroPoint)));
    }

    /**
     * ONNX Runtime's {@code DynamicQuantizeMatMul}: float input quantized per call to quint8, qint8
     * weights (per tensor, zero point 0), float bias, float output.
     */
    static byte[] dynamicQuantizeMatMul(int m, int k, int n, byte[] w, double wScale, float[] bias) {
        NodeProto node = node("DynamicQuantizeMatMul", MICROSOFT, List.of("X", "W", "ws", "wzp", "B")).build();
        return model(node, value("X", DataType.FLOAT, m, k), value("Y", DataType.FLOAT, m, n),
                List.of(bytes("W", DataType.INT8, PeerData.transpose(w, n, k), k, n), floatScalar("ws", wScale),
                        bytes("wzp", DataType.INT8, new byte[1]), floats("B", bias, n)));
    }

    /** {@code Conv} on NCHW float, ONNX's own layout. */
    static byte[] conv(PeerShape.Conv c, float[] w, float[] bias) {
        int o = c.outSize();
        NodeProto node = convAttributes(node("Conv", "", List.of("X", "W", "B")), c).build();
        return model(node, value("X", DataType.FLOAT, 1, c.channelsIn(), c.size(), c.size()),
                value("Y", DataType.FLOAT, 1, c.channelsOut(), o, o),
                List.of(floats("W", w, c.channelsOut(), c.channelsIn() / c.groups(), c.kernel(), c.kernel()),
                        floats("B", bias, c.channelsOut())));
    }

    /**
     * ONNX Runtime's NHWC {@code QLinearConv} ({@code com.microsoft}, {@code channels_last=1}, what
     * its NHWC transformer runs for an NCHW model, without the transposes around it): quint8 input,
     * qint8 weights (per tensor, zero point 0), int32 bias in units of {@code xScale * wScale}.
     */
    static byte[] qLinearConvNhwc(PeerShape.Conv c, byte[] w, double xScale, int xZeroPoint, double wScale, double yScale,
                                  int yZeroPoint, int[] bias) {
        int o = c.outSize();
        NodeProto node = convAttributes(node("QLinearConv", MICROSOFT,
                List.of("X", "xs", "xzp", "W", "ws", "wzp", "ys", "yzp", "B")), c)
                .addAttribute(intAttr("channels_last", 1)).build();
        return model(node, value("X", DataType.UINT8, 1, c.size(), c.size(), c.channelsIn()),
                value("Y", DataType.UINT8, 1, o, o, c.channelsOut()),
                List.of(floatScalar("xs", xScale), uint8Scalar("xzp", xZeroPoint),
                        bytes("W", DataType.INT8, w, c.channelsOut(), c.channelsIn() / c.groups(), c.kernel(), c.kernel()),
                        floatScalar("ws", wScale), bytes("wzp", DataType.INT8, new byte[1]), floatScalar("ys", yScale),
                        uint8Scalar("yzp", yZeroPoint), ints("B", bias, c.channelsOut())));
    }

    private static NodeProto.Builder convAttributes(NodeProto.Builder node, PeerShape.Conv c) {
        long p = c.kernel() / 2;
        return node.addAttribute(intsAttr("kernel_shape", c.kernel(), c.kernel()))
                .addAttribute(intsAttr("strides", c.stride(), c.stride()))
                .addAttribute(intsAttr("pads", p, p, p, p))
                .addAttribute(intAttr("group", c.groups()));
    }

    private static NodeProto.Builder node(String op, String domain, List<String> inputs) {
        return NodeProto.newBuilder().setOpType(op).setDomain(domain).setName(op).addAllInput(inputs).addOutput("Y");
    }

    private static byte[] model(NodeProto node, ValueInfoProto input, ValueInfoProto output, List<TensorProto> initializers) {
        GraphProto graph = GraphProto.newBuilder().setName(node.getOpType()).addNode(node).addInput(input)
                .addOutput(output).addAllInitializer(initializers).build();
        ModelProto.Builder model = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("vquant peers")
                .setGraph(graph).addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
        if (node.getDomain().equals(MICROSOFT)) {
            model.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MICROSOFT).setVersion(1));
        }
        return model.build().toByteArray();
    }

    private static ValueInfoProto value(String name, DataType type, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }

    private static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto intsAttr(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    /** A tensor from its little-endian element bytes; no dims means a scalar. */
    private static TensorProto bytes(String name, DataType type, byte[] raw, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(raw));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static TensorProto floats(String name, float[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return bytes(name, DataType.FLOAT, b.array(), dims);
    }

    private static TensorProto ints(String name, int[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(v);
        return bytes(name, DataType.INT32, b.array(), dims);
    }

    private static TensorProto floatScalar(String name, double v) {
        return floats(name, new float[] {(float) v});
    }

    private static TensorProto uint8Scalar(String name, int v) {
        return bytes(name, DataType.UINT8, new byte[] {(byte) v});
    }
}
