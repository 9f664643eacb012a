package dev.vquant.ops.core;

import dev.vquant.engine.DType;
import dev.vquant.engine.DynamicQParams;
import dev.vquant.engine.spi.KernelBackend;

/**
 * Per-call quantization of a float32 activation for dynamically quantized operators: quint8
 * affine parameters from the batch's min and max as PyTorch's {@code linear_dynamic} chooses them
 * ({@link DynamicQParams}: double-precision scale, zero point from the end with the smaller error;
 * not MinMaxObserver's float32 arithmetic), then the engine's quantize kernel. {@code reduceRange}
 * maps to 0..127 (fbgemm's 7-bit activations).
 */
public final class DynamicActivation {
    private DynamicActivation() {
    }

    /**
     * {@code linear_dynamic}'s quint8 qparams ({@link DynamicQParams}) for {@code x[off, off+len)};
     * an empty range counts as [0, 0], as FBGEMM's min/max search returns for no data.
     *
     * @param op          names the operator in the message
     * @param x             the float32 activation
     * @param off           the first element
     * @param len           the element count
     * @param reduceRange   whether to use 7-bit activations (0..127)
     * @return the chosen scale and zero point
     * @throws IllegalArgumentException naming {@code op} when the data holds NaN or infinity
     */
    public static DynamicQParams.Choice choose(String op, float[] x, int off, int len, boolean reduceRange) {
        long bits = chooseBits(op, x, off, len, reduceRange);
        return new DynamicQParams.Choice(DynamicQParams.scaleOf(bits), DynamicQParams.zeroPointOf(bits));
    }

    /**
     * {@link #choose} without the {@link DynamicQParams.Choice} object (packed as
     * {@link DynamicQParams#quint8Bits}), for operators that allocate nothing per call.
     *
     * @param op          names the operator in the message
     * @param x           the float32 activation
     * @param off         the first element
     * @param len         the element count
     * @param reduceRange whether to use 7-bit activations (0..127)
     * @return the chosen scale and zero point, packed ({@link DynamicQParams#scaleOf}, {@link DynamicQParams#zeroPointOf})
     * @throws IllegalArgumentException naming {@code op} when the data holds NaN or infinity
     */
    public static long chooseBits(String op, float[] x, int off, int len, boolean reduceRange) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + len; i++) {
            float v = x[i];
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (len > 0 && (!Float.isFinite(min) || !Float.isFinite(max))) {
            throw new IllegalArgumentException(op + ": expected finite input values, got a range [" + min + ", " + max + "]");
        }
        if (len == 0) {
            min = 0f;
            max = 0f;
        }
        return DynamicQParams.quint8Bits(min, max, reduceRange);
    }

    /**
     * Quantizes {@code x[0, len)} into {@code q} with the engine's kernel, in parallel for large inputs.
     *
     * @param engine  the kernel backend
     * @param x       the float32 activation
     * @param len     the element count
     * @param p       the qparams from {@link #choose}
     * @param q       receives the quint8 values, at least {@code len} long
     * @param threads the threads available
     */
    public static void quantize(KernelBackend engine, float[] x, int len, DynamicQParams.Choice p, byte[] q, int threads) {
        quantize(engine, x, len, p.scale(), p.zeroPoint(), q, threads);
    }

    /**
     * As {@link #quantize(KernelBackend, float[], int, DynamicQParams.Choice, byte[], int)} with the
     * qparams given as values ({@link #chooseBits}).
     *
     * @param engine    the kernel backend
     * @param x         the float32 activation
     * @param len       the element count
     * @param scale     the scale
     * @param zeroPoint the zero point
     * @param q         receives the quint8 values, at least {@code len} long
     * @param threads   the threads available
     */
    public static void quantize(KernelBackend engine, float[] x, int len, float scale, int zeroPoint, byte[] q, int threads) {
        int t = len < (1 << 16) ? 1 : threads;
        if (Parallel.inline(len, t, 4096)) { // one range: no capturing lambda per call
            engine.quantize().quantize(x, 0, q, 0, len, scale, zeroPoint, DType.QUINT8);
        } else {
            Parallel.forRange(len, t, 4096, (s, e) ->
                    engine.quantize().quantize(x, s, q, s, e - s, scale, zeroPoint, DType.QUINT8));
        }
    }
}
