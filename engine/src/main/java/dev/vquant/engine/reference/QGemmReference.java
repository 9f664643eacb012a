package dev.vquant.engine.reference;

import dev.vquant.engine.spi.FloatOutput;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.PackedQGemmWeights;
import dev.vquant.engine.spi.QGemmKernels;
import dev.vquant.engine.spi.Requantization;

import java.util.Arrays;

/**
 * Scalar int8 GEMM, any shape, no tiling: the oracle of every {@link QGemmKernels}.
 *
 * <p>The accumulator is computed the way the fast kernels do, as a raw product plus offset
 * corrections, all in int32 arithmetic (wrapping modulo 2^32, which is exact whenever the true
 * value fits int32):
 * <pre>
 * acc[i][j] = sum_k A[i][k]*W[j][k] - zW[j]*rowSumA[i] - zA*rowSumW[j] + K*zA*zW[j]
 *           = sum_k (A[i][k] - zA) * (W[j][k] - zW[j])   (mod 2^32)
 * </pre>
 * Outputs go through {@link Requantization#apply} / {@link FloatOutput#apply}, the one rounding
 * rule. Thread-safe: no state, nothing allocated but the packed weights.
 */
public final class QGemmReference implements QGemmKernels {

    /** Creates the scalar int8 GEMM; stateless, so one instance (each {@link ReferenceBackend} makes one) serves all threads. */
    public QGemmReference() {
    }

    /** Copies {@code w[n][k]} and computes the per-row sums; {@code k} may be any positive length. */
    @Override
    public PackedQGemmWeights pack(byte[] w, int n, int k, int[] zeroPoints) {
        KernelArgs.checkPositive("n (output channels)", n);
        KernelArgs.checkPositive("k (reduction length)", k);
        KernelArgs.checkMatrix("weights", ReferenceArgs.length(w, "weight"), 0, n, k, k);
        KernelArgs.checkWeightZeroPoints(zeroPoints, n);
        int size = ReferenceArgs.product("weights " + n + "x" + k, n, k);
        byte[] copy = Arrays.copyOf(w, size);
        int[] zps = new int[n];
        int[] rowSums = new int[n];
        for (int j = 0; j < n; j++) {
            zps[j] = zeroPoints[zeroPoints.length == 1 ? 0 : j];
            int sum = 0;
            for (int kk = 0; kk < k; kk++) {
                sum += copy[j * k + kk];
            }
            rowSums[j] = sum;
        }
        return new ReferenceQGemmWeights(copy, n, k, zps, rowSums);
    }

    @Override
    public void runInt32(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                         int nEnd, int[] c, int cOffset, int ldc) {
        assert KernelArgs.validGemm(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, c.length, cOffset, ldc);
        ReferenceQGemmWeights pw = ReferenceArgs.packed(w, ReferenceQGemmWeights.class);
        for (int i = 0; i < m; i++) {
            for (int j = nStart; j < nEnd; j++) {
                c[cOffset + i * ldc + j] = accumulator(a, aOffset + i * lda, aZeroPoint, pw, j);
            }
        }
    }

    @Override
    public void runRequantize(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                              int nEnd, Requantization rq, byte[] c, int cOffset, int ldc) {
        assert KernelArgs.validGemm(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, c.length, cOffset, ldc);
        assert rq.channels() == w.n();
        ReferenceQGemmWeights pw = ReferenceArgs.packed(w, ReferenceQGemmWeights.class);
        for (int i = 0; i < m; i++) {
            for (int j = nStart; j < nEnd; j++) {
                c[cOffset + i * ldc + j] = (byte) rq.apply(accumulator(a, aOffset + i * lda, aZeroPoint, pw, j), j);
            }
        }
    }

    @Override
    public void runFloat(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                         int nEnd, FloatOutput out, float[] c, int cOffset, int ldc) {
        assert KernelArgs.validGemm(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, c.length, cOffset, ldc);
        assert out.channels() == w.n();
        ReferenceQGemmWeights pw = ReferenceArgs.packed(w, ReferenceQGemmWeights.class);
        for (int i = 0; i < m; i++) {
            for (int j = nStart; j < nEnd; j++) {
                c[cOffset + i * ldc + j] = out.apply(accumulator(a, aOffset + i * lda, aZeroPoint, pw, j), j);
            }
        }
    }

    /** The exact accumulator of row {@code A[row..row+k)} with weight row {@code j}, via offset corrections. */
    private static int accumulator(byte[] a, int row, int aZeroPoint, ReferenceQGemmWeights w, int j) {
        int k = w.k();
        int product = 0;
        int rowSumA = 0;
        for (int kk = 0; kk < k; kk++) {
            int x = a[row + kk] & 0xFF;
            product += x * w.weight(j, kk);
            rowSumA += x;
        }
        int zW = w.zeroPoint(j);
        return product - zW * rowSumA - aZeroPoint * w.rowSums()[j] + k * aZeroPoint * zW;
    }
}
