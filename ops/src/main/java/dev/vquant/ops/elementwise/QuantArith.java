package dev.vquant.ops.elementwise;

/**
 * The float32 arithmetic of ATen's quantized elementwise CPU kernels (PyTorch's fbgemm / x86 /
 * onednn engines), shared by the elementwise operators. ATen runs each such kernel through
 * {@code cpu_kernel_vec}: a vector loop over blocks of {@link #ATEN_VECTOR_BLOCK} elements, then
 * a scalar loop over the rest, and the two loops round differently:
 * <ul>
 * <li>vector dequantize: {@code fma(scale, f32(q), premul)} with {@code premul = f32(scale * -zp)}
 * (one rounding); scalar dequantize: {@code f32(q - zp) * scale};</li>
 * <li>quantize (both): {@code clamp(rint_half_even(x * invScale) + zp, 0, 255)}, the vector loop
 * with the reciprocal its kernel passes, the scalar loop with {@code 1.0f / f32(scale)}.</li>
 * </ul>
 * The block is two AVX-512 {@code Vectorized<quint8>} (2 x 64 elements): the build the golden
 * cases were computed with (an AVX2 build of PyTorch splits at 2 x 32). ATen splits a tensor of
 * more than 32768 elements over its threads and each chunk has its own scalar tail; vquant keeps
 * the single-chunk split, whatever its own thread count, so results do not depend on threads.
 */
final class QuantArith {
    /** Elements per iteration of ATen's {@code cpu_kernel_vec} vector loop on AVX-512. */
    static final int ATEN_VECTOR_BLOCK = 128;

    private QuantArith() {
    }

    /** The first index ATen's scalar tail loop handles in a tensor of {@code n} elements. */
    static int atenVectorEnd(int n) {
        return n - n % ATEN_VECTOR_BLOCK;
    }

    /** PyTorch's premultiplied zero point term {@code f32(scale * -zp)}. */
    static float premul(float scale, int zeroPoint) {
        return scale * (float) -zeroPoint;
    }

    /** The vector loops' dequantize, {@code fma(scale, f32(q), premul)}. */
    static float dequantize(int q, float scale, float premul) {
        return Math.fma(scale, (float) q, premul);
    }

    /** The scalar loops' dequantize ({@code at::native::dequantize_val}), {@code f32(q - zp) * scale}. */
    static float dequantizeScalar(int q, float scale, int zeroPoint) {
        return (float) (q - zeroPoint) * scale;
    }

    /** The scalar loops' output reciprocal ({@code quantize_val}): {@code 1.0f / f32(scale)}. */
    static float scalarInverse(double scale) {
        return 1.0f / (float) scale;
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
