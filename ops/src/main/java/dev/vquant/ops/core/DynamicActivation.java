package dev.vquant.ops.core;

import dev.vquant.engine.DType;
import dev.vquant.engine.QParams;
import dev.vquant.engine.QParamsCalculator;
import dev.vquant.engine.spi.KernelBackend;

/**
 * Per-call quantization of a float32 activation for dynamically quantized operators: quint8
 * affine parameters from the batch's min and max with PyTorch's MinMaxObserver numerics
 * ({@link QParamsCalculator}), then the
 * engine's quantize kernel. {@code reduceRange} maps to 0..127 (fbgemm's 7-bit activations).
 */
public final class DynamicActivation {
    private DynamicActivation() {
    }

    /** Per-tensor quint8 parameters chosen for one call. */
    public record Params(float scale, int zeroPoint) {
    }

    private static final QParamsCalculator FULL = QParamsCalculator.of(DType.QUINT8, QParamsCalculator.Scheme.AFFINE, false);
    private static final QParamsCalculator REDUCED = QParamsCalculator.of(DType.QUINT8, QParamsCalculator.Scheme.AFFINE, true);

    /**
     * MinMaxObserver's qparams ({@link QParamsCalculator}, quint8 affine) for {@code x[off, off+len)}.
     *
     * @throws IllegalArgumentException naming {@code op} when the data holds NaN or infinity
     */
    public static Params choose(String op, float[] x, int off, int len, boolean reduceRange) {
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
        QParams.PerTensor q = (reduceRange ? REDUCED : FULL).perTensor(min, max);
        return new Params((float) q.scale(), q.zeroPoint());
    }

    /** Quantizes {@code x[0, len)} into {@code q} with the engine's kernel, in parallel for large inputs. */
    public static void quantize(KernelBackend engine, float[] x, int len, Params p, byte[] q, int threads) {
        int t = len < (1 << 16) ? 1 : threads;
        Parallel.forRange(len, t, 4096, (s, e) ->
                engine.quantize().quantize(x, s, q, s, e - s, p.scale(), p.zeroPoint(), DType.QUINT8));
    }
}
