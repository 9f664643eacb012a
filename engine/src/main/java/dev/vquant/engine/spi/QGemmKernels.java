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
 * split work by column ranges without moving the output).
 *
 * <p>Validate once: the {@code gemm...} entry points check their arguments with
 * {@link KernelArgs#checkGemm} (the same message on every engine) and call the matching
 * {@code run...} kernel. An operator that has validated its call once (its input tensor, its
 * packed weights, its output stage) calls the {@code run...} kernels directly, once per thread
 * block, without re-checking; implementations {@code assert} the preconditions there
 * ({@link KernelArgs#validGemm}) and check only that the weights are theirs (the cast to their
 * packed type). Kernels allocate nothing per call in steady state beyond small per-thread
 * scratch, and are safe to call from many threads on the same packed weights.
 */
public interface QGemmKernels {

    /**
     * Packs {@code w[n][k]} (row-major, qint8) with {@code zeroPoints} of length 1 (per tensor) or
     * {@code n} (per channel). The input array is not retained.
     *
     * @param w          the weight matrix, {@code n * k} values
     * @param n          output channels
     * @param k          reduction length
     * @param zeroPoints qint8 zero points, 1 or {@code n}
     * @return the packed weights, for this engine's kernels only
     * @throws IllegalArgumentException for a size {@code <= 0}, a short array or bad zero points
     */
    PackedQGemmWeights pack(byte[] w, int n, int k, int[] zeroPoints);

    /**
     * Raw exact accumulators, after checking every argument.
     *
     * @param a          quint8 activations
     * @param aOffset    index of {@code A[0][0]}
     * @param lda        leading dimension of A ({@code >= k})
     * @param m          rows
     * @param aZeroPoint activation zero point, 0..255
     * @param w          weights packed by this engine
     * @param nStart     first output column
     * @param nEnd       end of the output columns (exclusive)
     * @param c          output, {@code c[cOffset + i*ldc + j]}
     * @param cOffset    index of {@code C[0][0]}
     * @param ldc        leading dimension of C
     * @throws IllegalArgumentException naming the bad argument ({@link KernelArgs#checkGemm})
     */
    default void gemmInt32(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                           int nEnd, int[] c, int cOffset, int ldc) {
        KernelArgs.checkGemm(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, null, 0, c == null ? -1 : c.length,
                cOffset, ldc);
        runInt32(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, c, cOffset, ldc);
    }

    /**
     * Accumulators requantized to quint8 ({@code rq.channels() == w.n()}), after checking every
     * argument; parameters as {@link #gemmInt32}.
     *
     * @param a          quint8 activations
     * @param aOffset    index of {@code A[0][0]}
     * @param lda        leading dimension of A
     * @param m          rows
     * @param aZeroPoint activation zero point
     * @param w          weights packed by this engine
     * @param nStart     first output column
     * @param nEnd       end of the output columns (exclusive)
     * @param rq         the output stage, one channel per weight row
     * @param c          quint8 output
     * @param cOffset    index of {@code C[0][0]}
     * @param ldc        leading dimension of C
     * @throws IllegalArgumentException naming the bad argument ({@link KernelArgs#checkGemm})
     */
    default void gemmRequantize(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w,
                                int nStart, int nEnd, Requantization rq, byte[] c, int cOffset, int ldc) {
        KernelArgs.checkGemm(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, "requantization",
                rq == null ? -1 : rq.channels(), c == null ? -1 : c.length, cOffset, ldc);
        runRequantize(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, rq, c, cOffset, ldc);
    }

    /**
     * Accumulators turned into float32 (dynamic quantization; {@code out.channels() == w.n()}),
     * after checking every argument; parameters as {@link #gemmInt32}.
     *
     * @param a          quint8 activations
     * @param aOffset    index of {@code A[0][0]}
     * @param lda        leading dimension of A
     * @param m          rows
     * @param aZeroPoint activation zero point
     * @param w          weights packed by this engine
     * @param nStart     first output column
     * @param nEnd       end of the output columns (exclusive)
     * @param out        the float output stage, one channel per weight row
     * @param c          float output
     * @param cOffset    index of {@code C[0][0]}
     * @param ldc        leading dimension of C
     * @throws IllegalArgumentException naming the bad argument ({@link KernelArgs#checkGemm})
     */
    default void gemmFloat(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                           int nEnd, FloatOutput out, float[] c, int cOffset, int ldc) {
        KernelArgs.checkGemm(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, "float output stage",
                out == null ? -1 : out.channels(), c == null ? -1 : c.length, cOffset, ldc);
        runFloat(a, aOffset, lda, m, aZeroPoint, w, nStart, nEnd, out, c, cOffset, ldc);
    }

    /**
     * The kernel behind {@link #gemmInt32}, for callers that validated the call once: the
     * arguments must pass {@link KernelArgs#checkGemm}; implementations assert that and throw
     * {@link IllegalArgumentException} only for weights packed by another engine.
     *
     * @param a          quint8 activations
     * @param aOffset    index of {@code A[0][0]}
     * @param lda        leading dimension of A
     * @param m          rows
     * @param aZeroPoint activation zero point
     * @param w          weights packed by this engine
     * @param nStart     first output column
     * @param nEnd       end of the output columns (exclusive)
     * @param c          output
     * @param cOffset    index of {@code C[0][0]}
     * @param ldc        leading dimension of C
     */
    void runInt32(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart, int nEnd,
                  int[] c, int cOffset, int ldc);

    /**
     * The kernel behind {@link #gemmRequantize}, for callers that validated the call once
     * (preconditions as {@link #runInt32}, and {@code rq.channels() == w.n()}).
     *
     * @param a          quint8 activations
     * @param aOffset    index of {@code A[0][0]}
     * @param lda        leading dimension of A
     * @param m          rows
     * @param aZeroPoint activation zero point
     * @param w          weights packed by this engine
     * @param nStart     first output column
     * @param nEnd       end of the output columns (exclusive)
     * @param rq         the output stage
     * @param c          quint8 output
     * @param cOffset    index of {@code C[0][0]}
     * @param ldc        leading dimension of C
     */
    void runRequantize(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart,
                       int nEnd, Requantization rq, byte[] c, int cOffset, int ldc);

    /**
     * The kernel behind {@link #gemmFloat}, for callers that validated the call once
     * (preconditions as {@link #runInt32}, and {@code out.channels() == w.n()}).
     *
     * @param a          quint8 activations
     * @param aOffset    index of {@code A[0][0]}
     * @param lda        leading dimension of A
     * @param m          rows
     * @param aZeroPoint activation zero point
     * @param w          weights packed by this engine
     * @param nStart     first output column
     * @param nEnd       end of the output columns (exclusive)
     * @param out        the float output stage
     * @param c          float output
     * @param cOffset    index of {@code C[0][0]}
     * @param ldc        leading dimension of C
     */
    void runFloat(byte[] a, int aOffset, int lda, int m, int aZeroPoint, PackedQGemmWeights w, int nStart, int nEnd,
                  FloatOutput out, float[] c, int cOffset, int ldc);
}
