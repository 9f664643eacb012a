package dev.vquant.ops.elementwise;

import dev.vquant.engine.QParams;

/**
 * Quantized add / add_relu (PyTorch's {@code quantized::add}, {@code FloatFunctional.add} after
 * conversion) of two quint8 tensors of the same shape, requantized to the given output qparams
 * with the arithmetic of PyTorch's vectorized x86 kernel:
 * <pre>c = dq(a) + dq(b)  (ReLU: max(c, 0));  y = clamp(rint(c * f32(1.0f / f32(outScale))) + zOut, 0, 255)</pre>
 * where {@code dq} is {@link QuantArith}'s fma dequantize. PyTorch's scalar tail loop (the last
 * few elements of each parallel chunk) dequantizes without fma and the qnnpack engine uses its
 * own fixed-point add, so either may differ from this by one step at a rounding tie.
 * Immutable and thread-safe.
 */
public final class QAdd extends QuantizedBinary {

    /**
     * @param outScale     output scale
     * @param outZeroPoint output zero point (quint8)
     * @param relu         fuse a ReLU
     * @param threads      threads, 0 for {@link dev.vquant.ops.core.Threads#get()}
     * @throws IllegalArgumentException naming the operator for invalid output qparams or a negative
     *                                  thread count
     */
    public QAdd(double outScale, int outZeroPoint, boolean relu, int threads) {
        super("Add", outScale, outZeroPoint, relu, threads);
    }

    @Override
    void combine(byte[] x, QParams.PerTensor qa, byte[] y, QParams.PerTensor qb, byte[] out, int start, int end) {
        float sa = (float) qa.scale();
        float sb = (float) qb.scale();
        float pa = QuantArith.premul(sa, qa.zeroPoint());
        float pb = QuantArith.premul(sb, qb.zeroPoint());
        float inv = 1.0f / (float) outScale;
        for (int i = start; i < end; i++) {
            float c = QuantArith.dequantize(x[i] & 0xFF, sa, pa) + QuantArith.dequantize(y[i] & 0xFF, sb, pb);
            if (relu) {
                c = Math.max(c, 0f);
            }
            out[i] = (byte) QuantArith.quantize(c, inv, outZeroPoint);
        }
    }
}
