package dev.vquant.engine.testing;

import dev.vquant.engine.reference.FloatGemmReference;
import dev.vquant.engine.spi.FloatGemmKernels;
import dev.vquant.engine.spi.PackedFloatWeights;

import java.util.SplittableRandom;

/**
 * Tests one {@link FloatGemmKernels} against {@link FloatGemmReference}:
 * <pre>new FloatGemmKernelTester().m(4).n(50).k(33).lda(40).nRange(2, 47).seed(seed).test(kernels);</pre>
 * Summation order is each kernel's own, so outputs must agree within
 * {@link FloatTolerance#of}{@code (K, sum_k |A*W| + |bias|)} (a few K units of roundoff of the
 * magnitudes: a dropped or duplicated term is far outside it). Runs with and without bias and
 * with no clamp, ReLU and a narrow clamp; outputs must respect the clamp exactly; canaries around
 * the written region and unchanged inputs as in {@link QGemmKernelTester}.
 */
public final class FloatGemmKernelTester extends GemmTesterBase<FloatGemmKernelTester> {
    private static final FloatGemmReference REFERENCE = TestBackends.reference().floatGemm();

    @Override
    FloatGemmKernelTester self() {
        return this;
    }

    public void test(FloatGemmKernels underTest) {
        checkShape();
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = TestValues.floats(rng, aLength());
        float[] w = TestValues.floats(rng, n * k);
        float[] bias = TestValues.floats(rng, n);
        String shape = "FloatGemmKernelTester " + describe();
        float[] aBefore = a.clone();
        float[] wBefore = w.clone();
        PackedFloatWeights mine = underTest.pack(w, n, k);
        PackedFloatWeights ref = REFERENCE.pack(w, n, k);
        Canaries.assertUnchanged(shape, "weights (pack)", wBefore, w);

        double[] magnitude = new double[cLength()];
        double typical = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int kk = 0; kk < k; kk++) {
                    s += Math.abs((double) a[aOffset + i * lda() + kk] * w[j * k + kk]);
                }
                magnitude[cOffset + i * ldc() + j] = s + Math.abs(bias[j]);
                typical = Math.max(typical, s / Math.sqrt(k));
            }
        }
        for (boolean withBias : new boolean[] {true, false}) {
            for (float[] clamp : FloatTolerance.clampCases(typical)) {
                String stage = shape + (withBias ? " bias" : " no bias") + " clamp [" + clamp[0] + ", " + clamp[1] + "]";
                float[] want = new float[cLength()];
                float[] got = new float[cLength()];
                Canaries.fill(want);
                Canaries.fill(got);
                float[] b = withBias ? bias : null;
                REFERENCE.gemm(a, aOffset, lda(), m, ref, nStart, nEnd(), b, clamp[0], clamp[1], want, cOffset, ldc());
                underTest.gemm(a, aOffset, lda(), m, mine, nStart, nEnd(), b, clamp[0], clamp[1], got, cOffset, ldc());
                Canaries.assertFloats(stage, want, got, this::written, i -> FloatTolerance.of(k, magnitude[i]), this::where);
                FloatTolerance.assertClamped(stage, got, this::written, clamp[0], clamp[1], this::where);
            }
        }
        Canaries.assertUnchanged(shape, "activations A", aBefore, a);
    }
}
