package dev.vquant.ops.nn;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.spi.KernelBackend;
import dev.vquant.ops.elementwise.FloatActivation;
import dev.vquant.ops.math.ScalarMath;
import dev.vquant.ops.math.VectorMath;
import dev.vquant.ops.testing.Engines;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The float operators of {@code ops.nn}: the softmax and LayerNorm row kernels equal their scalar
 * twins bit for bit (random lengths with tails, offsets, extreme values) and a float64 computation
 * within float rounding; the batched products match float64 on every engine; GELU/tanh/sigmoid
 * (FloatActivation) equal {@link ScalarMath} element by element whatever the thread split; embedding copies rows;
 * bad arguments fail with messages naming the operator.
 */
class NnOpsPropertiesTest {
    private static final KernelBackend REF = Engines.reference();

    private static float[] row(Random r, int n, boolean extreme) {
        float[] x = new float[n];
        float offset = extreme ? (r.nextFloat() - 0.5f) * 2000 : 0;
        float spread = extreme ? (float) Math.pow(10, r.nextInt(6) - 2) : 3;
        for (int i = 0; i < n; i++) {
            x[i] = offset + (r.nextFloat() * 2 - 1) * spread;
        }
        return x;
    }

    private static void bitEqual(String what, float[] want, float[] got, Object inputs) {
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                fail(what + " differs at " + i + ": vector " + got[i] + ", twin " + want[i] + " for " + inputs);
            }
        }
    }

    @Property(tries = 150)
    void softmaxRowEqualsTwinAndFloat64(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll @IntRange(min = 0, max = 9) int off,
                                        @ForAll boolean extreme, @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = new float[off + n];
        System.arraycopy(row(r, n, extreme), 0, x, off, n);
        if (extreme && n > 2) {
            x[off + r.nextInt(n)] = Float.NEGATIVE_INFINITY;
        }
        float[] got = new float[n];
        float[] want = new float[n];
        RowKernels.softmax(x, off, got, 0, n, RowKernels.scratch());
        RowKernelsReference.softmax(x, off, want, 0, n, VectorMath.LANES);
        bitEqual("softmax", want, got, Arrays.toString(x));
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        double sum = 0;
        double spread = 0; // the largest finite |x - max|
        for (int i = 0; i < n; i++) {
            sum += Math.exp(x[off + i] - max);
            if (x[off + i] != Float.NEGATIVE_INFINITY) {
                spread = Math.max(spread, max - x[off + i]);
            }
        }
        // A worst-case bound, u = 2^-24: the float32 x - max is off by <= u|x - max|, which exp turns
        // into the same relative error (at most u * spread, for the element and for every term of the
        // sum), exp's 2 ulps are <= 4u, the n-term sum of positive values adds <= (n - 1)u, the
        // reciprocal and the product u each; plus subnormal exp results' absolute 2 ulps (the sum >= 1).
        double relative = (2 * spread + 8 + n + 2) * 0x1p-24 * 1.01;
        for (int i = 0; i < n; i++) {
            double exact = Math.exp(x[off + i] - max) / sum;
            assertTrue(Math.abs(got[i] - exact) <= relative * exact + 0x1p-147, "softmax " + i + ": " + got[i] + " vs " + exact
                    + " (n " + n + ", spread " + spread + ")");
        }
    }

    @Property(tries = 150)
    void layerNormRowEqualsTwinAndFloat64(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll @IntRange(min = 0, max = 9) int off,
                                          @ForAll boolean affine, @ForAll boolean extreme, @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = new float[off + n];
        System.arraycopy(row(r, n, extreme), 0, x, off, n);
        float[] gamma = affine ? row(r, n, false) : null;
        float[] beta = affine ? row(r, n, false) : null;
        float eps = r.nextBoolean() ? 1e-12f : 1e-5f;
        float[] got = new float[n];
        float[] want = new float[n];
        RowKernels.layerNorm(x, off, got, 0, n, eps, gamma, beta, RowKernels.scratch());
        RowKernelsReference.layerNorm(x, off, want, 0, n, eps, gamma, beta, VectorMath.LANES);
        bitEqual("layerNorm", want, got, Arrays.toString(x));
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += x[off + i];
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            var += (x[off + i] - mean) * (x[off + i] - mean);
        }
        var /= n;
        double rstd = 1 / Math.sqrt(var + eps);
        // float32 mean/variance of values offset by up to 1000 from a spread down to 0.01: the
        // normalized value carries ~ (|mean| / std) * 2^-24 * sqrt(n) absolute error
        double tol = 4e-6 * (1 + Math.abs(mean) * rstd) * Math.sqrt(n);
        for (int i = 0; i < n; i++) {
            double norm = (x[off + i] - mean) * rstd;
            double exact = affine ? norm * gamma[i] + beta[i] : norm;
            double scale = affine ? Math.abs(gamma[i]) : 1;
            assertTrue(Math.abs(got[i] - exact) <= tol * scale + 1e-6 * Math.abs(exact), "layerNorm " + i + ": " + got[i]
                    + " vs " + exact + " (n " + n + ", mean " + mean + ", var " + var + ")");
        }
    }

    @Property(tries = 40)
    void batchMatmulMatchesFloat64OnEveryEngine(@ForAll @IntRange(min = 1, max = 3) int b0, @ForAll @IntRange(min = 1, max = 4) int b1,
                                                @ForAll @IntRange(min = 1, max = 40) int m, @ForAll @IntRange(min = 1, max = 70) int k,
                                                @ForAll @IntRange(min = 1, max = 40) int n, @ForAll @IntRange(min = 1, max = 3) int threads,
                                                @ForAll long seed) {
        Random r = new Random(seed);
        int batches = b0 * b1;
        float[] a = row(r, batches * m * k, false);
        float[] bt = row(r, batches * n * k, false); // [*, N, K]
        float[] bn = new float[bt.length]; // the same values as [*, K, N]
        for (int i = 0; i < batches; i++) {
            for (int j = 0; j < n; j++) {
                for (int kk = 0; kk < k; kk++) {
                    bn[i * k * n + kk * n + j] = bt[i * n * k + j * k + kk];
                }
            }
        }
        FloatBatchMatmul op = new FloatBatchMatmul(threads);
        for (KernelBackend e : Engines.installed()) {
            FloatTensor y1 = op.matmul(FloatTensor.of(a, b0, b1, m, k), FloatTensor.of(bn, b0, b1, k, n), e);
            FloatTensor y2 = op.matmulTransposedB(FloatTensor.of(a, b0, b1, m, k), FloatTensor.of(bt, b0, b1, n, k), e);
            assertArrayEquals(new int[]{b0, b1, m, n}, y1.shape());
            assertArrayEquals(y1.data(), y2.data(), e.name() + ": the two forms pack the same W[n][k]");
            for (int i = 0; i < batches; i++) {
                for (int row = 0; row < m; row++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        double abs = 0;
                        for (int kk = 0; kk < k; kk++) {
                            double p = (double) a[i * m * k + row * k + kk] * bt[i * n * k + j * k + kk];
                            s += p;
                            abs += Math.abs(p);
                        }
                        float got = y1.data()[i * m * n + row * n + j];
                        assertTrue(Math.abs(got - s) <= k * 6e-8 * abs + 1e-6, e.name() + " [" + i + "," + row + "," + j + "]: "
                                + got + " vs " + s);
                    }
                }
            }
        }
    }

    /** The activations of {@link FloatActivation} on {@link VectorMath}. */
    enum Smooth {
        GELU, GELU_TANH, TANH
    }

    @Property(tries = 20)
    void activationsEqualScalarMathWhateverTheSplit(@ForAll Smooth smooth, @ForAll @IntRange(min = 0, max = 70_000) int n,
                                                   @ForAll long seed) {
        FloatActivation.Kind kind = FloatActivation.Kind.valueOf(smooth.name());
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (r.nextFloat() * 2 - 1) * 12;
        }
        float[] one = new FloatActivation(kind, 1).forward(FloatTensor.of(x, n), REF).data();
        float[] three = new FloatActivation(kind, 3).forward(FloatTensor.of(x, n), REF).data();
        assertArrayEquals(one, three);
        for (int i = 0; i < n; i++) {
            float want = switch (kind) {
                case GELU -> ScalarMath.gelu(x[i]);
                case GELU_TANH -> ScalarMath.geluTanh(x[i]);
                case TANH -> ScalarMath.tanh(x[i]);
                default -> throw new AssertionError(kind);
            };
            assertEquals(want, one[i], kind + "(" + x[i] + ")");
        }
    }

    @Property(tries = 20)
    void operatorsSplitRowsWithoutChangingThem(@ForAll @IntRange(min = 1, max = 400) int rows, @ForAll @IntRange(min = 1, max = 200) int n,
                                               @ForAll long seed) {
        Random r = new Random(seed);
        float[] x = row(r, rows * n, false);
        FloatTensor in = FloatTensor.of(x, rows, n);
        float[] sm = new FloatSoftmax(3).forward(in, REF).data();
        float[] gamma = row(r, n, false);
        float[] beta = row(r, n, false);
        float[] ln = FloatLayerNorm.builder(n).weight(gamma).bias(beta).threads(3).build().forward(in, REF).data();
        float[] want = new float[n];
        for (int i = 0; i < rows; i++) {
            RowKernelsReference.softmax(x, i * n, want, 0, n, VectorMath.LANES);
            bitEqual("softmax row " + i, want, Arrays.copyOfRange(sm, i * n, i * n + n), "seed " + seed);
            RowKernelsReference.layerNorm(x, i * n, want, 0, n, 1e-5f, gamma, beta, VectorMath.LANES);
            bitEqual("layerNorm row " + i, want, Arrays.copyOfRange(ln, i * n, i * n + n), "seed " + seed);
        }
    }

    @Test
    void layerNormOverTwoTrailingDimensionsAndWithoutAffine() {
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        float[] y = FloatLayerNorm.builder(2, 3).eps(0).threads(1).build().forward(FloatTensor.of(x, 2, 2, 3), REF).data();
        double std = Math.sqrt(35.0 / 12);
        assertEquals((1 - 3.5) / std, y[0], 1e-6);
        assertEquals((12 - 9.5) / std, y[11], 1e-6);
    }

    @Test
    void softmaxSpecialRows() {
        float[] y = new FloatSoftmax(1).forward(FloatTensor.of(new float[]{Float.NEGATIVE_INFINITY, 0, 1000, 1000}, 2, 2), REF).data();
        assertEquals(0f, y[0]);
        assertEquals(1f, y[1]);
        assertEquals(0.5f, y[2]);
        assertEquals(0.5f, y[3]);
        float[] nan = new FloatSoftmax(1).forward(FloatTensor.of(new float[]{Float.POSITIVE_INFINITY, 0}, 2), REF).data();
        assertTrue(Float.isNaN(nan[0]));
    }

    @Test
    void embeddingCopiesRowsAndChecksIndices() {
        FloatEmbedding emb = new FloatEmbedding(FloatTensor.of(new float[]{0, 1, 10, 11, 20, 21}, 3, 2));
        FloatTensor y = emb.forward(new int[]{2, 0, 1, 2}, 2, 2);
        assertArrayEquals(new int[]{2, 2, 2}, y.shape());
        assertArrayEquals(new float[]{20, 21, 0, 1, 10, 11, 20, 21}, y.data());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> emb.forward(new int[]{0, 3}, 2));
        assertTrue(e.getMessage().contains("index 3 at position 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> emb.forward(new int[]{-1}, 1));
        assertThrows(IllegalArgumentException.class, () -> emb.forward(new int[]{0, 1}, 3));
        assertThrows(IllegalArgumentException.class, () -> emb.forward(null, 1));
        assertThrows(IllegalArgumentException.class, () -> new FloatEmbedding(FloatTensor.of(new float[3], 3)));
    }

    @Test
    void badArgumentsNameTheOperator() {
        FloatTensor x = FloatTensor.of(new float[6], 2, 3);
        assertThrows(IllegalArgumentException.class, () -> FloatLayerNorm.builder(3).eps(Double.NaN).threads(1).build());
        assertThrows(IllegalArgumentException.class, () -> FloatLayerNorm.builder(3).eps(-1).threads(1).build());
        assertThrows(IllegalArgumentException.class, () -> FloatLayerNorm.builder(3).weight(new float[2]).threads(1).build());
        assertThrows(IllegalArgumentException.class, () -> FloatLayerNorm.builder(3).bias(new float[3]).threads(1).build());
        assertThrows(IllegalArgumentException.class, () -> FloatLayerNorm.builder(0).threads(1).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FloatLayerNorm.builder(4).threads(1).build().forward(x, REF));
        assertTrue(e.getMessage().startsWith("FloatLayerNorm"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FloatSoftmax(1).forward(FloatTensor.of(new float[1]), REF));
        assertThrows(IllegalArgumentException.class, () -> new FloatSoftmax(1).forward(null, REF));
        FloatBatchMatmul mm = new FloatBatchMatmul(1);
        e = assertThrows(IllegalArgumentException.class, () -> mm.matmul(x, x, REF));
        assertTrue(e.getMessage().contains("inner dimensions"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> mm.matmul(FloatTensor.of(new float[12], 2, 2, 3), FloatTensor.of(new float[18], 3, 3, 2), REF));
        assertThrows(IllegalArgumentException.class, () -> mm.matmul(FloatTensor.of(new float[3], 3), x, REF));
        assertThrows(IllegalArgumentException.class, () -> mm.matmulTransposedB(x, null, REF));
        assertArrayEquals(new float[4], mm.matmul(FloatTensor.of(new float[0], 2, 0), FloatTensor.of(new float[0], 0, 2), REF).data());
    }
}
