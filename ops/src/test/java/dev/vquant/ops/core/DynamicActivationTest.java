package dev.vquant.ops.core;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The vectorized min/max of {@link DynamicActivation} equals its scalar twin bit for bit (NaN
 * compared as NaN): odd lengths and offsets around the vector length, signed zeros, infinities,
 * NaN, subnormals and extreme values.
 */
class DynamicActivationTest {
    private static final float[] SPECIALS = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1f, -1f};

    @Property(tries = 400)
    void minMaxEqualsScalarTwin(@ForAll long seed, @ForAll @IntRange(min = 0, max = 200) int len,
                                @ForAll @IntRange(min = 0, max = 20) int off,
                                @ForAll @IntRange(min = 0, max = 3) int specials) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[off + len + rng.nextInt(5)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((rng.nextDouble() * 2 - 1) * Math.scalb(1.0, rng.nextInt(40) - 20));
        }
        for (int s = 0; s < specials && x.length > 0; s++) {
            // few specials, so most arrays stay finite and signed zeros decide some results
            x[rng.nextInt(x.length)] = SPECIALS[rng.nextInt(specials == 1 ? 2 : SPECIALS.length)];
        }
        long vector = DynamicActivation.minMax(x, off, len);
        long scalar = DynamicActivation.minMaxScalar(x, off, len);
        String where = "seed " + seed + " len " + len + " off " + off;
        assertEquals(Float.floatToIntBits(DynamicActivation.min(scalar)), Float.floatToIntBits(DynamicActivation.min(vector)), where);
        assertEquals(Float.floatToIntBits(DynamicActivation.max(scalar)), Float.floatToIntBits(DynamicActivation.max(vector)), where);
    }

    @Property(tries = 100)
    void allSignedZerosKeepTheirSign(@ForAll @IntRange(min = 1, max = 70) int len, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = rng.nextBoolean() ? 0f : -0f;
        }
        long vector = DynamicActivation.minMax(x, 0, len);
        long scalar = DynamicActivation.minMaxScalar(x, 0, len);
        assertEquals(scalar, vector, "seed " + seed);
    }
}
