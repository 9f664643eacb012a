package dev.vquant.x86.fgemm;

/**
 * Cache blocking of the float GEMM (arguments already validated), shared by both widths: the
 * loops hold no vector code, each call site names one width's kernel class ({@link FGemm4x48V512},
 * {@link FGemm4x24V256}), whose species are static constants.
 *
 * <p>Loop order: row blocks of {@link #MC}, reduction blocks of {@link #KC}, panels, then 4-row
 * groups (1-row kernel for the tail). Partial sums of a reduction block live in C between blocks;
 * the last block adds the bias and clamps.
 */
final class FGemmDriver {
    /**
     * Reduction block: KC * NR * 4 bytes = 192 KiB (V512) of packed weights, L2-resident; larger
     * blocks mean fewer round trips of C partial sums (measured on Zen 4 at 1024^3, V512:
     * KC 128 -> 74, 512 -> 93, 1024 -> 98 GFLOPS).
     */
    static final int KC = 1024;
    /** Row block: MC * KC * 4 bytes = 768 KiB of activations, swept once per panel from L2. */
    static final int MC = 192;

    /** Per-thread accumulator tile of MR x NR floats (reused; nothing allocated per call). */
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(
            () -> new float[Math.max(FGemm4x48V512.MR * FGemm4x48V512.NR, FGemm4x24V256.MR * FGemm4x24V256.NR)]);

    private FGemmDriver() {
    }

    /** Columns per panel at a width. */
    static int nr(boolean wide) {
        return wide ? FGemm4x48V512.NR : FGemm4x24V256.NR;
    }

    static void gemm(boolean wide, float[] a, int aOff, int lda, int m, PackedFloatPanels w, int nStart, int nEnd,
                     float[] bias, float lo, float hi, float[] c, int cOff, int ldc) {
        int k = w.k();
        float[] b = w.data();
        float[] tile = TILE.get();
        int nr = nr(wide);
        int mr = wide ? FGemm4x48V512.MR : FGemm4x24V256.MR;
        int pFirst = nStart / nr;
        int pEnd = (nEnd + nr - 1) / nr;
        for (int i0 = 0; i0 < m; i0 += MC) {
            int iEnd = Math.min(m, i0 + MC);
            for (int k0 = 0; k0 < k; k0 += KC) {
                int kLen = Math.min(KC, k - k0);
                boolean first = k0 == 0;
                boolean last = k0 + kLen == k;
                for (int p = pFirst; p < pEnd; p++) {
                    int col = p * nr;
                    int bOff = p * k * nr + k0 * nr;
                    int i = i0;
                    // main loop: 4 rows at a time
                    for (; i + mr <= iEnd; i += mr) {
                        int ai = aOff + i * lda + k0;
                        int ci = cOff + i * ldc + col;
                        if (wide) {
                            FGemm4x48V512.kernel4(a, ai, lda, b, bOff, kLen, tile);
                            FGemm4x48V512.update(tile, mr, c, ci, ldc, col, nStart, nEnd, first, last, bias, lo, hi);
                        } else {
                            FGemm4x24V256.kernel4(a, ai, lda, b, bOff, kLen, tile);
                            FGemm4x24V256.update(tile, mr, c, ci, ldc, col, nStart, nEnd, first, last, bias, lo, hi);
                        }
                    }
                    // row tail
                    for (; i < iEnd; i++) {
                        int ai = aOff + i * lda + k0;
                        int ci = cOff + i * ldc + col;
                        if (wide) {
                            FGemm4x48V512.kernel1(a, ai, b, bOff, kLen, tile);
                            FGemm4x48V512.update(tile, 1, c, ci, ldc, col, nStart, nEnd, first, last, bias, lo, hi);
                        } else {
                            FGemm4x24V256.kernel1(a, ai, b, bOff, kLen, tile);
                            FGemm4x24V256.update(tile, 1, c, ci, ldc, col, nStart, nEnd, first, last, bias, lo, hi);
                        }
                    }
                }
            }
        }
    }
}
