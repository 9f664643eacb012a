package dev.vquant.engine.spi;

/**
 * float32 GEMM on packed weights, the baseline int8 is measured against and the kernel float
 * layers of a mixed model run on: {@code C[i][j] = clamp(sum_k A[i][k] * W[j][k] + bias[j], lo, hi)}
 * for {@code i < m}, {@code nStart <= j < nEnd}. Summation order is the kernel's own, so results
 * match the reference within float rounding, not bit for bit.
 */
public interface FloatGemmKernels {

    /** Packs {@code w[n][k]} row-major. The input array is not retained. */
    PackedFloatWeights pack(float[] w, int n, int k);

    /**
     * @param bias     length {@code n}, or null
     * @param clampMin lower clamp ({@code 0} for a fused ReLU, {@code -inf} for none)
     * @param clampMax upper clamp ({@code +inf} for none)
     */
    void gemm(float[] a, int aOffset, int lda, int m, PackedFloatWeights w, int nStart, int nEnd, float[] bias,
              float clampMin, float clampMax, float[] c, int cOffset, int ldc);
}
