package dev.vquant.bench.peers;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vquant.engine.spi.KernelBackend;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * ONNX Runtime (CPU execution provider, its MLAS kernels) on one-node models built in memory
 * ({@link OnnxModels}): float Gemm and Conv, int8 MatMulInteger, QLinearMatMul,
 * DynamicQuantizeMatMul and NHWC QLinearConv. Sessions run sequentially with
 * {@code threads} intra-op threads (no spinning, so an idle pool does not steal the other side's
 * core), all graph optimizations on; inputs and outputs are bound once to direct buffers, so a
 * timed call is one {@code session.run}.
 */
final class OrtPeer implements Peer {
    private final OrtEnvironment env;

    private OrtPeer(OrtEnvironment env) {
        this.env = env;
    }

    /**
     * Loads ONNX Runtime's native library.
     *
     * @throws PeerUnavailableException when it cannot be loaded here, with the reason
     */
    static OrtPeer load() throws PeerUnavailableException {
        try {
            return new OrtPeer(OrtEnvironment.getEnvironment());
        } catch (LinkageError | RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new PeerUnavailableException("ONNX Runtime's native library could not be loaded on "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ": " + root
                    + " (vquant.jar carries its Linux x64 and aarch64 builds; -Donnxruntime.native.path=DIR names"
                    + " a folder holding libonnxruntime and libonnxruntime4j_jni instead)", e);
        }
    }

    @Override
    public String name() {
        return "ort";
    }

    @Override
    public String description() {
        return "ONNX Runtime " + env.getVersion() + " (CPU)";
    }

    @Override
    public List<Comparison.Factory> comparisons(PeerShape shape, int threads, KernelBackend engine) {
        List<Comparison.Factory> out = new ArrayList<>();
        if (shape instanceof PeerShape.Linear s) {
            out.add(() -> gemm(s, threads, engine));
            out.add(() -> matMulInteger(s, threads, engine));
            out.add(() -> qLinearMatMul(s, threads, engine));
            out.add(() -> dynamicQuantizeMatMul(s, threads, engine));
        } else if (shape instanceof PeerShape.Conv c) {
            out.add(() -> conv(c, threads, engine));
            out.add(() -> qLinearConv(c, threads, engine));
        }
        return out;
    }

    private Comparison gemm(PeerShape.Linear s, int threads, KernelBackend e) throws OrtException {
        PeerData d = new PeerData(1);
        float[] w = PeerData.dequantized(d.int8(s.n() * s.k()));
        float[] bias = d.floats(s.n(), -0.5, 0.5);
        float[] x = d.floats(s.m() * s.k(), -2, 2);
        Bound b = bind(OnnxModels.gemm(s.m(), s.k(), s.n(), w, bias), threads, floats(x, s.m(), s.k()),
                floatOutput(s.m() * s.n(), s.m(), s.n()));
        VquantSide.Run<float[]> v = VquantSide.floatLinear(e, threads, s, w, bias, x);
        return b.comparison("Gemm", "FloatLinear", v, Agreement::floats, Bound::floats);
    }

    private Comparison matMulInteger(PeerShape.Linear s, int threads, KernelBackend e) throws OrtException {
        PeerData d = new PeerData(2);
        byte[] w = d.int8(s.n() * s.k());
        byte[] x = d.uint8(s.m() * s.k());
        Bound b = bind(OnnxModels.matMulInteger(s.m(), s.k(), s.n(), w, PeerData.X_ZERO_POINT), threads,
                uint8(x, s.m(), s.k()), intOutput(s.m() * s.n(), s.m(), s.n()));
        VquantSide.Run<int[]> v = VquantSide.gemmInt32(e, threads, s, w, x, PeerData.X_ZERO_POINT);
        return b.comparison("MatMulInteger", "gemmInt32", v, Agreement::ints, Bound::ints);
    }

