package dev.vquant.bench.peers;

import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QTensor;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.engine.spi.QGemmKernels;
import dev.vquant.ops.conv.FloatConv2d;
import dev.vquant.ops.conv.QConv2d;
import dev.vquant.ops.core.GemmSplit;
import dev.vquant.ops.linear.DynamicQLinear;
import dev.vquant.ops.linear.FloatLinear;
import dev.vquant.ops.linear.QLinear;

import java.util.function.Supplier;

/**
 * vquant's side of every comparison, built once per case from the same arrays the peer gets:
 * the public operators of the ops module (their threading, per-call allocation and activation
 * quantization included) and, where the peer returns raw int32 accumulators, the engine's int8
 * GEMM split over threads as the operators split it. Weights are qint8 per tensor
 * ({@link PeerData#W_SCALE}, zero point 0), activations quint8 ({@link PeerData#X_SCALE},
 * {@link PeerData#X_ZERO_POINT}).
 */
final class VquantSide {
    private VquantSide() {
    }

    /** One call and the output of the last call. */
    record Run<T>(Runnable call, Supplier<T> output) {
    }

    /** {@link FloatLinear} on {@code W = dequantized(w)}. */
    static Run<float[]> floatLinear(KernelBackend e, int threads, PeerShape.Linear s, float[] w, float[] bias, float[] x) {
        FloatLinear op = FloatLinear.builder(FloatTensor.of(w, s.n(), s.k())).bias(bias).threads(threads).engine(e).build();
        FloatTensor in = FloatTensor.of(x, s.m(), s.k());
        Object[] last = new Object[1];
        return new Run<>(() -> last[0] = op.forward(in, e), () -> ((FloatTensor) last[0]).data());
    }

    /** The engine's exact int32 GEMM ({@code gemmInt32}) into a preallocated output. */
    static Run<int[]> gemmInt32(KernelBackend e, int threads, PeerShape.Linear s, byte[] w, byte[] x, int xZeroPoint) {
        QGemmKernels q = e.qgemm();
        PackedQGemmWeights packed = q.pack(w, s.n(), s.k(), new int[] {0});
        int m = s.m();
        int k = s.k();
        int n = s.n();
        int[] out = new int[m * n];
        return new Run<>(() -> GemmSplit.run(m, n, k, threads, (rs, re, cs, ce) ->
                q.gemmInt32(x, rs * k, k, re - rs, xZeroPoint, packed, cs, ce, out, rs * n, n)), () -> out);
    }

    /** {@link QLinear} with an optional float bias (null for none), output {@code (yScale, Y_ZERO_POINT)}. */
    static Run<byte[]> qLinear(KernelBackend e, int threads, PeerShape.Linear s, byte[] w, float[] bias, byte[] x,
                               double yScale) {
        QLinear op = QLinear.builder(weight(w, s.n(), s.k())).bias(bias).output(yScale, PeerData.Y_ZERO_POINT)
                .threads(threads).engine(e).build();
        QTensor in = activation(x, s.m(), s.k());
        Object[] last = new Object[1];
        return new Run<>(() -> last[0] = op.forward(in, e), () -> ((QTensor) last[0]).bytes());
    }

    /** {@link DynamicQLinear} with full-range (0..255) activations, as ONNX Runtime quantizes them. */
    static Run<float[]> dynamicQLinear(KernelBackend e, int threads, PeerShape.Linear s, byte[] w, float[] bias, float[] x) {
        DynamicQLinear op = DynamicQLinear.builder(weight(w, s.n(), s.k())).bias(bias).reduceRange(false).threads(threads)
                .engine(e).build();
        FloatTensor in = FloatTensor.of(x, s.m(), s.k());
        Object[] last = new Object[1];
        return new Run<>(() -> last[0] = op.forward(in, e), () -> ((FloatTensor) last[0]).data());
    }

    /** {@link FloatConv2d} on an NHWC input. */
    static Run<float[]> floatConv(KernelBackend e, int threads, PeerShape.Conv c, float[] w, float[] bias, float[] xNhwc) {
        FloatConv2d op = FloatConv2d.builder(FloatTensor.of(w, c.channelsOut(), c.channelsIn() / c.groups(), c.kernel(), c.kernel()),
                geometry(c)).groups(c.groups()).bias(bias).threads(threads).engine(e).build();
        FloatTensor in = FloatTensor.of(xNhwc, 1, c.size(), c.size(), c.channelsIn());
        Object[] last = new Object[1];
        return new Run<>(() -> last[0] = op.forward(in, e), () -> ((FloatTensor) last[0]).data());
    }

    /** {@link QConv2d} on an NHWC quint8 input, float bias, output {@code (yScale, Y_ZERO_POINT)}. */
    static Run<byte[]> qConv(KernelBackend e, int threads, PeerShape.Conv c, byte[] w, float[] bias, byte[] xNhwc,
                             double yScale) {
        QConv2d op = QConv2d.builder(weight(w, c.channelsOut(), c.channelsIn() / c.groups(), c.kernel(), c.kernel()),
                geometry(c)).groups(c.groups()).bias(bias).output(yScale, PeerData.Y_ZERO_POINT).threads(threads).engine(e)
                .build();
        QTensor in = activation(xNhwc, 1, c.size(), c.size(), c.channelsIn());
        Object[] last = new Object[1];
        return new Run<>(() -> last[0] = op.forward(in, e), () -> ((QTensor) last[0]).bytes());
    }

    private static ConvGeometry geometry(PeerShape.Conv c) {
        return ConvGeometry.square(c.kernel(), c.stride(), c.kernel() / 2);
    }

    private static QTensor weight(byte[] w, int... shape) {
        return QTensor.of(w, shape, QParams.perTensor(PeerData.W_SCALE, 0, DType.QINT8));
    }

    private static QTensor activation(byte[] x, int... shape) {
        return QTensor.of(x, shape, QParams.perTensor(PeerData.X_SCALE, PeerData.X_ZERO_POINT, DType.QUINT8));
    }
}
