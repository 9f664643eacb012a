package dev.vquant.engine.testing;

import dev.vquant.engine.DType;
import dev.vquant.engine.reference.QuantizeReference;
import dev.vquant.engine.spi.QuantizeKernels;

import java.util.SplittableRandom;

/**
 * Tests one {@link QuantizeKernels} against {@link QuantizeReference}, bit for bit:
 * <pre>new QuantizeKernelTester().length(77).xOffset(3).qOffset(5).dtype(DType.QINT8).seed(seed).test(kernels);</pre>
 * Runs, with a random and a power-of-two scale (unless {@link #scale} fixes one):
 * <ul>
 * <li>quantize over values spanning past both clamp bounds, mixed with +-0, exact and near .5
 * ties at the scale, +-inf, huge values (+-FLT_MAX, +-2^31, 1e20) and denormals, at random
 * positions so they land in main loops and tails;</li>
 * <li>dequantize of every byte value;</li>
 * <li>per-channel quantize and dequantize of a {@code [outer][channels][inner]} array;</li>
 * <li>requantize of int32 values including {@code Integer.MIN_VALUE/MAX_VALUE} and exact ties
 * (power-of-two multipliers), with a random output range.</li>
 * </ul>
 * Elements outside {@code [offset, offset+length)} (and after per-channel arrays) must keep their
 * canaries. Failures name length, offsets, dtype, scale, zero point and seed.
 */
public final class QuantizeKernelTester {
    private static final QuantizeReference REFERENCE = TestBackends.reference().quantize();
    private static final int GUARD = 6;

    private int length = 1;
    private int xOffset;
    private int qOffset;
    private DType dtype = DType.QUINT8;
    private Float scale;
    private Integer zeroPoint;
    private int outer = 1;
    private int channels = 3;
    private int inner = 5;
    private long seed = 1;

    public QuantizeKernelTester length(int length) {
        this.length = length;
        return this;
    }

    /** Offset of the float side (input of quantize, output of dequantize). */
    public QuantizeKernelTester xOffset(int xOffset) {
        this.xOffset = xOffset;
        return this;
    }

    /** Offset of the integer side. */
    public QuantizeKernelTester qOffset(int qOffset) {
        this.qOffset = qOffset;
        return this;
    }

    /** quint8 (default) or qint8. */
    public QuantizeKernelTester dtype(DType dtype) {
        this.dtype = dtype;
        return this;
    }

    /** A fixed scale (default: one random and one power-of-two scale). */
    public QuantizeKernelTester scale(float scale) {
        this.scale = scale;
        return this;
    }

    /** A fixed zero point (default random in the dtype's range). */
    public QuantizeKernelTester zeroPoint(int zeroPoint) {
        this.zeroPoint = zeroPoint;
        return this;
    }

    /** Extents of the per-channel runs (default 1 x 3 x 5). */
    public QuantizeKernelTester perChannelShape(int outer, int channels, int inner) {
        this.outer = outer;
        this.channels = channels;
        this.inner = inner;
        return this;
    }

    public QuantizeKernelTester seed(long seed) {
        this.seed = seed;
        return this;
    }

    public void test(QuantizeKernels underTest) {
        if (length < 0 || xOffset < 0 || qOffset < 0 || outer < 0 || channels < 1 || inner < 0 || dtype == null || !dtype.isByte()) {
            throw new IllegalStateException("invalid test setup: " + describe());
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int zp = zeroPoint != null ? zeroPoint : dtype.min() + rng.nextInt(256);
        float[] scales = scale != null ? new float[] {scale} : new float[] {randomScale(rng), powerOfTwoScale(rng)};
        for (float s : scales) {
            testQuantize(underTest, rng, s, zp);
            testDequantize(underTest, rng, s, zp);
        }
        testPerChannel(underTest, rng);
        testRequantize(underTest, rng, (float) (rng.nextDouble() * 2 + 0x1p-20));
        testRequantize(underTest, rng, Math.scalb(1f, -1 - rng.nextInt(20)));
    }

    private void testQuantize(QuantizeKernels underTest, SplittableRandom rng, float s, int zp) {
        float[] x = new float[xOffset + length + GUARD];
        fillQuantizeInputs(rng, x, s, zp);
        float[] xBefore = x.clone();
        byte[] want = new byte[qOffset + length + GUARD];
        byte[] got = new byte[want.length];
        Canaries.fill(want);
        Canaries.fill(got);
        REFERENCE.quantize(x, xOffset, want, qOffset, length, s, zp, dtype);
        underTest.quantize(x, xOffset, got, qOffset, length, s, zp, dtype);
        String context = "QuantizeKernelTester quantize " + describe() + " scale=" + s + " zeroPoint=" + zp;
        Canaries.assertExact(context, want, got, i -> i >= qOffset && i < qOffset + length,
                i -> "q[" + i + "] (x[" + (i - qOffset + xOffset) + "] = " + valueAt(x, i - qOffset + xOffset) + ")");
        Canaries.assertUnchanged(context, "input", xBefore, x);
    }

    private void testDequantize(QuantizeKernels underTest, SplittableRandom rng, float s, int zp) {
        byte[] q = new byte[qOffset + length + GUARD];
        TestValues.junk(rng, q);
        float[] want = new float[xOffset + length + GUARD];
        float[] got = new float[want.length];
        Canaries.fill(want);
        Canaries.fill(got);
        REFERENCE.dequantize(q, qOffset, want, xOffset, length, s, zp, dtype);
        underTest.dequantize(q, qOffset, got, xOffset, length, s, zp, dtype);
        Canaries.assertFloats("QuantizeKernelTester dequantize " + describe() + " scale=" + s + " zeroPoint=" + zp, want, got,
                i -> i >= xOffset && i < xOffset + length, null, i -> "x[" + i + "]");
    }

    private void testPerChannel(QuantizeKernels underTest, SplittableRandom rng) {
        int total = outer * channels * inner;
        float[] scales = new float[channels];
        int[] zps = new int[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = rng.nextBoolean() ? randomScale(rng) : powerOfTwoScale(rng);
            zps[c] = dtype.min() + rng.nextInt(256);
        }
        float[] x = new float[total + GUARD];
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                float[] row = new float[inner];
                fillQuantizeInputs(rng, row, scales[c], zps[c]);
                System.arraycopy(row, 0, x, (o * channels + c) * inner, inner);
            }
        }
        String context = "QuantizeKernelTester per-channel [" + outer + "][" + channels + "][" + inner + "] " + describe();
        byte[] want = new byte[total + GUARD];
        byte[] got = new byte[total + GUARD];
        Canaries.fill(want);
        Canaries.fill(got);
        REFERENCE.quantizePerChannel(x, want, outer, channels, inner, scales, zps, dtype);
        underTest.quantizePerChannel(x, got, outer, channels, inner, scales, zps, dtype);
        Canaries.assertExact(context + " quantize", want, got, i -> i < total, i -> "q[" + i + "] channel " + (i / Math.max(1, inner)) % channels);