    private Comparison qLinearMatMul(PeerShape.Linear s, int threads, KernelBackend e) throws OrtException {
        PeerData d = new PeerData(3);
        byte[] w = d.int8(s.n() * s.k());
        byte[] x = d.uint8(s.m() * s.k());
        double ys = PeerData.outScale(s.k());
        Bound b = bind(OnnxModels.qLinearMatMul(s.m(), s.k(), s.n(), w, PeerData.X_SCALE, PeerData.X_ZERO_POINT,
                PeerData.W_SCALE, ys, PeerData.Y_ZERO_POINT), threads, uint8(x, s.m(), s.k()),
                uint8Output(s.m() * s.n(), s.m(), s.n()));
        VquantSide.Run<byte[]> v = VquantSide.qLinear(e, threads, s, w, null, x, ys);
        return b.comparison("QLinearMatMul", "QLinear", v, Agreement::uint8, Bound::bytes);
    }

    private Comparison dynamicQuantizeMatMul(PeerShape.Linear s, int threads, KernelBackend e) throws OrtException {
        PeerData d = new PeerData(4);
        byte[] w = d.int8(s.n() * s.k());
        float[] bias = d.floats(s.n(), -0.5, 0.5);
        float[] x = d.floats(s.m() * s.k(), -2, 2);
        Bound b = bind(OnnxModels.dynamicQuantizeMatMul(s.m(), s.k(), s.n(), w, PeerData.W_SCALE, bias), threads,
                floats(x, s.m(), s.k()), floatOutput(s.m() * s.n(), s.m(), s.n()));
        VquantSide.Run<float[]> v = VquantSide.dynamicQLinear(e, threads, s, w, bias, x);
        return b.comparison("DynamicQuantizeMatMul", "DynamicQLinear", v, Agreement::floats, Bound::floats);
    }

    private Comparison conv(PeerShape.Conv c, int threads, KernelBackend e) throws OrtException {
        PeerData d = new PeerData(5);
        float[] w = PeerData.dequantized(d.int8(c.channelsOut() * c.reduction()));
        float[] bias = d.floats(c.channelsOut(), -0.5, 0.5);
        float[] x = d.floats(c.size() * c.size() * c.channelsIn(), -2, 2);
        int o = c.outSize();
        Bound b = bind(OnnxModels.conv(c, w, bias), threads,
                floats(PeerData.nhwcToNchw(x, c.size(), c.size(), c.channelsIn()), 1, c.channelsIn(), c.size(), c.size()),
                floatOutput(o * o * c.channelsOut(), 1, c.channelsOut(), o, o));
        VquantSide.Run<float[]> v = VquantSide.floatConv(e, threads, c, w, bias, x);
        // ONNX's Conv is NCHW: its output is compared in vquant's NHWC order
        return b.comparison("Conv", "FloatConv2d", v, Agreement::floats,
                bound -> PeerData.nchwToNhwc(bound.floats(), o, o, c.channelsOut()));
    }

    private Comparison qLinearConv(PeerShape.Conv c, int threads, KernelBackend e) throws OrtException {
        PeerData d = new PeerData(6);
        byte[] w = d.int8(c.channelsOut() * c.reduction());
        byte[] x = d.uint8(c.size() * c.size() * c.channelsIn());
        double ys = PeerData.outScale(c.reduction());
        // int32 bias in accumulator units for ORT; the same values as floats for vquant
        float accScale = (float) PeerData.X_SCALE * (float) PeerData.W_SCALE;
        int[] intBias = new int[c.channelsOut()];
        float[] bias = new float[c.channelsOut()];
        float[] f = d.floats(c.channelsOut(), -0.5, 0.5);
        for (int j = 0; j < intBias.length; j++) {
            intBias[j] = Math.round(f[j] / accScale);
            bias[j] = intBias[j] * accScale;
        }
        int o = c.outSize();
        Bound b = bind(OnnxModels.qLinearConvNhwc(c, w, PeerData.X_SCALE, PeerData.X_ZERO_POINT, PeerData.W_SCALE, ys,
                PeerData.Y_ZERO_POINT, intBias), threads, uint8(x, 1, c.size(), c.size(), c.channelsIn()),
                uint8Output(o * o * c.channelsOut(), 1, o, o, c.channelsOut()));
        VquantSide.Run<byte[]> v = VquantSide.qConv(e, threads, c, w, bias, x, ys);
        return b.comparison("QLinearConv(NHWC)", "QConv2d", v, Agreement::uint8, Bound::bytes);
    }

