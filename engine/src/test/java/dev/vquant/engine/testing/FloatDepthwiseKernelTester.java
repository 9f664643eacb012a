package dev.vquant.engine.testing;

import dev.vquant.engine.reference.FloatDepthwiseReference;
import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.spi.FloatDepthwiseKernels;
import dev.vquant.engine.spi.PackedFloatDepthwiseWeights;

import java.util.SplittableRandom;

/**
 * Tests one {@link FloatDepthwiseKernels} against {@link FloatDepthwiseReference}, within
 * {@link FloatTolerance#of}{@code (taps, sum |X*W| + |bias|)} per output (summation order is the
 * kernel's own): with and without bias, no clamp, ReLU and a narrow clamp (respected exactly),
 * canaries on rows outside the range and after the tensor, inputs unchanged.
 * <pre>new FloatDepthwiseKernelTester().channels(21).size(8, 11).kernel(5).pad(2).stride(2).seed(seed).test(kernels);</pre>
 */
public final class FloatDepthwiseKernelTester extends DepthwiseTesterBase<FloatDepthwiseKernelTester> {
    private static final FloatDepthwiseReference REFERENCE = TestBackends.reference().floatDepthwise();

    @Override
    FloatDepthwiseKernelTester self() {
        return this;
    }

    public void test(FloatDepthwiseKernels underTest) {
        checkShape();
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = TestValues.floats(rng, inputLength());
        float[] wt = TestValues.floats(rng, channels * kernelH * kernelW);
        float[] bias = TestValues.floats(rng, channels);
        ConvGeometry g = geometry();
        String shape = "FloatDepthwiseKernelTester " + describe();
        float[] xBefore = x.clone();
        float[] wBefore = wt.clone();
        PackedFloatDepthwiseWeights mine = underTest.pack(wt, channels, kernelH, kernelW);
        PackedFloatDepthwiseWeights ref = REFERENCE.pack(wt, channels, kernelH, kernelW);
        Canaries.assertUnchanged(shape, "weights (pack)", wBefore, wt);

        double[] magnitude = magnitudes(x, wt, bias, g);
        double typical = 0;
        for (double v : magnitude) {
            typical = Math.max(typical, v / Math.sqrt(kernelH * kernelW));
        }
        for (boolean withBias : new boolean[] {true, false}) {
            for (float[] clamp : FloatTolerance.clampCases(typical)) {
                String stage = shape + (withBias ? " bias" : " no bias") + " clamp [" + clamp[0] + ", " + clamp[1] + "]";
                float[] want = new float[outputLength()];
                float[] got = new float[outputLength()];
                Canaries.fill(want);
                Canaries.fill(got);
                float[] b = withBias ? bias : null;
                REFERENCE.conv(x, batch, h, w, ref, g, b, clamp[0], clamp[1], rowStart, rowEnd(), want);
                underTest.conv(x, batch, h, w, mine, g, b, clamp[0], clamp[1], rowStart, rowEnd(), got);
                Canaries.assertFloats(stage, want, got, this::written, i -> FloatTolerance.of(kernelH * kernelW, magnitude[i]),
                        this::where);
                FloatTolerance.assertClamped(stage, got, this::written, clamp[0], clamp[1], this::where);
            }
        }
        Canaries.assertUnchanged(shape, "input", xBefore, x);
    }

    /** {@code sum_taps |X*W| + |bias|} per output element, computed in double. */
    private double[] magnitudes(float[] x, float[] wt, float[] bias, ConvGeometry g) {
        double[] mag = new double[outputLength()];
        int outH = outH();
        int outW = outW();
        for (int row = 0; row < batch * outH; row++) {
            int n = row / outH;
            int oy = row % outH;
            for (int ox = 0; ox < outW; ox++) {
                for (int c = 0; c < channels; c++) {
                    double s = Math.abs(bias[c]);
                    for (int ky = 0; ky < kernelH; ky++) {
                        int iy = oy * g.strideH() - g.padH() + ky * g.dilationH();
                        for (int kx = 0; kx < kernelW; kx++) {
                            int ix = ox * g.strideW() - g.padW() + kx * g.dilationW();
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                s += Math.abs((double) x[((n * h + iy) * w + ix) * channels + c] * wt[(c * kernelH + ky) * kernelW + kx]);
                            }
                        }
                    }
                    mag[(row * outW + ox) * channels + c] = s;
                }
            }
        }
        return mag;
    }
}
