package dev.vquant.engine.reference;

import dev.vquant.engine.DType;
import dev.vquant.engine.testing.NaiveMath;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link QuantizeReference} against double formulas. With a power-of-two scale, {@code x / scale}
 * is exact in double and equals the float32 product with the reciprocal, so
 * {@code clamp(zp + roundHalfEven(x / scale))} computed in double is an independent statement of
 * the same value; ties (x = (t + 0.5) * scale) and saturating specials are included.
 */
class QuantizeReferenceTest {
    private final QuantizeReference quant = new QuantizeReference();

    @Property(tries = 200)
    void quantizeEqualsDoubleFormulaOnExactlyRepresentableInputs(@ForAll @IntRange(min = -12, max = 4) int scaleExponent,
                                                                 @ForAll boolean signed, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        DType dtype = signed ? DType.QINT8 : DType.QUINT8;
        float scale = Math.scalb(1f, scaleExponent);
        int zp = dtype.min() + rng.nextInt(256);
        float[] x = new float[64];
        for (int i = 0; i < x.length; i++) {
            double units = switch (i % 4) {
                case 0 -> rng.nextInt(-400, 400) + 0.5; // exact ties
                case 1 -> rng.nextInt(-400, 400);
                default -> (rng.nextDouble() - 0.5) * 800;
            };
            x[i] = (float) (units * scale);
        }
        byte[] q = new byte[x.length];
        quant.quantize(x, 0, q, 0, x.length, scale, zp, dtype);
        for (int i = 0; i < x.length; i++) {
            double exact = (double) x[i] / scale; // exact: scale is a power of two
            int expected = NaiveMath.roundAddClamp(exact, zp, dtype.min(), dtype.max());
            assertEquals(expected, dtype.load(q, i), "x=" + x[i] + " scale=" + scale + " zp=" + zp);
        }
    }

    @Test
    void tiesRoundToEvenAndSpecialsSaturate() {
        float[] x = {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.MAX_VALUE, -Float.MAX_VALUE, 1e20f, -1e20f, Float.MIN_VALUE, -Float.MIN_VALUE};
        byte[] q = new byte[x.length];
        quant.quantize(x, 0, q, 0, x.length, 1f, 10, DType.QINT8);
        byte[] expected = {10, 12, 12, 10, 8, 8, 10, 10, 127, -128, 127, -128, 127, -128, 10, 10};
        assertArrayEquals(expected, q);
        quant.quantize(x, 0, q, 0, x.length, 1f, 0, DType.QUINT8);
        byte[] unsigned = {0, 2, 2, 0, 0, 0, 0, 0, (byte) 255, 0, (byte) 255, 0, (byte) 255, 0, 0, 0};
        assertArrayEquals(unsigned, q);
    }

    @Test
    void multipliesByTheFloatReciprocalNotDividing() {
        // scale 0.1f: 0.3f * (1/0.1f) and 0.3f / 0.1f differ at the tie 2.5 ... search for a witness
        float scale = 0.1f;
        float inverse = 1.0f / scale;
        int witnesses = 0;
        for (int i = -100_000; i <= 100_000; i++) {
            float x = i * 1e-4f;
            if (Math.rint(x * inverse) != Math.rint(x / scale)) {
                byte[] q = new byte[1];
                quant.quantize(new float[] {x}, 0, q, 0, 1, scale, 0, DType.QINT8);
                assertEquals(Math.max(-128, Math.min(127, (int) Math.rint(x * inverse))), q[0], "x=" + x);
                witnesses++;
            }
        }
        assertEquals(true, witnesses > 0, "the two formulas must differ somewhere for this test to mean anything");
    }

    @Property(tries = 100)
    void dequantizeEqualsDoubleProduct(@ForAll long seed, @ForAll boolean signed) {
        SplittableRandom rng = new SplittableRandom(seed);
        DType dtype = signed ? DType.QINT8 : DType.QUINT8;
        float scale = (float) (rng.nextDouble() * 0.5 + 1e-4);
        int zp = dtype.min() + rng.nextInt(256);
        byte[] q = new byte[256];
        for (int i = 0; i < 256; i++) {
            q[i] = (byte) i;
        }
        float[] x = new float[256];
        quant.dequantize(q, 0, x, 0, 256, scale, zp, dtype);
        for (int i = 0; i < 256; i++) {
            // (q - zp) has at most 9 bits, scale 24: the double product is exact, one rounding to float
            assertEquals((float) ((double) (dtype.load(q, i) - zp) * scale), x[i]);
        }
    }

    @Property(tries = 100)
    void perChannelUsesEachChannelsParameters(@ForAll @IntRange(max = 3) int outer, @ForAll @IntRange(min = 1, max = 5) int channels,
                                              @ForAll @IntRange(max = 4) int inner, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] scales = new float[channels];
        double[] doubleScales = new double[channels];
        int[] zps = new int[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = Math.scalb(1f, -rng.nextInt(8));
            doubleScales[c] = scales[c] * (1 + rng.nextDouble() * 1e-6);
            zps[c] = rng.nextInt(256);
        }
        int total = outer * channels * inner;
        float[] x = new float[total];
        for (int i = 0; i < total; i++) {
            x[i] = (float) ((rng.nextDouble() - 0.5) * 600 * scales[(i / Math.max(1, inner)) % channels]);
        }
        byte[] q = new byte[total];
        quant.quantizePerChannel(x, q, outer, channels, inner, scales, zps, DType.QUINT8);
        float[] back = new float[total];
        quant.dequantizePerChannel(q, back, outer, channels, inner, doubleScales, zps, DType.QUINT8);
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < inner; i++) {
                    int idx = (o * channels + c) * inner + i;
                    int expected = NaiveMath.roundAddClamp((double) x[idx] / scales[c], zps[c], 0, 255);
                    assertEquals(expected, q[idx] & 0xFF);
                    assertEquals((float) ((double) (expected - zps[c]) * doubleScales[c]), back[idx]);
                }
            }
        }
    }

    @Property(tries = 200)
    void requantizeEqualsDoubleFormula(@ForAll int acc, @ForAll @IntRange(min = 1, max = 24) int shift,
                                       @ForAll @IntRange(max = 255) int zp, @ForAll @IntRange(max = 100) int qmin) {
        float multiplier = Math.scalb(1f, -shift);
        int[] a = {acc, (2 * (acc >> 8) + 1) << (shift - 1)}; // the second is an exact tie
        byte[] q = new byte[2];
        quant.requantize(a, 0, q, 0, 2, multiplier, zp, qmin, 255);
        for (int i = 0; i < 2; i++) {
            double v = (double) (float) a[i] * multiplier; // exact: power-of-two multiplier
            assertEquals(NaiveMath.roundAddClamp(v, zp, qmin, 255), q[i] & 0xFF, "acc " + a[i]);
        }
    }
}
