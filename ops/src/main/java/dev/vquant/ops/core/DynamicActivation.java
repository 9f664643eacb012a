package dev.vquant.ops.core;

import dev.vquant.engine.DType;
import dev.vquant.engine.spi.KernelBackend;

/**
 * Per-call quantization of a float32 activation for dynamically quantized operators: quint8
 * affine parameters from the batch's min and max with PyTorch's MinMaxObserver numerics, then the
 * engine's quantize kernel. {@code reduceRange} maps to 0..127 (fbgemm's 7-bit activations).
 */
public final class DynamicActivation {
    private DynamicActivation() {
    }

    /** Per-tensor quint8 parameters chosen for one call. */
    public record Params(float scale, int zeroPoint) {
    }

    /**
     * MinMaxObserver's qparams for {@code x[off, off+len)}: the range is widened to include 0,
     * {@code scale = f32(max - min) / f32(qmax - qmin)} (at least float32 epsilon),
     * {@code zp = clamp(qmin - rint_half_even(min / scale), qmin, qmax)}.
     *
     * @throws IllegalArgumentException naming {@code op} when the data holds NaN or infinity
     */
    public static Params choose(String op, float[] x, int off, int len, boolean reduceRange) {
        float min = 0f;
        float max = 0f;
        for (int i = off; i < off + len; i++) {
            float v = x[i];
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (!Float.isFinite(min) || !Float.isFinite(max)) {
            throw new IllegalArgumentException(op + ": expected finite input values, got a range [" + min + ", " + max + "]");
        }
        int qmax = reduceRange ? 127 : 255;
        float scale = (max - min) / (float) qmax;
        scale = Math.max(scale, Math.ulp(1.0f));
        int zp = (int) Math.max(0, Math.min(qmax, 0 - Math.rint(min / scale)));
        return new Params(scale, zp);
    }

    /** Quantizes {@code x[0, len)} into {@code q} with the engine's kernel, in parallel for large inputs. */
    public static void quantize(KernelBackend engine, float[] x, int len, Params p, byte[] q, int threads) {
        int t = len < (1 << 16) ? 1 : threads;
        Parallel.forRange(len, t, 4096, (s, e) ->
                engine.quantize().quantize(x, s, q, s, e - s, p.scale(), p.zeroPoint(), DType.QUINT8));
    }
}
