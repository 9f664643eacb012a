package dev.vquant.ops.math;

import static dev.vquant.ops.math.MathConstants.AS_A;
import static dev.vquant.ops.math.MathConstants.AS_P;
import static dev.vquant.ops.math.MathConstants.EXP_C;
import static dev.vquant.ops.math.MathConstants.EXP_HI;
import static dev.vquant.ops.math.MathConstants.EXP_LO;
import static dev.vquant.ops.math.MathConstants.GELU_BETA;
import static dev.vquant.ops.math.MathConstants.GELU_KAPPA;
import static dev.vquant.ops.math.MathConstants.LN2_HI;
import static dev.vquant.ops.math.MathConstants.LN2_LO;
import static dev.vquant.ops.math.MathConstants.LOG2E;
import static dev.vquant.ops.math.MathConstants.ROUND;
import static dev.vquant.ops.math.MathConstants.SQRT1_2;
import static dev.vquant.ops.math.MathConstants.TANH_HI;

/**
 * The scalar twins of {@link VectorMath}: the same float32 algorithms, operation for operation
 * (same constants, same fused multiply-adds, same order), so each vector function equals its twin
 * bit for bit on every input (the property tests prove it over random lengths with tails). Also
 * the tail loop of the vector functions and a fast scalar float32 math for any caller.
 *
 * <p>Accuracy against the correctly rounded float of the exact function (float64 {@code Math}),
 * measured by the property tests over normal and extreme arguments:
 * <ul>
 *   <li>{@link #exp}: at most 2 ulps; 0 below -103.97, +inf above 88.72, NaN for NaN.</li>
 *   <li>{@link #sigmoid}: at most 3 ulps for x >= -87.3 (PyTorch's form {@code 1/(1 + e^-x)}, so below
 *       -88.72, where e^-x overflows, it is 0 as PyTorch's float sigmoid, not the subnormal value); NaN for NaN.</li>
 *   <li>{@link #tanh}: at most 3 ulps; odd, {@code tanh(-0) = -0}.</li>
 *   <li>{@link #gelu}: {@code |err| <= 3 ulp(gelu(x)) + 3e-7 |x|} (the second term is the absolute
 *       error of Abramowitz and Stegun's erfc 7.1.26 evaluated in float32, which dominates for
 *       negative x where gelu is small; PyTorch's own vectorized GELU has the same kind of error there);
 *       {@code gelu(+inf) = +inf}, {@code gelu(-inf) = NaN} as PyTorch's formula.</li>
 *   <li>{@link #geluTanh}: {@code |err| <= 4 ulp + 1.2e-7 |x|} against the exact tanh form.</li>
 * </ul>
 * All functions are pure and thread-safe.
 */
public final class ScalarMath {
    private ScalarMath() {
    }

    /**
     * e^x in float32, by range reduction {@code x = k ln2 + r}, a degree-7 polynomial and a two-step scaling by 2^k.
     *
     * @param x the argument
     * @return e^x in float32
     */
    public static float exp(float x) {
        float xc = Math.min(Math.max(x, EXP_LO), EXP_HI);
        float shifted = xc * LOG2E + ROUND;
        float k = shifted - ROUND;
        float r = Math.fma(k, -LN2_HI, xc);
        r = Math.fma(k, -LN2_LO, r);
        float p = Math.fma(horner(r, EXP_C), r, 1f);
        p = Math.fma(p, r, 1f);
        int n = Float.floatToRawIntBits(shifted) - Float.floatToRawIntBits(ROUND); // k as an int (exact for |k| < 2^22)
        int n1 = n >> 1;
        int n2 = n - n1;
        // two factors so that 2^k for k in [-150, 128] never leaves the normal range: one rounding, at the end
        return p * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
    }

    /**
     * {@code 1 / (1 + e^-x)}.
     *
     * @param x the argument
     * @return the logistic function of {@code x}
     */
    public static float sigmoid(float x) {
        return 1f / (exp(-x) + 1f);
    }

    /**
     * tanh(x) as {@code e/(e + 2)} with {@code e = expm1(2|x|)}, sign restored: expm1 by the same
     * range reduction as {@link #exp}, {@code 2^k (e^r - 1) + (2^k - 1)} with {@code e^r - 1}
     * evaluated without its leading 1, so small arguments lose nothing to cancellation.
     *
     * @param x the argument
     * @return tanh(x), odd in {@code x}
     */
    public static float tanh(float x) {
        float y = Math.min(Math.abs(x), TANH_HI) * 2f;
        float shifted = y * LOG2E + ROUND;
        float k = shifted - ROUND;
        float r = Math.fma(k, -LN2_HI, y);
        r = Math.fma(k, -LN2_LO, r);
        float q = Math.fma(r * r, horner(r, EXP_C), r);
        int n = Float.floatToRawIntBits(shifted) - Float.floatToRawIntBits(ROUND);
        float s = Float.intBitsToFloat((n + 127) << 23);
        float em1 = Math.fma(s, q, s - 1f);
        return Math.copySign(em1 / (em1 + 2f), x);
    }

    /** {@code c[0] + x (c[1] + x (c[2] + ...))}, each step one fused multiply-add from the highest coefficient down. */
    private static float horner(float x, float[] c) {
        float p = c[c.length - 1];
        for (int i = c.length - 2; i >= 0; i--) {
            p = Math.fma(p, x, c[i]);
        }
        return p;
    }

    /**
     * GELU, PyTorch's default ({@code approximate='none'}): {@code x Phi(x) = x/2 (1 + erf(x/sqrt 2))},
     * computed as {@code x (1 - h)} for {@code x >= 0} and {@code x h} below, with
     * {@code h = erfc(|x|/sqrt 2)/2} from Abramowitz and Stegun 7.1.26, so negative arguments never
     * subtract nearly equal numbers.
     *
     * @param x the argument
     * @return GELU(x), erf form
     */
    public static float gelu(float x) {
        float z = Math.abs(x) * SQRT1_2;
        float t = 1f / Math.fma(AS_P, z, 1f);
        float h = 0.5f * (t * horner(t, AS_A) * exp(-(z * z)));
        return x * (x < 0f ? h : 1f - h);
    }

    /**
     * GELU's tanh form ({@code approximate='tanh'}): {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}.
     *
     * @param x the argument
     * @return GELU(x), tanh form
     */
    public static float geluTanh(float x) {
        float inner = GELU_BETA * Math.fma(GELU_KAPPA * x * x, x, x);
        return 0.5f * x * (1f + tanh(inner));
    }
}
