package dev.vquant.x86.qgemm;

/**
 * Blocking and path choice of the int8 GEMM (arguments already validated). The loops hold no
 * vector code: each call site names one width's kernel class (static species inside), so the
 * two widths never share a vector helper.
 *
 * <ul>
 * <li>{@code m <= }{@link #GEMV_MAX_ROWS}: per row, the batch-1 kernels on byte panels
 * ({@code QGemv1x..c2}, or {@code QGemv1x..c4..Q7} when that row's activations are all &lt;= 127);</li>
 * <li>otherwise blocks of {@link #MC} rows are packed once ({@link PackAWithRowSumsV512} /
 * {@link PackAWithRowSumsV256}); per panel and
 * reduction block of {@link #KCP} K-pairs the register-blocked micro-kernel runs over the row
 * groups ({@link QGemm4x32c4V512Q7} / {@link QGemm2x16c4V256Q7} when every activation of the row
 * block is &lt;= 127, or when at most one in 2^{@value #MAX_OUTLIERS_SHIFT} is above 127 and
 * the 7-bit kernel runs on the block with those activations' bit 7 cleared, their
 * {@code 128 * W} added back per outlier to each finished panel tile; else {@link QGemm4x32c2V512}
 * / {@link QGemm2x16c2V256}); the call's
 * {@link PanelOutput} stage (one of {@link QGemmOutputV512} / {@link QGemmOutputV256}) then
 * writes the panel.</li>
 * </ul>
 * The 7-bit decision is made from the actual data (the OR of the packed bytes), never from the
 * declared quantization range, so a value above 127 always takes the exact path. Rows past
 * {@code m} in the last row group are zero in the scratch copy and never written. Reduction blocks
 * after the first write a second tile that is added to the first (int32, modulo 2^32).
 */
final class QGemmDriver {
    /** Rows packed per block: 192 rows x 2 bytes x K of packed pairs, L2-resident for K up to ~2000. */
    static final int MC = 192;
    /** K-pairs per reduction block (even): keeps a panel block (at most 512 KiB of 16-bit weights) in L2. */
    static final int KCP = 4096;
    /** Up to this many rows, the byte-panel batch-1 kernels run row by row. */
    static final int GEMV_MAX_ROWS = 2;
    /**
     * A block takes the 7-bit kernel with outlier correction when at most one activation in
     * {@code 2^MAX_OUTLIERS_SHIFT} is above 127. Statically quantized models (fbgemm's reduce_range
     * calibrates 0..127, the requantization clamps at 255) see a few such values per block: the
     * correction costs about a dozen vector operations per outlier and panel, the full-range
     * kernel about one per activation and panel more than the 7-bit one.
     */
    static final int MAX_OUTLIERS_SHIFT = 5;

    private QGemmDriver() {
    }

    /** The most outliers a block of {@code rows x k} activations may have for the corrected 7-bit path. */
    static int maxOutliers(int rows, int k) {
        return (int) (((long) rows * k) >> MAX_OUTLIERS_SHIFT);
    }

    /** Columns per panel at a width. */
    static int nr(boolean wide) {
        return wide ? QGemm4x32c2V512.NR : QGemm2x16c2V256.NR;
    }

