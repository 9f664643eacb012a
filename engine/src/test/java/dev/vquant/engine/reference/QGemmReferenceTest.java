package dev.vquant.engine.reference;

import dev.vquant.engine.spi.FloatOutput;
import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.engine.spi.Requantization;
import dev.vquant.engine.testing.NaiveMath;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link QGemmReference} against a naive formulation written differently: the dequantized-integer
 * products {@code (A - zA) * (W - zW)} summed in {@code long} with k as the OUTER loop (the
 * reference sums raw products and applies offset corrections in int32), then the output stages
 * recomputed with exact arithmetic and explicit half-to-even rounding.
 */
class QGemmReferenceTest {
    private final QGemmReference gemm = new QGemmReference();

    /** {@code acc[i][j]} in long, k outermost. */
    private static long[][] naiveAccumulators(byte[] a, int lda, int m, int za, byte[] w, int n, int k, int[] zw) {
        long[][] acc = new long[m][n];
        for (int kk = 0; kk < k; kk++) {
            for (int i = 0; i < m; i++) {
                long x = (a[i * lda + kk] & 0xFF) - za;
                for (int j = 0; j < n; j++) {
                    acc[i][j] += x * (w[j * k + kk] - zw[zw.length == 1 ? 0 : j]);
                }
            }
        }
        return acc;
    }

    @Property(tries = 60)
    void int32AccumulatorsEqualTheLongTripleLoop(@ForAll @IntRange(min = 1, max = 8) int m,
                                                 @ForAll @IntRange(min = 1, max = 24) int n,
                                                 @ForAll @IntRange(min = 1, max = 300) int k,
                                                 @ForAll boolean perChannel, @ForAll boolean extremes, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] a = bytes(rng, m * k, extremes, true);
        byte[] w = bytes(rng, n * k, extremes, false);
        int za = extremes ? 0 : rng.nextInt(256);
        int[] zw = new int[perChannel ? n : 1];
        for (int j = 0; j < zw.length; j++) {
            zw[j] = extremes ? 127 : rng.nextInt(256) - 128;
        }
        long[][] naive = naiveAccumulators(a, k, m, za, w, n, k, zw);
        int[] c = new int[m * n];
        gemm.gemmInt32(a, 0, k, m, za, gemm.pack(w, n, k, zw), 0, n, c, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(naive[i][j], c[i * n + j], "C[" + i + "][" + j + "] M=" + m + " N=" + n + " K=" + k + " seed=" + seed);
            }
        }
    }

    @Property(tries = 40)
    void outputStagesEqualExactArithmeticOnTheNaiveAccumulators(@ForAll @IntRange(min = 1, max = 6) int m,
                                                                @ForAll @IntRange(min = 1, max = 12) int n,
                                                                @ForAll @IntRange(min = 1, max = 64) int k,
                                                                @ForAll boolean relu, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] a = bytes(rng, m * k, false, true);
        byte[] w = bytes(rng, n * k, false, false);
        int za = rng.nextInt(256);
        int[] zw = {rng.nextInt(256) - 128};
        long[][] acc = naiveAccumulators(a, k, m, za, w, n, k, zw);
        PackedQGemmWeights packed = gemm.pack(w, n, k, zw);
        double sA = 0.02 + rng.nextDouble() * 0.05;
        double[] sW = new double[n];
        float[] bias = new float[n];
        for (int j = 0; j < n; j++) {
            sW[j] = 0.001 + rng.nextDouble() * 0.01;
            bias[j] = (float) ((rng.nextDouble() - 0.5) * 2);
        }
        double sOut = 0.05 + rng.nextDouble() * 0.2;
        int zOut = rng.nextInt(256);

        Requantization fb = Requantization.fbgemm(sA, sW, bias, sOut, zOut, relu, n);
        byte[] c = new byte[m * n];
        gemm.gemmRequantize(a, 0, k, m, za, packed, 0, n, fb, c, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float atws = (float) sA * (float) sW[j];
                float v = (float) ((double) NaiveMath.exactSumToFloat((float) acc[i][j], bias[j] / atws) * (atws / (float) sOut));
                assertEquals(NaiveMath.roundAddClamp(v, zOut, relu ? zOut : 0, 255), c[i * n + j] & 0xFF, "fbgemm C[" + i + "][" + j + "]");
            }
        }

        FloatOutput out = FloatOutput.of(sA, sW, bias, true, relu, n);
        float[] f = new float[m * n];
        gemm.gemmFloat(a, 0, k, m, za, packed, 0, n, out, f, 0, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float scale = (float) sA * (float) sW[j];
                // fma: one rounding of the exact acc * scale + bias
                float y = new java.math.BigDecimal(acc[i][j]).multiply(new java.math.BigDecimal(scale))
                        .add(new java.math.BigDecimal(bias[j])).floatValue();
                assertEquals(relu ? Math.max(y, 0f) : y, f[i * n + j], "fused float C[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void largestExactKAtTheExtremesAndWrapBeyondIt() {
        // (255 - 0) * (-128 - 127) = -65025 per term: K = 33025 is the largest K whose sum fits int32
        for (int k : new int[] {33_025, 40_000}) {
            byte[] a = new byte[k];
            Arrays.fill(a, (byte) 255);
            byte[] w = new byte[k];
            Arrays.fill(w, (byte) -128);
            int[] c = new int[1];
            gemm.gemmInt32(a, 0, k, 1, 0, gemm.pack(w, 1, k, new int[] {127}), 0, 1, c, 0, 1);
            long exact = -65_025L * k;
            assertEquals((int) exact, c[0], "K=" + k + " (exact modulo 2^32)");
            if (k == 33_025) {
                assertEquals(exact, c[0]);
            }
        }
    }

    @Test
    void writesOnlyTheColumnRangeAtAbsoluteColumns() {
        byte[] a = {1, 2, 3, 4};
        byte[] w = {1, 0, 0, 1, 1, 1};
        int[] c = new int[2 * 5];
        Arrays.fill(c, -7);
        gemm.gemmInt32(a, 0, 2, 2, 0, gemm.pack(w, 3, 2, new int[] {0}), 1, 3, c, 1, 5);
        // rows of A: [1,2], [3,4]; columns of W: [1,0], [0,1], [1,1]
        assertArrayEquals(new int[] {-7, -7, 2, 3, -7, -7, -7, 4, 7, -7}, c);
    }

    private static byte[] bytes(SplittableRandom rng, int len, boolean extremes, boolean unsigned) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (extremes ? (unsigned ? 255 : -128) : rng.nextInt(256));
        }
        return b;
    }
}
