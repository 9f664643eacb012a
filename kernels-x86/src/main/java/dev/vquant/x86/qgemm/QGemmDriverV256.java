package dev.vquant.x86.qgemm;

import dev.vquant.engine.spi.FloatOutput;
import dev.vquant.engine.spi.Requantization;

/**
 * Blocking and path choice of the 256-bit int8 GEMM (arguments already validated).
 *
 * <ul>
 * <li>{@code m <= }{@link #GEMV_MAX_ROWS}: per row, the batch-1 kernels on byte panels
 * ({@link QGemv1x16c2V256}, or {@link QGemv1x16c4V256Q7} when the row's activations are all <= 127);</li>
 * <li>otherwise blocks of {@link #MC} rows are packed once ({@link PackAWithRowSums}); per panel of
 * 16 columns and reduction block of {@link #KCP} K-pairs the 2x16 micro-kernel runs over the row
 * block ({@link QGemm2x16c4V256Q7} when the block's activations are all <= 127, else
 * {@link QGemm2x16c2V256}); the epilogue ({@link QGemmOutputV256}) then writes the panel.</li>
 * </ul>
 * The 7-bit decision is made from the actual data (the OR of the packed bytes), never from the
 * declared quantization range, so values above 127 always take the exact path. Rows past {@code m}
 * in the last group of 2 are zero-padded in the scratch copy and never written.
 */
final class QGemmDriverV256 {
    static final int NR = 16;
    static final int MR = 2;
    /** Rows packed per block: 192 rows x 2 bytes x K stays in L2 for K up to ~2000. */
    static final int MC = 192;
    /** K-pairs per reduction block (even): 512 pairs x 64 bytes = 32 KiB of 16-bit weights per panel block. */
    static final int KCP = 512;
    /** Up to this many rows, the byte-panel batch-1 kernels run row by row. */
    static final int GEMV_MAX_ROWS = 2;

    private static final ThreadLocal<QGemmScratch> SCRATCH = ThreadLocal.withInitial(QGemmScratch::new);

    private QGemmDriverV256() {
    }

    /** Runs the GEMM and the epilogue; returns the OR of the {@link QGemmPath} bits taken. */
    static int run(byte[] a, int aOff, int lda, int m, int zA, PackedQGemmPanels w, int nStart, int nEnd,
                   QGemmEpilogue kind, int[] ci, byte[] cb, float[] cf, Requantization rq, FloatOutput fo, int cOff,
                   int ldc) {
        int k = w.k();
        int kp = w.kPairs();
        int pFirst = nStart / NR;
        int pEnd = (nEnd + NR - 1) / NR;
        int paths = 0;
        if (m <= GEMV_MAX_ROWS) {
            QGemmScratch s = SCRATCH.get().ensure(1, kp, NR);
            byte[] b = w.bytes();
            for (int i = 0; i < m; i++) {
                boolean q7 = PackAWithRowSums.pack(a, aOff + i * lda, lda, 1, 1, k, kp, s.pairs, s.rowSum) <= 127;
                paths |= q7 ? QGemmPath.GEMV_Q7 : QGemmPath.GEMV_EXACT;
                for (int p = pFirst; p < pEnd; p++) {
                    int bOff = p * kp * 2 * NR;
                    if (q7) {
                        QGemv1x16c4V256Q7.run(s.pairs, 0, b, bOff, kp, s.tile, 0);
                    } else {
                        QGemv1x16c2V256.run(s.pairs, 0, b, bOff, kp, s.tile, 0);
                    }
                    epilogue(kind, s, 1, w, zA, p * NR, nStart, nEnd, ci, cb, cf, rq, fo, cOff + i * ldc, ldc);
                }
            }
            return paths;
        }
        QGemmScratch s = SCRATCH.get().ensure(MC, kp, NR);
        short[] b = w.shorts();
        for (int i0 = 0; i0 < m; i0 += MC) {
            int rows = Math.min(MC, m - i0);
            int rowsPad = (rows + MR - 1) / MR * MR;
            boolean q7 = PackAWithRowSums.pack(a, aOff + i0 * lda, lda, rows, rowsPad, k, kp, s.pairs, s.rowSum) <= 127;
            paths |= q7 ? QGemmPath.GEMM_Q7 : QGemmPath.GEMM_EXACT;
            int[] pairs = s.pairs;
            int[] tile = s.tile;
            for (int p = pFirst; p < pEnd; p++) {
                int bBase = p * kp * 2 * NR;
                for (int k0 = 0; k0 < kp; k0 += KCP) {
                    int len = Math.min(KCP, kp - k0);
                    boolean first = k0 == 0;
                    int bOff = bBase + k0 * 2 * NR;
                    if (q7) {
                        for (int g = 0; g < rowsPad; g += MR) {
                            QGemm2x16c4V256Q7.run(pairs, g * kp + k0, kp, b, bOff, len, tile, g * NR, first);
                        }
                    } else {
                        for (int g = 0; g < rowsPad; g += MR) {
                            QGemm2x16c2V256.run(pairs, g * kp + k0, kp, b, bOff, len, tile, g * NR, first);
                        }
                    }
                }
                epilogue(kind, s, rows, w, zA, p * NR, nStart, nEnd, ci, cb, cf, rq, fo, cOff + i0 * ldc, ldc);
            }
        }
        return paths;
    }

    private static void epilogue(QGemmEpilogue kind, QGemmScratch s, int rows, PackedQGemmPanels w, int zA, int col,
                                 int nStart, int nEnd, int[] ci, byte[] cb, float[] cf, Requantization rq,
                                 FloatOutput fo, int cRow, int ldc) {
        switch (kind) {
            case INT32 -> QGemmOutputV256.toInt32(s.tile, rows, s.rowSum, w, zA, col, nStart, nEnd, ci, cRow, ldc);
            case REQUANTIZE -> QGemmOutputV256.toQuint8(s.tile, rows, s.rowSum, w, zA, col, nStart, nEnd, rq, cb, cRow,
                    ldc, s.lane);
            case FLOAT -> QGemmOutputV256.toFloat(s.tile, rows, s.rowSum, w, zA, col, nStart, nEnd, fo, cf, cRow, ldc);
        }
    }
}
