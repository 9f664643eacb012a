package dev.vquant.engine.testing;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Independent formulations of the engine's rounding rules, for tests that prove the reference
 * (and through it every kernel) against something other than itself: explicit half-to-even
 * rounding instead of {@link Math#rint}, exact BigDecimal/BigInteger arithmetic instead of
 * float or long tricks.
 */
public final class NaiveMath {
    private NaiveMath() {
    }

    /** Round half to even, spelled out: nearest integer, and on an exact .5 the even neighbour. */
    public static double roundHalfEven(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v) || Math.abs(v) >= 0x1p52) {
            return v;
        }
        double lower = Math.floor(v);
        double fraction = v - lower; // exact: v and floor(v) share the exponent range here
        if (fraction > 0.5) {
            return lower + 1;
        }
        if (fraction < 0.5) {
            return lower;
        }
        return (lower % 2 == 0) ? lower : lower + 1;
    }

    /** {@code clamp(roundHalfEven(v) + zeroPoint, qmin, qmax)} with the clamp on the real value (no overflow). */
    public static int roundAddClamp(double v, int zeroPoint, int qmin, int qmax) {
        double r = roundHalfEven(v) + zeroPoint;
        return (int) Math.max(qmin, Math.min(qmax, r));
    }

    /** The float32 sum {@code a + b}, rounded once from the exact sum. */
    public static float exactSumToFloat(float a, float b) {
        return new BigDecimal(a).add(new BigDecimal(b)).floatValue();
    }

    /**
     * gemmlowp's fixed-point multiply by {@code q / 2^31} then divide by {@code 2^shift}, in
     * BigInteger: the high multiply rounds to nearest with ties toward +infinity
     * ({@code floor(a*q/2^31 + 1/2)}, the one overflow case saturating), the shift rounds to
     * nearest with ties away from zero.
     */
    public static long fixedPointScale(int a, int q, int shift) {
        BigInteger product = BigInteger.valueOf(a).multiply(BigInteger.valueOf(q));
        // floor((2*product + 2^31) / 2^32)
        long high = product.shiftLeft(1).add(BigInteger.ONE.shiftLeft(31)).shiftRight(32).longValueExact();
        high = Math.min(high, Integer.MAX_VALUE);
        if (shift == 0) {
            return high;
        }
        long magnitude = (Math.abs(high) + (1L << (shift - 1))) >> shift;
        return high < 0 ? -magnitude : magnitude;
    }
}
