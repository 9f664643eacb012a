package dev.vquant.engine.spi;

import dev.vquant.engine.testing.NaiveMath;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Requantization#apply}, the one rounding rule every kernel reproduces, against
 * independent formulas: BigDecimal sums, double products (exact for two floats), explicit
 * half-to-even rounding, and BigInteger fixed-point arithmetic; plus exact-tie cases and the
 * factories' parameters and validation.
 */
class RequantizationTest {

    @Provide
    Arbitrary<Integer> accumulators() {
        return Arbitraries.oneOf(Arbitraries.integers().between(-70_000, 70_000), Arbitraries.integers(),
                Arbitraries.of(Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 1));
    }

    @Property(tries = 400)
    void fbgemmModeEqualsExactArithmetic(@ForAll("accumulators") int acc, @ForAll long seed, @ForAll boolean relu) {
        SplittableRandom rng = new SplittableRandom(seed);
        int channels = 1 + rng.nextInt(4);
        Requantization rq = Requantization.fbgemm(scale(rng), weightScales(rng, channels), bias(rng, channels), scale(rng) * 1e-3,
                rng.nextInt(256), relu, channels);
        int j = rng.nextInt(channels);
        float x = NaiveMath.exactSumToFloat((float) acc, rq.biasOverScale()[j]);
        float v = (float) ((double) x * rq.multiplier()[j]); // a product of two floats is exact in double
        assertEquals(NaiveMath.roundAddClamp(v, rq.outZeroPoint(), rq.qmin(), rq.qmax()), rq.apply(acc, j),
                () -> "acc " + acc + " channel " + j);
    }

    @Property(tries = 400)
    void qnnpackModeEqualsExactArithmetic(@ForAll("accumulators") int acc, @ForAll long seed, @ForAll boolean relu) {
        SplittableRandom rng = new SplittableRandom(seed);
        int channels = 1 + rng.nextInt(4);
        Requantization rq = Requantization.qnnpack(scale(rng), weightScales(rng, channels), bias(rng, channels),
                scale(rng) * 1e-3, rng.nextInt(256), relu, channels);
        int j = rng.nextInt(channels);
        int sum = acc + rq.intBias()[j]; // documented: int32 addition wraps
        float v = (float) ((double) new BigDecimal(sum).floatValue() * rq.multiplier()[j]);
        assertEquals(NaiveMath.roundAddClamp(v, rq.outZeroPoint(), rq.qmin(), rq.qmax()), rq.apply(acc, j));
    }

    @Property(tries = 400)
    void fixedPointModeEqualsBigIntegerArithmetic(@ForAll("accumulators") int acc, @ForAll long seed, @ForAll boolean relu) {
        SplittableRandom rng = new SplittableRandom(seed);
        int channels = 1 + rng.nextInt(4);
        double in = scale(rng);
        double out = in * Math.scalb(1 + rng.nextDouble(), rng.nextInt(15));
        Requantization rq = Requantization.fixedPoint(in, weightScales(rng, channels), bias(rng, channels), out,
                rng.nextInt(256), relu, channels);
        int j = rng.nextInt(channels);
        long scaled = NaiveMath.fixedPointScale(acc + rq.intBias()[j], rq.fixedMultiplier()[j], rq.rightShift()[j]);
        long expected = Math.max(rq.qmin(), Math.min(rq.qmax(), scaled + rq.outZeroPoint()));
        assertEquals(expected, rq.apply(acc, j));
    }

    @Property(tries = 400)
    void floatOutputEqualsExactArithmetic(@ForAll("accumulators") int acc, @ForAll long seed, @ForAll boolean fused,
                                          @ForAll boolean relu) {
        SplittableRandom rng = new SplittableRandom(seed);
        int channels = 1 + rng.nextInt(4);
        float[] bias = bias(rng, channels);
        FloatOutput out = FloatOutput.of(scale(rng), weightScales(rng, channels), bias, fused, relu, channels);
        int j = rng.nextInt(channels);
        float scale = out.scale()[j];
        float b = bias == null ? 0f : bias[j];
        float y;
        if (fused) {
            // f32(acc) (PyTorch converts the accumulator first; inexact above 2^24), then fma: the exact
            // f32(acc) * scale + bias, rounded once
            y = new BigDecimal((float) acc).multiply(new BigDecimal(scale)).add(new BigDecimal(b)).floatValue();
        } else {
            // f32(acc), then f32(f32(acc) * scale) (exact double product, one rounding), then the rounded sum
            float product = (float) ((double) new BigDecimal(acc).floatValue() * scale);
            y = NaiveMath.exactSumToFloat(product, b);
        }
        assertEquals(relu ? Math.max(y, 0f) : y, out.apply(acc, j), () -> "acc " + acc + " fused " + fused);
    }