    /**
     * Runs the GEMM on the calling thread's scratch {@code s}, handing each finished panel to
     * {@code out}; returns the OR of the {@link QGemmPath} bits taken.
     */
    static int run(boolean wide, QGemmScratch s, byte[] a, int aOff, int lda, int m, PackedQGemmPanels w, int nStart,
                   int nEnd, PanelOutput out, int cOff, int ldc) {
        int k = w.k();
        int kp = w.kPairs();
        int nr = nr(wide);
        int mr = wide ? QGemm4x32c2V512.MR : QGemm2x16c2V256.MR;
        int pFirst = nStart / nr;
        int pEnd = (nEnd + nr - 1) / nr;
        int paths = 0;
        if (m <= GEMV_MAX_ROWS) {
            s.ensure(1, kp, nr);
            byte[] b = w.bytes();
            for (int i = 0; i < m; i++) {
                boolean q7 = packA(wide, a, aOff + i * lda, lda, 1, 1, k, kp, s.pairs, s.rowSum) <= 127;
                paths |= q7 ? QGemmPath.GEMV_Q7 : QGemmPath.GEMV_EXACT;
                for (int p = pFirst; p < pEnd; p++) {
                    gemv(wide, q7, s.pairs, b, p * kp * 2 * nr, kp, s.tile);
                    out.panel(s.tile, 1, s.rowSum, p * nr, nStart, nEnd, cOff + i * ldc, ldc);
                }
            }
            return paths;
        }
        s.ensure(Math.min(MC, (m + mr - 1) / mr * mr), kp, nr);
        short[] b = w.shorts();
        for (int i0 = 0; i0 < m; i0 += MC) {
            int rows = Math.min(MC, m - i0);
            int rowsPad = (rows + mr - 1) / mr * mr;
            boolean q7 = packA(wide, a, aOff + i0 * lda, lda, rows, rowsPad, k, kp, s.pairs, s.rowSum) <= 127;
            int outliers = q7 ? 0 : outliers(wide, a, aOff + i0 * lda, lda, rows, k, kp, s);
            q7 |= outliers > 0;
            paths |= outliers > 0 ? QGemmPath.GEMM_Q7_OUTLIERS : q7 ? QGemmPath.GEMM_Q7 : QGemmPath.GEMM_EXACT;
            for (int p = pFirst; p < pEnd; p++) {
                int bBase = p * kp * 2 * nr;
                for (int k0 = 0; k0 < kp; k0 += KCP) {
                    int len = Math.min(KCP, kp - k0);
                    int[] dst = k0 == 0 ? s.tile : s.tile2;
                    for (int g = 0; g < rowsPad; g += mr) {
                        gemm(wide, q7, s.pairs, g * kp + k0, kp, b, bBase + k0 * 2 * nr, len, dst, g * nr);
                    }
                    if (k0 > 0) {
                        int[] tile = s.tile;
                        for (int e = 0; e < rowsPad * nr; e++) {
                            tile[e] += dst[e];
                        }
                    }
                }
                if (outliers > 0) {
                    addOutliers(wide, s.outliers, outliers, b, bBase, s.tile);
                }
                out.panel(s.tile, rows, s.rowSum, p * nr, nStart, nEnd, cOff + i0 * ldc, ldc);
            }
        }
        return paths;
    }

    private static int packA(boolean wide, byte[] a, int off, int lda, int rows, int rowsPad, int k, int kp, int[] dst,
                             int[] rowSum) {
        return wide ? PackAWithRowSumsV512.pack(a, off, lda, rows, rowsPad, k, kp, dst, rowSum)
                : PackAWithRowSumsV256.pack(a, off, lda, rows, rowsPad, k, kp, dst, rowSum);
    }

    /**
     * Lists the block's activations above 127 and clears their bit 7 in the packed pairs, when there
     * are at most {@link #maxOutliers} of them; returns how many, or 0 (nothing changed) when
     * there are more.
     */
    private static int outliers(boolean wide, byte[] a, int off, int lda, int rows, int k, int kp, QGemmScratch s) {
        int max = maxOutliers(rows, k);
        int[] list = s.outliers;
        int count = wide ? PackAWithRowSumsV512.outliers(a, off, lda, rows, k, list, max)
                : PackAWithRowSumsV256.outliers(a, off, lda, rows, k, list, max);
        if (count <= 0) {
            return 0;
        }
        for (int i = 0; i < count; i++) {
            int kk = list[2 * i + 1];
            s.pairs[list[2 * i] * kp + (kk >> 1)] &= ~(0x80 << ((kk & 1) << 4));
        }
        return count;
    }

    private static void addOutliers(boolean wide, int[] list, int count, short[] b, int bOff, int[] tile) {
        if (wide) {
            QGemm4x32c4V512Q7.addOutliers(list, count, b, bOff, tile);
        } else {
            QGemm2x16c4V256Q7.addOutliers(list, count, b, bOff, tile);
        }
    }

    private static void gemm(boolean wide, boolean q7, int[] pairs, int a, int aStride, short[] b, int bOff, int len,
                             int[] tile, int t) {
        if (wide) {
            if (q7) {
                QGemm4x32c4V512Q7.run(pairs, a, aStride, b, bOff, len, tile, t);
            } else {
                QGemm4x32c2V512.run(pairs, a, aStride, b, bOff, len, tile, t);
            }
        } else if (q7) {
            QGemm2x16c4V256Q7.run(pairs, a, aStride, b, bOff, len, tile, t);
        } else {
            QGemm2x16c2V256.run(pairs, a, aStride, b, bOff, len, tile, t);
        }
    }

    private static void gemv(boolean wide, boolean q7, int[] pairs, byte[] b, int bOff, int kp, int[] tile) {
        if (wide) {
            if (q7) {
                QGemv1x32c4V512Q7.run(pairs, 0, b, bOff, kp, tile, 0);
            } else {
                QGemv1x32c2V512.run(pairs, 0, b, bOff, kp, tile, 0);
            }
        } else if (q7) {
            QGemv1x16c4V256Q7.run(pairs, 0, b, bOff, kp, tile, 0);
        } else {
            QGemv1x16c2V256.run(pairs, 0, b, bOff, kp, tile, 0);
        }
    }
}
