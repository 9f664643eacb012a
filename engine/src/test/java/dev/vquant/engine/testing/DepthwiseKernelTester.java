package dev.vquant.engine.testing;

import dev.vquant.engine.reference.DepthwiseReference;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.DepthwiseKernels;
import dev.vquant.engine.spi.PackedDepthwiseWeights;
import dev.vquant.engine.spi.Requantization;

import java.util.SplittableRandom;

/**
 * Tests one {@link DepthwiseKernels} against {@link DepthwiseReference}, bit for bit:
 * <pre>
 * new DepthwiseKernelTester().channels(19).batch(2).size(9, 7).kernel(3).stride(2).pad(1)
 *         .rows(1, 7).perChannel(true).extremes(Extremes.MIXED).seed(seed).test(kernels);
 * </pre>
 * Generates input, weights and zero points from the seed, packs with both, and compares
 * {@code convInt32} and {@code convRequantize} for every {@link Requantization} mode (fbgemm,
 * qnnpack, fixed point; ReLU or not; random and power-of-two scales; bias or not). Output rows
 * outside the range and guard elements after the tensor must keep their canaries; input and
 * weights must be unchanged. Failures name the shape, the seed and the stage.
 */
public final class DepthwiseKernelTester extends DepthwiseTesterBase<DepthwiseKernelTester> {
    private static final DepthwiseReference REFERENCE = TestBackends.reference().depthwise();

    private Integer aZeroPoint;
    private boolean perChannel;
    private int activationMax = 255;
    private Extremes extremes = Extremes.NONE;

    @Override
    DepthwiseKernelTester self() {
        return this;
    }

    /** The activation zero point (default: random in {@code [0, activationMax]}). */
    public DepthwiseKernelTester aZeroPoint(int aZeroPoint) {
        this.aZeroPoint = aZeroPoint;
        return this;
    }

    /** Per-channel weight zero points and scales (default per tensor). */
    public DepthwiseKernelTester perChannel(boolean perChannel) {
        this.perChannel = perChannel;
        return this;
    }

    /** Largest activation value (127 for 7-bit activations, default 255). */
    public DepthwiseKernelTester activationMax(int activationMax) {
        this.activationMax = activationMax;
        return this;
    }

    public DepthwiseKernelTester extremes(Extremes extremes) {
        this.extremes = extremes;
        return this;
    }

    public void test(DepthwiseKernels underTest) {
        checkShape();
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] x = TestValues.activations(rng, inputLength(), activationMax, extremes);
        byte[] wt = TestValues.weights(rng, channels * kernelH * kernelW, extremes);
        int za = aZeroPoint != null ? aZeroPoint : TestValues.activationZeroPoint(rng, activationMax, extremes);
        int[] zw = TestValues.weightZeroPoints(rng, perChannel ? channels : 1, extremes);
        ConvGeometry g = geometry();
        String shape = "DepthwiseKernelTester " + describe() + " aZeroPoint=" + za + " weightZeroPoints="
                + (perChannel ? "per-channel" : zw[0]) + " activationMax=" + activationMax + " extremes=" + extremes;

        byte[] xBefore = x.clone();
        byte[] wBefore = wt.clone();
        PackedDepthwiseWeights mine = underTest.pack(wt, channels, kernelH, kernelW, zw);
        PackedDepthwiseWeights ref = REFERENCE.pack(wt, channels, kernelH, kernelW, zw);
        Canaries.assertUnchanged(shape, "weights (pack)", wBefore, wt);

        int[] expected = new int[outputLength()];
        int[] actual = new int[outputLength()];
        Canaries.fill(expected);
        Canaries.fill(actual);
        REFERENCE.convInt32(x, batch, h, w, za, ref, g, rowStart, rowEnd(), expected);
        underTest.convInt32(x, batch, h, w, za, mine, g, rowStart, rowEnd(), actual);
        Canaries.assertExact(shape + " convInt32", expected, actual, this::written, this::where);

        long maxAbsAcc = 1;
        for (int i = 0; i < expected.length; i++) {
            if (written(i)) {
                maxAbsAcc = Math.max(maxAbsAcc, Math.abs((long) expected[i]));
            }
        }
        // one real accumulator per channel, for the exact-tie case
        int[] tieAcc = new int[channels];
        if (rowEnd() > rowStart) {
            for (int c = 0; c < channels; c++) {
                int row = rowStart + rng.nextInt(rowEnd() - rowStart);
                tieAcc[c] = expected[(row * outW() + rng.nextInt(outW())) * channels + c];
            }
        }
        // reference outputs derived from its accumulators with Requantization.apply (one reference
        // convolution instead of one per stage), checked once against its own convRequantize
        boolean selfChecked = false;
        for (RequantizationCases.Case<Requantization> c : RequantizationCases.requantizations(rng, channels, perChannel, maxAbsAcc, tieAcc)) {
            byte[] want = new byte[outputLength()];
            Canaries.fill(want);
            for (int i = 0; i < want.length; i++) {
                if (written(i)) {
                    want[i] = (byte) c.stage().apply(expected[i], i % channels);
                }
            }
            if (!selfChecked) {
                byte[] direct = new byte[outputLength()];
                Canaries.fill(direct);
                REFERENCE.convRequantize(x, batch, h, w, za, ref, g, c.stage(), rowStart, rowEnd(), direct);
                Canaries.assertExact(shape + " reference self-check " + c.name(), want, direct, this::written, this::where);
                selfChecked = true;
            }
            byte[] got = new byte[outputLength()];
            Canaries.fill(got);
            underTest.convRequantize(x, batch, h, w, za, mine, g, c.stage(), rowStart, rowEnd(), got);
            Canaries.assertExact(shape + " convRequantize " + c.name(), want, got, this::written, this::where);
        }
        Canaries.assertUnchanged(shape, "input", xBefore, x);
    }
}
