package dev.vquant.ops.math;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

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
 * Vectorized float32 exp, sigmoid, tanh and GELU on the Vector API at the machine's preferred
 * width ({@link #SPECIES}, a constant of this class), for the float operators (softmax, GELU, the
 * LSTM's gates). Each function equals its scalar twin in {@link ScalarMath} bit for bit (same
 * algorithm, operation for operation), and has the accuracy documented there.
 *
 * <p>Two levels: whole-array functions ({@code exp(in, inOffset, out, outOffset, length)}, the
 * tail done by the twin; {@code in == out} with equal offsets is allowed) and per-vector functions
 * ({@link #exp(FloatVector)} ...) for kernels that fuse them into their own loops. The per-vector
 * functions take vectors of {@link #SPECIES} only. All are pure and thread-safe.
 *
 * <p>Speed depends on C2 inlining everything into the caller's loop; when it does not (a callee
 * already compiled into a big method, or NodeCountInliningCutoff), vectors are boxed and a
 * function runs ~100x slower. The forms here were chosen because they inline (no masks or
 * float-to-int conversions, one exp per function); a caller fusing several of them into one loop
 * should check {@code -XX:+PrintInlining}. Measured (AVX-512, 16 lanes, one JVM, 4096 elements,
 * {@code VectorMathTiming}): exp 0.31, sigmoid 0.37, tanh 0.30, GELU 0.54 ns per element, 11.7x
 * to 12.9x their scalar twins.
 */
public final class VectorMath {
    /** The species every function here computes in: the preferred float species, fixed for the JVM's life. */
    public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Lanes of {@link #SPECIES}. */
    public static final int LANES = SPECIES.length();

    // constants as static final scalars, so C2 folds and hoists their broadcasts
    private static final float E2 = EXP_C[0];
    private static final float E3 = EXP_C[1];
    private static final float E4 = EXP_C[2];
    private static final float E5 = EXP_C[3];
    private static final float E6 = EXP_C[4];
    private static final float E7 = EXP_C[5];
    private static final float A1 = AS_A[0];
    private static final float A2 = AS_A[1];
    private static final float A3 = AS_A[2];
    private static final float A4 = AS_A[3];
    private static final float A5 = AS_A[4];
    private static final int SIGN = 0x80000000;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    private static final int MAGNITUDE = 0x7fffffff;

    static {
        if (EXP_C.length != 6 || AS_A.length != 5) {
            throw new AssertionError("VectorMath unrolls the coefficient tables of MathConstants; update both");
        }
    }

    private VectorMath() {
    }

    /**
     * e^x per lane (see {@link ScalarMath#exp}).
     *
     * @param x the arguments, one per lane
     * @return e^x per lane
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_LO).min(EXP_HI);
        FloatVector shifted = xc.mul(LOG2E).add(ROUND);
        FloatVector k = shifted.sub(ROUND);
        FloatVector r = fma(k, -LN2_HI, xc);
        r = fma(k, -LN2_LO, r);
        FloatVector p = fma(taylorTail(r), r, 1f);
        p = fma(p, r, 1f);
        // k's integer value sits in the low mantissa bits of k + 1.5*2^23: no float->int conversion needed
        IntVector n = shifted.reinterpretAsInts().sub(ROUND_BITS);
        IntVector n1 = n.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = n.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /**
     * {@code 1 / (1 + e^-x)} per lane (see {@link ScalarMath#sigmoid}).
     *
     * @param x the arguments, one per lane
     * @return the logistic function per lane
     */
    public static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(SPECIES, 1f).div(exp(x.neg()).add(1f));
    }

    /**
     * tanh per lane (see {@link ScalarMath#tanh}).
     *
     * @param x the arguments, one per lane
     * @return tanh per lane
     */
    public static FloatVector tanh(FloatVector x) {
        FloatVector y = x.abs().min(TANH_HI).mul(2f);
        FloatVector shifted = y.mul(LOG2E).add(ROUND);
        FloatVector k = shifted.sub(ROUND);
        FloatVector r = fma(k, -LN2_HI, y);
        r = fma(k, -LN2_LO, r);
        FloatVector q = fma(r.mul(r), taylorTail(r), r);
        FloatVector s = shifted.reinterpretAsInts().sub(ROUND_BITS).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector em1 = fma(s, q, s.sub(1f));
        return withSignOf(em1.div(em1.add(2f)), x);
    }

    /**
     * GELU, {@code x/2 (1 + erf(x/sqrt 2))}, per lane (see {@link ScalarMath#gelu}).
     *
     * @param x the arguments, one per lane
     * @return GELU (erf form) per lane
     */
    public static FloatVector gelu(FloatVector x) {
        FloatVector z = x.abs().mul(SQRT1_2);
        FloatVector t = FloatVector.broadcast(SPECIES, 1f).div(fma(z, AS_P, 1f));
        FloatVector q = fma(t, A5, A4);
        q = fma(q, t, A3);
        q = fma(q, t, A2);
        q = fma(q, t, A1);
        FloatVector h = t.mul(q).mul(exp(z.mul(z).neg())).mul(0.5f);
        return x.mul(h.neg().add(1f).blend(h, x.lt(0f)));
    }

    /**
     * GELU's tanh form per lane (see {@link ScalarMath#geluTanh}).
     *
     * @param x the arguments, one per lane
     * @return GELU (tanh form) per lane
     */
    public static FloatVector geluTanh(FloatVector x) {
        FloatVector inner = x.mul(GELU_KAPPA).mul(x).fma(x, x).mul(GELU_BETA);
        return x.mul(0.5f).mul(tanh(inner).add(1f));
    }

    /** {@code (e^r - 1 - r) / r^2}: the Taylor terms 1/2! ... 1/7! in Horner form (ScalarMath's {@code horner(r, EXP_C)}). */
    private static FloatVector taylorTail(FloatVector r) {
        FloatVector p = fma(r, E7, E6);
        p = fma(p, r, E5);
        p = fma(p, r, E4);
        p = fma(p, r, E3);
        return fma(p, r, E2);
    }

    /** {@code a * b + c}, fused (Math.fma per lane); the overloads broadcast a float operand. */
    private static FloatVector fma(FloatVector a, FloatVector b, FloatVector c) {
        return a.fma(b, c);
    }

    private static FloatVector fma(FloatVector a, FloatVector b, float c) {
        return a.fma(b, FloatVector.broadcast(SPECIES, c));
    }

    private static FloatVector fma(FloatVector a, float b, FloatVector c) {
        return a.fma(FloatVector.broadcast(SPECIES, b), c);
    }

    private static FloatVector fma(FloatVector a, float b, float c) {
        return a.fma(b, c);
    }

    /** {@code |r|} with the sign bit of {@code s} (Math.copySign per lane). */
    private static FloatVector withSignOf(FloatVector r, FloatVector s) {
        return r.reinterpretAsInts().and(MAGNITUDE).or(s.reinterpretAsInts().and(SIGN)).reinterpretAsFloats();
    }

    // One loop per function, not one loop over a function argument: a shared helper called with
    // different lambdas stops inlining once it has seen several (the profile-pollution trap of DESIGN.md 4).

    /**
     * {@code out[outOffset + i] = e^in[inOffset + i]} for {@code i < length}.
     *
     * @param in        the arguments
     * @param inOffset  the first argument
     * @param out       receives the results
     * @param outOffset the first result
     * @param length    the element count
     * @throws IllegalArgumentException for a null array, a negative offset or length, or a range past an array's end
     */
    public static void exp(float[] in, int inOffset, float[] out, int outOffset, int length) {
        checkRange("exp", in, inOffset, out, outOffset, length);
        int i = 0;
        for (int bound = SPECIES.loopBound(length); i < bound; i += LANES) {
            exp(FloatVector.fromArray(SPECIES, in, inOffset + i)).intoArray(out, outOffset + i);
        }
        for (; i < length; i++) {
            out[outOffset + i] = ScalarMath.exp(in[inOffset + i]);
        }
    }

    /**
     * Sigmoid over a range, as {@link #exp(float[], int, float[], int, int)}.
     *
     * @param in        the arguments
     * @param inOffset  the first argument
     * @param out       receives the results
     * @param outOffset the first result
     * @param length    the element count
     * @throws IllegalArgumentException as {@link #exp(float[], int, float[], int, int)}
     */
    public static void sigmoid(float[] in, int inOffset, float[] out, int outOffset, int length) {
        checkRange("sigmoid", in, inOffset, out, outOffset, length);
        int i = 0;
        for (int bound = SPECIES.loopBound(length); i < bound; i += LANES) {
            sigmoid(FloatVector.fromArray(SPECIES, in, inOffset + i)).intoArray(out, outOffset + i);
        }
        for (; i < length; i++) {
            out[outOffset + i] = ScalarMath.sigmoid(in[inOffset + i]);
        }
    }

    /**
     * tanh over a range, as {@link #exp(float[], int, float[], int, int)}.
     *
     * @param in        the arguments
     * @param inOffset  the first argument
     * @param out       receives the results
     * @param outOffset the first result
     * @param length    the element count
     * @throws IllegalArgumentException as {@link #exp(float[], int, float[], int, int)}
     */
    public static void tanh(float[] in, int inOffset, float[] out, int outOffset, int length) {
        checkRange("tanh", in, inOffset, out, outOffset, length);
        int i = 0;
        for (int bound = SPECIES.loopBound(length); i < bound; i += LANES) {
            tanh(FloatVector.fromArray(SPECIES, in, inOffset + i)).intoArray(out, outOffset + i);
        }
        for (; i < length; i++) {
            out[outOffset + i] = ScalarMath.tanh(in[inOffset + i]);
        }
    }

    /**
     * GELU (erf form) over a range, as {@link #exp(float[], int, float[], int, int)}.
     *
     * @param in        the arguments
     * @param inOffset  the first argument
     * @param out       receives the results
     * @param outOffset the first result
     * @param length    the element count
     * @throws IllegalArgumentException as {@link #exp(float[], int, float[], int, int)}
     */
    public static void gelu(float[] in, int inOffset, float[] out, int outOffset, int length) {
        checkRange("gelu", in, inOffset, out, outOffset, length);
        int i = 0;
        for (int bound = SPECIES.loopBound(length); i < bound; i += LANES) {
            gelu(FloatVector.fromArray(SPECIES, in, inOffset + i)).intoArray(out, outOffset + i);
        }
        for (; i < length; i++) {
            out[outOffset + i] = ScalarMath.gelu(in[inOffset + i]);
        }
    }

    /**
     * GELU (tanh form) over a range, as {@link #exp(float[], int, float[], int, int)}.
     *
     * @param in        the arguments
     * @param inOffset  the first argument
     * @param out       receives the results
     * @param outOffset the first result
     * @param length    the element count
     * @throws IllegalArgumentException as {@link #exp(float[], int, float[], int, int)}
     */
    public static void geluTanh(float[] in, int inOffset, float[] out, int outOffset, int length) {
        checkRange("geluTanh", in, inOffset, out, outOffset, length);
        int i = 0;
        for (int bound = SPECIES.loopBound(length); i < bound; i += LANES) {
            geluTanh(FloatVector.fromArray(SPECIES, in, inOffset + i)).intoArray(out, outOffset + i);
        }
        for (; i < length; i++) {
            out[outOffset + i] = ScalarMath.geluTanh(in[inOffset + i]);
        }
    }

    static void checkRange(String op, float[] in, int inOffset, float[] out, int outOffset, int length) {
        if (in == null || out == null) {
            throw new IllegalArgumentException(op + ": null " + (in == null ? "input" : "output") + " array");
        }
        if (length < 0 || inOffset < 0 || outOffset < 0 || (long) inOffset + length > in.length
                || (long) outOffset + length > out.length) {
            throw new IllegalArgumentException(op + ": range of " + length + " elements at input offset " + inOffset
                    + " and output offset " + outOffset + " does not fit arrays of " + in.length + " and " + out.length);
        }
    }
}
