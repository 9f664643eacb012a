package dev.vquant.ops.math;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link VectorMath} equals its twin {@link ScalarMath} bit for bit (NaN as NaN) over random
 * lengths, offsets and values (special values mixed in), and the twins keep the error bounds their
 * Javadoc states against float64 {@code Math} (random arguments plus dense sweeps).
 */
class VectorMathPropertiesTest {

    /** The functions under test: name, array form, scalar twin. */
    private enum Fn {
        EXP(VectorMath::exp, ScalarMath::exp),
        SIGMOID(VectorMath::sigmoid, ScalarMath::sigmoid),
        TANH(VectorMath::tanh, ScalarMath::tanh),
        GELU(VectorMath::gelu, ScalarMath::gelu),
        GELU_TANH(VectorMath::geluTanh, ScalarMath::geluTanh);

        interface ArrayFn {
            void apply(float[] in, int inOffset, float[] out, int outOffset, int length);
        }

        interface ScalarFn {
            float apply(float x);
        }

        final ArrayFn vector;
        final ScalarFn twin;

        Fn(ArrayFn vector, ScalarFn twin) {
            this.vector = vector;
            this.twin = twin;
        }
    }

    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 88.72283f, 88.72284f,
            -87.33655f, -103.97208f, -104f, 89f, 0.625f, -0.625f, 0.62499994f, 1f, -1f, 0.99999994f, 1.4142135f,
            -1.4142135f, 1e-20f, -1e-20f, 44f, -44f, 9f, -9f, 20f, -20f};

    private static float value(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> SPECIAL[r.nextInt(SPECIAL.length)];
            case 1 -> (r.nextFloat() * 2 - 1) * 3;
            case 2 -> (r.nextFloat() * 2 - 1) * 120;
            case 3 -> Float.intBitsToFloat(r.nextInt());
            default -> (float) ((r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextDouble() * 12 - 10));
        };
    }

    @Property(tries = 200)
    void vectorEqualsTwinBitForBit(@ForAll Fn fn, @ForAll @IntRange(min = 0, max = 300) int length,
                                   @ForAll @IntRange(min = 0, max = 17) int inOffset,
                                   @ForAll @IntRange(min = 0, max = 17) int outOffset, @ForAll long seed) {
        Random r = new Random(seed);
        float[] in = new float[inOffset + length + r.nextInt(3)];
        for (int i = 0; i < in.length; i++) {
            in[i] = value(r);
        }
        float[] out = new float[outOffset + length];
        fn.vector.apply(in, inOffset, out, outOffset, length);
        for (int i = 0; i < length; i++) {
            float x = in[inOffset + i];
            float want = fn.twin.apply(x);
            if (Float.floatToIntBits(want) != Float.floatToIntBits(out[outOffset + i])) {
                fail(fn + "(" + x + " = 0x" + Integer.toHexString(Float.floatToRawIntBits(x)) + ") at " + i + " of " + length
                        + ": vector " + out[outOffset + i] + ", twin " + want);
            }
        }
    }

    @Test
    void inPlaceIsAllowed() {
        float[] a = {1f, 2f, -3f, 0.5f, 7f, -0.25f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f};
        float[] want = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            want[i] = ScalarMath.tanh(a[i]);
        }
        VectorMath.tanh(a, 0, a, 0, a.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(want[i], a[i]);
        }
    }

    @Test
    void badRangesAreRejected() {
        float[] a = new float[4];
        assertThrows(IllegalArgumentException.class, () -> VectorMath.exp(null, 0, a, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> VectorMath.exp(a, 0, null, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> VectorMath.exp(a, 1, a, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> VectorMath.sigmoid(a, 0, a, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> VectorMath.gelu(a, -1, a, 0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorMath.tanh(a, 0, a, 0, -1));
        assertTrue(e.getMessage().startsWith("tanh"), e.getMessage());
    }

    /** Error of {@code got} in ulps of the float nearest to {@code exact}. */
    private static double ulps(float got, double exact) {
        float rounded = (float) exact;
        return Math.abs(got - exact) / Math.ulp(rounded);
    }

    private static double gelu64(double x) {
        return 0.5 * x * (1 + Erf64.erf(x / Math.sqrt(2)));
    }

    /** Checks {@code |f(x) - exact(x)| <= ulpBound ulps + absBound} for x in [lo, hi] (steps) and random x. */
    private static void bounded(String name, Fn.ScalarFn f, DoubleUnaryOperator exact, double lo, double hi, double ulpBound,
                                DoubleUnaryOperator absBound) {
        int steps = 400_000;
        Random r = new Random(42);
        double worst = 0;
        for (int i = 0; i <= 2 * steps; i++) {
            float x = i <= steps ? (float) (lo + (hi - lo) * i / steps) : (float) (lo + (hi - lo) * r.nextDouble());
            float got = f.apply(x);
            double want = exact.applyAsDouble(x);
            double err = Math.abs(got - want);
            double allowed = ulpBound * Math.ulp((float) want) + absBound.applyAsDouble(x);
            if (!(err <= allowed)) {
                fail(name + "(" + x + ") = " + got + ", exact " + want + ": error " + err + " > allowed " + allowed + " ("
                        + ulps(got, want) + " ulps)");
            }
            worst = Math.max(worst, ulps(got, want));
        }
        assertTrue(worst >= 0);
    }

    @Test
    void expWithinTwoUlps() {
        bounded("exp", ScalarMath::exp, Math::exp, -103.9, 88.72, 2, x -> 0);
        bounded("exp", ScalarMath::exp, Math::exp, -1, 1, 2, x -> 0);
        assertEquals(0f, ScalarMath.exp(-104f));
        assertEquals(0f, ScalarMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, ScalarMath.exp(88.72284f));
        assertEquals(Float.POSITIVE_INFINITY, ScalarMath.exp(Float.POSITIVE_INFINITY));
        assertEquals(1f, ScalarMath.exp(0f));
        assertTrue(Float.isNaN(ScalarMath.exp(Float.NaN)));
    }

    @Test
    void sigmoidWithinThreeUlps() {
        bounded("sigmoid", ScalarMath::sigmoid, x -> 1 / (1 + Math.exp(-x)), -87.3, 30, 3, x -> 0);
        bounded("sigmoid", ScalarMath::sigmoid, x -> 1 / (1 + Math.exp(-x)), -5, 5, 3, x -> 0);
        assertEquals(1f, ScalarMath.sigmoid(Float.POSITIVE_INFINITY));
        assertEquals(0f, ScalarMath.sigmoid(Float.NEGATIVE_INFINITY));
        assertEquals(0f, ScalarMath.sigmoid(-100f));
        assertTrue(Float.isNaN(ScalarMath.sigmoid(Float.NaN)));
    }

    @Test
    void tanhWithinThreeUlps() {
        bounded("tanh", ScalarMath::tanh, Math::tanh, -12, 12, 3, x -> 0);
        bounded("tanh", ScalarMath::tanh, Math::tanh, -1, 1, 3, x -> 0);
        bounded("tanh", ScalarMath::tanh, Math::tanh, -1e-3, 1e-3, 3, x -> 0);
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(ScalarMath.tanh(-0f)));
        assertEquals(1f, ScalarMath.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, ScalarMath.tanh(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(ScalarMath.tanh(Float.NaN)));
    }

    @Test
    void geluWithinBound() {
        bounded("gelu", ScalarMath::gelu, VectorMathPropertiesTest::gelu64, -20, 20, 3, x -> 3e-7 * Math.abs(x));
        bounded("gelu", ScalarMath::gelu, VectorMathPropertiesTest::gelu64, -2, 2, 3, x -> 3e-7 * Math.abs(x));
        assertEquals(Float.POSITIVE_INFINITY, ScalarMath.gelu(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(ScalarMath.gelu(Float.NEGATIVE_INFINITY)));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(ScalarMath.gelu(-0f)));
        assertEquals(-0f, ScalarMath.gelu(-30f));
    }

    @Test
    void geluTanhWithinBound() {
        DoubleUnaryOperator exact = x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
        bounded("geluTanh", ScalarMath::geluTanh, exact, -20, 20, 4, x -> 1.2e-7 * Math.abs(x));
    }
}