    @Property(tries = 200)
    void floatOutputChannelsGiveTheScalesOfOf(@ForAll long seed, @ForAll boolean fused, @ForAll boolean relu,
                                              @ForAll boolean into) {
        SplittableRandom rng = new SplittableRandom(seed);
        int channels = 1 + rng.nextInt(40);
        double[] ws = weightScales(rng, channels);
        float[] bias = bias(rng, channels);
        double in = scale(rng);
        FloatOutput.Channels ch = FloatOutput.Channels.of(ws, bias, channels);
        float[] buffer = into ? new float[channels] : null;
        FloatOutput out = ch.forInput(in, fused, relu, buffer);
        FloatOutput of = FloatOutput.of(in, ws, bias, fused, relu, channels);
        if (into) {
            assertSame(buffer, out.scale());
        }
        for (int j = 0; j < channels; j++) {
            float expected = (float) in * (float) ws[ws.length == 1 ? 0 : j];
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out.scale()[j]), "seed " + seed + " j " + j);
            assertEquals(Float.floatToRawIntBits(of.scale()[j]), Float.floatToRawIntBits(out.scale()[j]), "seed " + seed);
            assertEquals(bias == null ? 0f : bias[j], out.bias()[j], "seed " + seed);
        }
        assertEquals(of.fused(), out.fused());
        assertEquals(of.relu(), out.relu());
        assertEquals(of.perChannel(), out.perChannel());
        assertThrows(IllegalArgumentException.class, () -> ch.forInput(in, fused, relu, new float[channels + 1]));
        assertThrows(IllegalArgumentException.class, () -> ch.forInput(Double.NaN, fused, relu, null));
    }

    @Property(tries = 200)
    void roundAndClampIsHalfEvenOnEveryTie(@ForAll @IntRange(min = -600, max = 600) int halfUnits,
                                           @ForAll @IntRange(max = 255) int zp) {
        // multiplier 1/2: odd accumulators are exact ties
        Requantization rq = Requantization.ofMultiplier(0.5f, zp, 0, 255, 1);
        assertEquals(NaiveMath.roundAddClamp(halfUnits / 2.0, zp, 0, 255), rq.apply(halfUnits, 0));
    }

    @Test
    void tiesGoToEven() {
        Requantization rq = Requantization.ofMultiplier(0.5f, 100, 0, 255, 1);
        int[][] accAndOut = {{1, 100}, {3, 102}, {5, 102}, {7, 104}, {-1, 100}, {-3, 98}, {-5, 98}, {0, 100}};
        for (int[] c : accAndOut) {
            assertEquals(c[1], rq.apply(c[0], 0), "acc " + c[0]);
        }
        assertEquals(255, rq.apply(Integer.MAX_VALUE, 0));
        assertEquals(0, rq.apply(Integer.MIN_VALUE, 0));
    }

    @Test
    void fixedPointRoundingRules() {
        // high multiply: ties toward +inf; shift: ties away from zero
        assertEquals(1, Requantization.saturatingRoundingDoublingHighMul(1, 1 << 30)); // 0.5 -> 1
        assertEquals(0, Requantization.saturatingRoundingDoublingHighMul(-1, 1 << 30)); // -0.5 -> 0
        assertEquals(Integer.MAX_VALUE, Requantization.saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MIN_VALUE));
        assertEquals(1, Requantization.roundingRightShift(1, 1)); // 0.5 -> 1
        assertEquals(-1, Requantization.roundingRightShift(-1, 1)); // -0.5 -> -1
        assertEquals(2, Requantization.roundingRightShift(3, 1)); // 1.5 -> 2
        assertEquals(-2, Requantization.roundingRightShift(-3, 1));
        assertEquals(7, Requantization.roundingRightShift(7, 0));
    }

    @Test
    void fbgemmParametersAreFloat32Products() {
        float[] bias = {1.25f, -3f};
        Requantization rq = Requantization.fbgemm(0.1, new double[] {0.02, 0.03}, bias, 0.7, 5, false, 2);
        for (int j = 0; j < 2; j++) {
            float atws = 0.1f * (float) new double[] {0.02, 0.03}[j];
            assertEquals(atws / 0.7f, rq.multiplier()[j]);
            assertEquals(bias[j] / atws, rq.biasOverScale()[j]);
        }
        assertTrue(rq.perChannel());
        assertEquals(Requantization.Mode.FLOAT_BIAS, rq.mode());
        assertEquals(0, rq.qmin());
        assertEquals(5, Requantization.fbgemm(0.1, new double[] {0.02}, null, 0.7, 5, true, 3).qmin());
    }

    @Test
    void qnnpackBiasRoundsHalfToEven() {
        double in = 0.5;
        double w = 0.25; // unit 0.125
        float[] bias = {2.5f * 0.125f, 3.5f * 0.125f, -2.5f * 0.125f, 0f};
        Requantization rq = Requantization.qnnpack(in, new double[] {w}, bias, 1.0, 0, false, 4);
        assertEquals(2, rq.intBias()[0]);
        assertEquals(4, rq.intBias()[1]);
        assertEquals(-2, rq.intBias()[2]);
        assertEquals(0, rq.intBias()[3]);
        assertTrue(!rq.perChannel());
    }

    @Property(tries = 300)
    void fixedPointMultiplierIsNormalizedQ31(@ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double real = Math.scalb(0.5 + rng.nextDouble() * 0.5, -rng.nextInt(30));
        Requantization rq = Requantization.fixedPoint(real, new double[] {1.0}, null, 1.0, 0, false, 1);
        int q = rq.fixedMultiplier()[0];
        int shift = rq.rightShift()[0];
        assertTrue(q >= 1 << 30 && shift >= 0 && shift <= 31, () -> "q " + q + " shift " + shift);
        double represented = Math.scalb((double) q, -31 - shift);
        assertTrue(Math.abs(represented - real) <= Math.scalb(real, -30), () -> real + " represented as " + represented);
    }

    @Test
    void factoriesRejectBadParameters() {
        assertMessage("channel count", () -> Requantization.fbgemm(1, new double[] {1}, null, 1, 0, false, 0));
        assertMessage("need 1 or 3 weight scales", () -> Requantization.qnnpack(1, new double[] {1, 1}, null, 1, 0, false, 3));
        assertMessage("bias has 1 entries", () -> Requantization.fbgemm(1, new double[] {1}, new float[1], 1, 0, false, 2));
        assertMessage("bias[0]", () -> Requantization.fbgemm(1, new double[] {1}, new float[] {Float.NaN}, 1, 0, false, 1));
        assertMessage("output zero point 256", () -> Requantization.fbgemm(1, new double[] {1}, null, 1, 256, false, 1));
        assertMessage("input scale", () -> Requantization.fbgemm(0, new double[] {1}, null, 1, 0, false, 1));
        assertMessage("weight scale", () -> Requantization.fbgemm(1, new double[] {Double.NaN}, null, 1, 0, false, 1));
        assertMessage("(2^-31, 1)", () -> Requantization.fixedPoint(1, new double[] {1}, null, 0.5, 0, false, 1));
        assertMessage("output range [200, 100]", () -> Requantization.ofMultiplier(0.5f, 150, 200, 100, 1));
        assertMessage("multiplier must be > 0", () -> Requantization.ofMultiplier(0f, 0, 0, 255, 1));
        assertMessage("does not fit int32", () -> Requantization.qnnpack(1e-6, new double[] {1e-6}, new float[] {1e9f}, 1, 0, false, 1));
    }

    static void assertMessage(String expectedPart, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedPart), () -> "message '" + e.getMessage() + "' should contain '" + expectedPart + "'");
    }

    private static double scale(SplittableRandom rng) {
        return Math.scalb(1 + rng.nextDouble(), -1 - rng.nextInt(10));
    }

    private static double[] weightScales(SplittableRandom rng, int channels) {
        double[] w = new double[rng.nextBoolean() ? 1 : channels];
        for (int j = 0; j < w.length; j++) {
            w[j] = Math.scalb(1 + rng.nextDouble(), -3 - rng.nextInt(8));
        }
        return w;
    }

    private static float[] bias(SplittableRandom rng, int channels) {
        if (rng.nextInt(4) == 0) {
            return null;
        }
        float[] b = new float[channels];
        for (int j = 0; j < channels; j++) {
            b[j] = (float) ((rng.nextDouble() * 2 - 1) * Math.scalb(1.0, rng.nextInt(8) - 4));
        }
        return b;
    }
}
