package dev.vquant.ops.math;

/**
 * The constants {@link VectorMath} and its scalar twin {@link ScalarMath} share, so both evaluate
 * the very same float32 expressions. Series coefficients are derived here in float64 from their
 * defining recurrences (not typed in) and rounded once to float32.
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
    /** 1.5 * 2^23: adding and subtracting it rounds a float with |x| < 2^22 to an integer, half to even. */
    static final float ROUND = 12582912f;
    /** Taylor coefficients 1/n! of e^r, n = 2..7 (|r| <= ln2/2: the first omitted term is below 6e-9 relative). */
    static final float[] EXP_C = taylorExp();

    /** Below this |x| tanh uses its odd series; above, {@code 1 - 2/(e^{2|x|} + 1)} (whose result is then >= 0.55, so the subtraction loses at most a bit). */
    static final float TANH_SMALL = 0.625f;
    /** tanh's series coefficients of x^3, x^5, ..., x^21 (the next term is below 2e-9 relative at |x| = 0.625). */
    static final float[] TANH_C = tanhSeries(10);

    /** Below this |z| erf uses its series; above, the complementary form. */
    static final float ERF_SMALL = 1f;
    /** erf's series coefficients {@code 2/sqrt(pi) (-1)^n / (n! (2n+1))}, n = 0..11 (next term below 1e-10 at |z| = 1). */
    static final float[] ERF_C = erfSeries(12);
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

    /**
     * tanh(x) = sum a_k x^{2k+1}: from tanh' = 1 - tanh^2, {@code (2k+1) a_k = -sum_{i+j=k-1} a_i a_j}
     * with a_0 = 1. Returns a_1..a_terms.
     */
    private static float[] tanhSeries(int terms) {
        double[] a = new double[terms + 1];
        a[0] = 1;
        for (int k = 1; k <= terms; k++) {
            double s = 0;
            for (int i = 0; i <= k - 1; i++) {
                s += a[i] * a[k - 1 - i];
            }
            a[k] = -s / (2 * k + 1);
        }
        float[] c = new float[terms];
        for (int k = 1; k <= terms; k++) {
            c[k - 1] = (float) a[k];
        }
        return c;
    }

    private static float[] erfSeries(int terms) {
        float[] c = new float[terms];
        double fact = 1;
        for (int n = 0; n < terms; n++) {
            if (n > 0) {
                fact *= n;
            }
            c[n] = (float) (2 / Math.sqrt(Math.PI) * (n % 2 == 0 ? 1 : -1) / (fact * (2 * n + 1)));
        }
        return c;
    }
}
