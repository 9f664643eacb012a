package dev.vquant.engine.reference;

import dev.vquant.engine.spi.ConvGeometry;
import dev.vquant.engine.testing.FittingGeometry;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float references against double-precision sums: the float32 result must lie within the
 * classic summation bound {@code (terms+1) * 2^-24 * sum|terms|} of the double result, and
 * respect the clamp exactly.
 */
class FloatReferenceTest {

    @Property(tries = 60)
    void floatGemmIsWithinRoundoffOfTheDoubleSum(@ForAll @IntRange(min = 1, max = 6) int m, @ForAll @IntRange(min = 1, max = 12) int n,
                                                 @ForAll @IntRange(min = 1, max = 200) int k, @ForAll boolean relu, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = floats(rng, m * k);
        float[] w = floats(rng, n * k);
        float[] bias = floats(rng, n);
        float[] c = new float[m * n];
        FloatGemmReference gemm = new FloatGemmReference();
        gemm.gemm(a, 0, k, m, gemm.pack(w, n, k), 0, n, bias, relu ? 0f : Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, c, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double exact = bias[j];
                double magnitude = Math.abs(bias[j]);
                for (int kk = 0; kk < k; kk++) {
                    exact += (double) a[i * k + kk] * w[j * k + kk];
                    magnitude += Math.abs((double) a[i * k + kk] * w[j * k + kk]);
                }
                if (relu) {
                    exact = Math.max(exact, 0);
                }
                double bound = (k + 2) * 0x1p-24 * magnitude;
                float got = c[i * n + j];
                assertTrue(Math.abs(got - exact) <= bound && (!relu || got >= 0),
                        "C[" + i + "][" + j + "] = " + got + ", exact " + exact + ", bound " + bound);
            }
        }
    }

    @Property(tries = 60)
    void floatDepthwiseIsWithinRoundoffOfTheDoubleSum(@ForAll @IntRange(min = 1, max = 6) int channels,
                                                      @ForAll @IntRange(min = 1, max = 8) int h, @ForAll @IntRange(min = 1, max = 8) int w,
                                                      @ForAll @IntRange(min = 1, max = 5) int kernel, @ForAll @IntRange(min = 1, max = 2) int stride,
                                                      @ForAll @IntRange(max = 2) int pad, @ForAll long seed) {
        kernel = Math.min(FittingGeometry.fitKernel(kernel, h, pad, 1), FittingGeometry.fitKernel(kernel, w, pad, 1));
        ConvGeometry g = ConvGeometry.square(kernel, stride, pad);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = floats(rng, h * w * channels);
        float[] wt = floats(rng, channels * kernel * kernel);
        float[] bias = floats(rng, channels);
        int outH = g.outH(h);
        int outW = g.outW(w);
        float[] out = new float[outH * outW * channels];
        FloatDepthwiseReference dw = new FloatDepthwiseReference();
        float lo = -0.5f;
        float hi = 0.75f;
        dw.conv(x, 1, h, w, dw.pack(wt, channels, kernel, kernel), g, bias, lo, hi, 0, outH, out);
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                for (int c = 0; c < channels; c++) {
                    double exact = bias[c];
                    double magnitude = Math.abs(bias[c]);
                    for (int ky = 0; ky < kernel; ky++) {
                        for (int kx = 0; kx < kernel; kx++) {
                            int iy = oy * stride - pad + ky;
                            int ix = ox * stride - pad + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                double t = (double) x[(iy * w + ix) * channels + c] * wt[(c * kernel + ky) * kernel + kx];
                                exact += t;
                                magnitude += Math.abs(t);
                            }
                        }
                    }
                    exact = Math.min(Math.max(exact, lo), hi);
                    float got = out[(oy * outW + ox) * channels + c];
                    double bound = (kernel * kernel + 2) * 0x1p-24 * magnitude;
                    assertTrue(Math.abs(got - exact) <= bound && got >= lo && got <= hi, "got " + got + ", exact " + exact);
                }
            }
        }
    }

    private static float[] floats(SplittableRandom rng, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return f;
    }
}
