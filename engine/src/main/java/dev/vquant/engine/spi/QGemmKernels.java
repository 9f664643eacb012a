package dev.vquant.engine.spi;

/**
 * int8 GEMM on weights packed once: {@code C[i][j] = out(acc[i][j], j)} for rows {@code i < m}
 * and columns {@code nStart <= j < nEnd}, where the exact int32 accumulator is
 * <pre>acc[i][j] = sum_k (A[i][k] - aZeroPoint) * (W[j][k] - wZeroPoint[j])</pre>
 * with A quint8 (0..255, row {@code i} at {@code a[aOffset + i*lda ...]}) and W qint8.
 *
 * <p>Exactness: the sum is exact modulo 2^32 for every K the packer accepts (int32 wrap-around
 * only when the true value leaves int32, which needs K above ~33000 at the extremes). A fast
 * path that is exact only under a condition (7-bit activations, K below a bound) checks it and
 * falls back.
 *
 * <p>Column {@code j} is written at {@code c[cOffset + i*ldc + j]} (absolute {@code j}, so callers
 * split work by column ranges without moving the output). Implementations validate arguments
 * with {@link KernelArgs}, allocate nothing per call in steady state beyond small per-thread
 * scratch, and are safe to call from many threads on the same packed weights.
 */
public interface QGemmKernels {

    /**
     * Packs {@code w[n][k]} (row-major, qint8) with {@code zeroPoints} of length 1 (per tensor) or
     * {@code n} (per channel). The input array is not retained.
     */
    PackedQGemmWeights pack(byte[] w, int n, int k, int[] zeroPoints);

    /** Raw exact accumulators. */
    void gemmInt32(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart, int nEnd,
                   int[] c, int cOffset, int ldc);

    /** Accumulators requantized to quint8 ({@code rq.channels() == w.n()}). */
    void gemmRequantize(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                        int nEnd, Requantization rq, byte[] c, int cOffset, int ldc);

    /** Accumulators turned into float32 (dynamic quantization; {@code out.channels() == w.n()}). */
    void gemmFloat(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart, int nEnd,
                   FloatOutput out, float[] c, int cOffset, int ldc);
}
