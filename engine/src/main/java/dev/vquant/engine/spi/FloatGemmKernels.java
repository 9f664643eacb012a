package dev.vquant.engine.spi;

/**
 * float32 GEMM on packed weights, the baseline int8 is measured against and the kernel float
 * layers of a mixed model run on: {@code C[i][j] = clamp(sum_k A[i][k] * W[j][k] + bias[j], lo, hi)}
 * for {@code i < m}, {@code nStart <= j < nEnd}. Summation order is the kernel's own, so results
 * match the reference within float rounding, not bit for bit.
 */
public interface FloatGemmKernels {

    /**
     * Packs {@code w[n][k]} row-major. The input array is not retained.
     *
     * @param w weights {@code [n][k]} row-major (PyTorch's {@code Linear.weight})
     * @param n output features
     * @param k input features (reduction length)
     * @return the packed weights for this backend's {@link #gemm}
     * @throws IllegalArgumentException for a null array, a non-positive size or a length other than {@code n * k}
     */
    PackedFloatWeights pack(float[] w, int n, int k);

    /**
     * Packs {@code w[n][k]} as {@link #pack} does, into the storage of {@code reuse} when this
     * backend packed it for the same {@code n} and {@code k} (its previous contents are
     * overwritten and {@code reuse} itself is returned), else into new storage. For an operator
     * that packs an activation on every call (a batched matmul's right operand) and owns
     * {@code reuse} exclusively: no thread may be using {@code reuse} during the call. The default
     * packs anew.
     *
     * @param w     weights {@code [n][k]} row-major
     * @param n     output features
     * @param k     input features (reduction length)
     * @param reuse earlier packed weights whose storage may be reused, or null
     * @return the packed weights ({@code reuse} when its storage was reused)
     * @throws IllegalArgumentException as {@link #pack}
     */
    default PackedFloatWeights packInto(float[] w, int n, int k, PackedFloatWeights reuse) {
        return pack(w, n, k);
    }

    /**
     * Computes {@code C[i][j]} for rows {@code i < m} and columns {@code nStart <= j < nEnd};
     * other columns of {@code c} are left untouched, so threads can split one call by columns.
     *
     * @param a        activations, row {@code i} at {@code a[aOffset + i*lda ..]}, {@code k} floats
     * @param aOffset  index of {@code A[0][0]} in {@code a}
     * @param lda      row stride of {@code a} in elements, {@code >= k}
     * @param m        number of rows
     * @param w        weights packed by this backend's {@link #pack}
     * @param nStart   first output column to compute
     * @param nEnd     end of the output columns, exclusive, {@code <= n}
     * @param bias     length {@code n}, or null
     * @param clampMin lower clamp ({@code 0} for a fused ReLU, {@code -inf} for none)
     * @param clampMax upper clamp ({@code +inf} for none)
     * @param c        output, row {@code i} at {@code c[cOffset + i*ldc ..]}
     * @param cOffset  index of {@code C[0][0]} in {@code c}
     * @param ldc      row stride of {@code c} in elements, {@code >= n}
     * @throws IllegalArgumentException for sizes or offsets that do not fit the arrays, a bad
     *                                  column range, or weights packed by another engine
     */
    void gemm(float[] a, int aOffset, int lda, int m, PackedFloatWeights w, int nStart, int nEnd, float[] bias,
              float clampMin, float clampMax, float[] c, int cOffset, int ldc);
}
