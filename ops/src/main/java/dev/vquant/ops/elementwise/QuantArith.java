package dev.vquant.ops.elementwise;

/**
 * The float32 arithmetic PyTorch's vectorized CPU kernels (x86, AVX2/AVX-512 {@code Vectorized<quint8>})
 * use on quantized elements, shared by the elementwise operators:
 * <ul>
 * <li>dequantize: {@code fma(scale, f32(q), premul)} with {@code premul = f32(scale * -zp)}
 * (one rounding; PyTorch's scalar tail loop computes {@code f32(q - zp) * scale} instead, which
 * can differ in the last bit);</li>
 * <li>quantize: {@code clamp(rint_half_even(x * invScale) + zp, 0, 255)} with the caller's
 * float32 reciprocal of the output scale.</li>
 * </ul>
 */
final class QuantArith {
    private QuantArith() {
    }

    /** PyTorch's premultiplied zero point term {@code f32(scale * -zp)}. */
    static float premul(float scale, int zeroPoint) {
        return scale * (float) -zeroPoint;
    }

    static float dequantize(int q, float scale, float premul) {
        return Math.fma(scale, (float) q, premul);
    }

    static int quantize(float x, float invScale, int zeroPoint) {
        float r = (float) Math.rint(x * invScale) + zeroPoint;
        // clamp in float first: NaN maps to 0 like an out-of-range conversion, huge values saturate
        if (!(r >= 0f)) {
            return 0;
        }
        return r >= 255f ? 255 : (int) r;
    }
}
