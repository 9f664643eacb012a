package dev.vquant.engine.testing;

/**
 * The tolerance between two float32 dot products of the same terms summed in different orders
 * (with or without fused multiply-add): each differs from the exact value by at most
 * {@code gamma(terms) * sum|a*w|} with {@code gamma(t) ~ t * 2^-24}, so two of them differ by at
 * most twice that. {@code terms} counts the products, the bias and the final rounding. A clamp
 * never increases a difference.
 */
final class FloatTolerance {
    private static final double UNIT_ROUNDOFF = 0x1p-24;

    private FloatTolerance() {
    }

    /** Tolerance for a sum of {@code terms} values whose magnitudes add up to {@code magnitude}. */
    static double of(int terms, double magnitude) {
        return 2.0 * (terms + 2) * UNIT_ROUNDOFF * magnitude + Float.MIN_NORMAL;
    }

    /** Every written output must respect the clamp bounds exactly (and not be NaN). */
    static void assertClamped(String context, float[] out, java.util.function.IntPredicate written, float lo, float hi,
                              java.util.function.IntFunction<String> where) {
        for (int i = 0; i < out.length; i++) {
            if (written.test(i) && !(out[i] >= lo && out[i] <= hi)) {
                throw new AssertionError(context + ": " + where.apply(i) + " = " + out[i] + " is outside the clamp range ["
                        + lo + ", " + hi + "]");
            }
        }
    }

    /** The clamp variants every float tester runs: none, ReLU, and a narrow window that clips many outputs. */
    static float[][] clampCases(double typicalMagnitude) {
        float t = (float) Math.max(typicalMagnitude, 1e-3);
        return new float[][] {
                {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY},
                {0f, Float.POSITIVE_INFINITY},
                {-0.25f * t, 0.25f * t},
        };
    }
}
