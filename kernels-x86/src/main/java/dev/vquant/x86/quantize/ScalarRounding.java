package dev.vquant.x86.quantize;

/**
 * The scalar form of the vector kernels' float32 chain, for their tails: clamp to
 * {@code [lo, hi]}, round half to even by adding and subtracting 1.5 * 2^23, add the zero point.
 */
final class ScalarRounding {
    /** 1.5 * 2^23: adding and subtracting it rounds a float with |y| &lt; 2^22 half to even. */
    static final float ROUND = 0x1.8p23f;
    /** Bits of {@link #ROUND}: {@code bits(ROUND + r) = ROUND_BITS + r} for integers |r| &lt; 2^22. */
    static final int ROUND_BITS = 0x4B400000;

    private ScalarRounding() {
    }

    /** {@code (int) (rint(clamp(y, lo, hi)) + zp)}; lo and hi are integers within +-510. */
    static int clampRound(float y, float lo, float hi, float zp) {
        float c = Math.min(Math.max(y, lo), hi);
        return (int) ((c + ROUND - ROUND) + zp);
    }
}
