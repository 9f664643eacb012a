package dev.vquant.ops.math;

/**
 * The constants {@link VectorMath} and its scalar twin {@link ScalarMath} share, so both evaluate
 * the very same float32 expressions. The Taylor coefficients are computed here in float64 and
 * rounded once to float32.
 */
final class MathConstants {
    private MathConstants() {
    }

    /** exp's argument is clamped to [EXP_LO, EXP_HI]: below, the result rounds to 0; above, it overflows to +inf. */
    static final float EXP_LO = -104f;
    static final float EXP_HI = 89f;
    static final float LOG2E = (float) (1 / Math.log(2));
    /** ln 2 split so that {@code k * LN2_HI} and {@code k * LN2_LO} together carry ~48 bits (Cody and Waite). */
    static final float LN2_HI = (float) Math.log(2);
    static final float LN2_LO = (float) (Math.log(2) - LN2_HI);
    /** 1.5 * 2^23: adding and subtracting it rounds a float with {@code |x| < 2^22} to an integer, half to even. */
    static final float ROUND = 12582912f;
    /** Taylor coefficients 1/n! of e^r, n = 2..7 ({@code |r| <= ln2/2}: the first omitted term is below 6e-9 relative). */
    static final float[] EXP_C = taylorExp();

    /** tanh's argument is clamped to [0, TANH_HI] (its sign restored after): tanh(10) rounds to 1. */
    static final float TANH_HI = 10f;

    /**
     * Abramowitz and Stegun, Handbook of Mathematical Functions, 7.1.26 (Hastings):
     * {@code erfc(z) = t (a1 + t (a2 + t (a3 + t (a4 + t a5)))) e^{-z^2}}, {@code t = 1/(1 + p z)},
     * absolute error at most 1.5e-7 for z >= 0.
     */
    static final float AS_P = 0.3275911f;
    static final float[] AS_A = {0.254829592f, -0.284496736f, 1.421413741f, -1.453152027f, 1.061405429f};

    static final float SQRT1_2 = (float) Math.sqrt(0.5);
    /** sqrt(2/pi) and the cubic coefficient of the tanh form of GELU (PyTorch's {@code approximate='tanh'}). */
    static final float GELU_BETA = (float) Math.sqrt(2 / Math.PI);
    static final float GELU_KAPPA = 0.044715f;

    private static float[] taylorExp() {
        float[] c = new float[6];
        double f = 1;
        for (int n = 2; n <= 7; n++) {
            f *= n;
            c[n - 2] = (float) (1 / f);
        }
        return c;
    }
}
