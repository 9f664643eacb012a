package dev.vquant.x86.qgemm;

/**
 * Bits naming the inner paths one int8 GEMM call took (drivers return their OR), so tests can
 * prove that inputs outside a fast path's bound took the exact path.
 */
final class QGemmPath {
    /** Full-range register-blocked GEMM ({@code QGemm4x..c2}). */
    static final int GEMM_EXACT = 1;
    /** 7-bit activation GEMM ({@code QGemm4x..c4..Q7}). */
    static final int GEMM_Q7 = 2;
    /**
     * 7-bit activation GEMM on a block with a few activations above 127, their bit 7 cleared and
     * added back per outlier ({@code QGemm4x..c4..Q7.addOutliers}).
     */
    static final int GEMM_Q7_OUTLIERS = 16;
    /** Full-range batch-1 kernel on byte panels ({@code QGemv1x..c2}). */
    static final int GEMV_EXACT = 4;
    /** 7-bit activation batch-1 kernel ({@code QGemv1x..c4..Q7}). */
    static final int GEMV_Q7 = 8;

    private QGemmPath() {
    }
}