    // ---- sessions and bound tensors

    /** Tensor over a direct buffer, so that ORT reads or writes the buffer itself. */
    private record Tensor(OnnxTensor tensor, ByteBuffer buffer) {
    }

    private Tensor floats(float[] v, long... shape) throws OrtException {
        ByteBuffer b = direct(4 * v.length);
        b.asFloatBuffer().put(v);
        return new Tensor(OnnxTensor.createTensor(env, b.asFloatBuffer(), shape), b);
    }

    private Tensor uint8(byte[] v, long... shape) throws OrtException {
        ByteBuffer b = direct(v.length);
        b.put(v).rewind();
        return new Tensor(OnnxTensor.createTensor(env, b, shape, OnnxJavaType.UINT8), b);
    }

    private Tensor floatOutput(int n, long... shape) throws OrtException {
        ByteBuffer b = direct(4 * n);
        return new Tensor(OnnxTensor.createTensor(env, b.asFloatBuffer(), shape), b);
    }

    private Tensor intOutput(int n, long... shape) throws OrtException {
        ByteBuffer b = direct(4 * n);
        return new Tensor(OnnxTensor.createTensor(env, b.asIntBuffer(), shape), b);
    }

    private Tensor uint8Output(int n, long... shape) throws OrtException {
        ByteBuffer b = direct(n);
        return new Tensor(OnnxTensor.createTensor(env, b, shape, OnnxJavaType.UINT8), b);
    }

    private static ByteBuffer direct(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    private Bound bind(byte[] model, int threads, Tensor input, Tensor output) throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            so.setIntraOpNumThreads(threads);
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
            return new Bound(env.createSession(model, so), so, input, output);
        } catch (OrtException | RuntimeException ex) {
            so.close();
            input.tensor().close();
            output.tensor().close();
            throw ex;
        }
    }

    /** A session with its input and (pinned) output tensor. */
    private record Bound(OrtSession session, OrtSession.SessionOptions options, Tensor input, Tensor output)
            implements AutoCloseable {

        void run() {
            try (OrtSession.Result r = session.run(Map.of("X", input.tensor()), Map.of("Y", output.tensor()))) {
                if (r.size() != 1) {
                    throw new IllegalStateException("expected one output, got " + r.size());
                }
            } catch (OrtException ex) {
                throw new IllegalStateException("ONNX Runtime run failed: " + ex.getMessage(), ex);
            }
        }

        float[] floats() {
            float[] v = new float[output.buffer().capacity() / 4];
            output.buffer().asFloatBuffer().get(v);
            return v;
        }

        int[] ints() {
            int[] v = new int[output.buffer().capacity() / 4];
            output.buffer().asIntBuffer().get(v);
            return v;
        }

        byte[] bytes() {
            byte[] v = new byte[output.buffer().capacity()];
            output.buffer().duplicate().rewind().get(v);
            return v;
        }

        <T> Comparison comparison(String op, String vquantOp, VquantSide.Run<T> v,
                                  java.util.function.BiFunction<T, T, Agreement> agree, Function<Bound, T> read) {
            return new Comparison("ort:" + op, vquantOp, v.call(), this::run,
                    () -> agree.apply(v.output().get(), read.apply(this)), this);
        }

        @Override
        public void close() throws OrtException {
            try {
                session.close();
            } finally {
                options.close();
                input.tensor().close();
                output.tensor().close();
            }
        }
    }
}