        byte[] q = new byte[total + GUARD];
        TestValues.junk(rng, q);
        float[] wantX = new float[total + GUARD];
        float[] gotX = new float[total + GUARD];
        Canaries.fill(wantX);
        Canaries.fill(gotX);
        // per-channel dequantize takes PyTorch's double scales: use ones that are not float32 values
        double[] doubleScales = new double[channels];
        for (int c = 0; c < channels; c++) {
            doubleScales[c] = scales[c] * (1 + rng.nextDouble() * 0x1p-20);
        }
        REFERENCE.dequantizePerChannel(q, wantX, outer, channels, inner, doubleScales, zps, dtype);
        underTest.dequantizePerChannel(q, gotX, outer, channels, inner, doubleScales, zps, dtype);
        Canaries.assertFloats(context + " dequantize", wantX, gotX, i -> i < total, null,
                i -> "x[" + i + "] channel " + (i / Math.max(1, inner)) % channels);
    }

    private void testRequantize(QuantizeKernels underTest, SplittableRandom rng, float multiplier) {
        int[] acc = new int[xOffset + length + GUARD];
        // power-of-two multipliers 2^-e: odd multiples of 2^(e-1) are exact ties
        int e = -Math.getExponent(multiplier);
        for (int i = 0; i < acc.length; i++) {
            acc[i] = switch (rng.nextInt(6)) {
                case 0 -> rng.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE;
                case 1 -> e >= 1 && e < 24 ? (2 * rng.nextInt(-300, 300) + 1) << (e - 1) : rng.nextInt();
                case 2 -> rng.nextInt();
                default -> (int) (rng.nextInt(-400, 400) / multiplier);
            };
        }
        int qmin = rng.nextInt(256);
        int qmax = qmin + rng.nextInt(256 - qmin);
        int zp = rng.nextInt(256);
        byte[] want = new byte[qOffset + length + GUARD];
        byte[] got = new byte[want.length];
        Canaries.fill(want);
        Canaries.fill(got);
        REFERENCE.requantize(acc, xOffset, want, qOffset, length, multiplier, zp, qmin, qmax);
        underTest.requantize(acc, xOffset, got, qOffset, length, multiplier, zp, qmin, qmax);
        Canaries.assertExact("QuantizeKernelTester requantize " + describe() + " multiplier=" + multiplier + " zeroPoint=" + zp
                        + " range [" + qmin + ", " + qmax + "]", want, got, i -> i >= qOffset && i < qOffset + length,
                i -> "q[" + i + "] (acc " + acc[i - qOffset + xOffset] + ")");
    }

    /** Values across and beyond the quantized range, with ties and special values at random positions. */
    private void fillQuantizeInputs(SplittableRandom rng, float[] x, float s, int zp) {
        double lo = dtype.min() - zp - 10;
        double hi = dtype.max() - zp + 10;
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (rng.nextInt(8)) {
                case 0 -> special(rng, s);
                case 1, 2 -> (float) ((Math.floor(lo + rng.nextDouble() * (hi - lo)) + 0.5) * s);
                default -> (float) ((lo + rng.nextDouble() * (hi - lo)) * s);
            };
        }
    }

    private static float special(SplittableRandom rng, float s) {
        float[] specials = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE,
                1e20f, -1e20f, 0x1p31f, -0x1p31f, 0x1p24f + 2, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
                0.5f * s, -0.5f * s, 1.5f * s, -1.5f * s, 2.5f * s, -2.5f * s, 127.5f * s, -128.5f * s, 255.5f * s};
        return specials[rng.nextInt(specials.length)];
    }

    private static float randomScale(SplittableRandom rng) {
        return (float) Math.scalb(1 + rng.nextDouble(), -8 + rng.nextInt(8));
    }

    private static float powerOfTwoScale(SplittableRandom rng) {
        return Math.scalb(1f, -8 + rng.nextInt(8));
    }

    private static String valueAt(float[] x, int i) {
        return i >= 0 && i < x.length ? String.valueOf(x[i]) : "?";
    }

    private String describe() {
        return "length=" + length + " xOffset=" + xOffset + " qOffset=" + qOffset + " dtype=" + dtype + " seed=" + seed;
    }
}
