package dev.vquant.x86.fgemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 GEMM for 256-bit vectors: a 4-row by 24-column (3 vectors) register-blocked micro-kernel
 * over {@link PackedFloatPanels} with {@code nr = 24}, plus a 1-row kernel for row tails and
 * batch-1 calls; {@link FGemmDriver} does the cache blocking.
 *
 * <p>Micro-kernel: per reduction step {@code kk}, load the 3 weight vectors of the panel once,
 * broadcast {@code A[i][kk]} of each of the 4 rows and fuse-multiply-add into 12 accumulators (12
 * + 3 + 1 vector registers: all 16 ymm of AVX2), so every weight load feeds 4 FMAs and every
 * broadcast 3. The micro-kernels store their accumulators to a small tile (the caller's per-thread
 * scratch); {@code update} then adds the partial sum of earlier reduction blocks kept in C, and on
 * the last block the bias and the clamp. Column tails and column ranges not aligned to panels use
 * masked loads and stores, so no column outside {@code [nStart, nEnd)} is touched.
 *
 * <p>Summation order: reduction blocks of {@link FGemmDriver#KC} in increasing {@code k}, each
 * summed with FMA in its own accumulator chain, then the bias; results match the scalar reference
 * within float rounding.
 */
final class FGemm4x24V256 {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    static final int L = 8;
    static final int NR = 3 * L;
    static final int MR = 4;
    private FGemm4x24V256() {
    }

    /** Sums of 4 rows x NR columns over {@code kLen} reduction steps, stored into {@code tile[r*NR + c]}. */
    static void kernel4(float[] a, int a0, int lda, float[] b, int bOff, int kLen, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int kk = 0; kk < kLen; kk++) {
            int bo = bOff + kk * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(S, a[a1 + kk]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(S, a[a2 + kk]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(S, a[a3 + kk]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
        }
        // plain stores to the tile: passing vectors to a helper that C2 does not inline would box them
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c12.intoArray(tile, NR + 2 * L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c22.intoArray(tile, 2 * NR + 2 * L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c32.intoArray(tile, 3 * NR + 2 * L);
    }

    /** One row; even and odd reduction steps use separate accumulators to halve the FMA latency chain. */
    static void kernel1(float[] a, int a0, float[] b, int bOff, int kLen, float[] tile) {
        FloatVector e0 = FloatVector.zero(S), e1 = e0, e2 = e0;
        FloatVector o0 = e0, o1 = e0, o2 = e0;
        int kk = 0;
        for (; kk + 1 < kLen; kk += 2) {
            int bo = bOff + kk * NR;
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            e0 = FloatVector.fromArray(S, b, bo).fma(x, e0);
            e1 = FloatVector.fromArray(S, b, bo + L).fma(x, e1);
            e2 = FloatVector.fromArray(S, b, bo + 2 * L).fma(x, e2);
            FloatVector y = FloatVector.broadcast(S, a[a0 + kk + 1]);
            o0 = FloatVector.fromArray(S, b, bo + NR).fma(y, o0);
            o1 = FloatVector.fromArray(S, b, bo + NR + L).fma(y, o1);
            o2 = FloatVector.fromArray(S, b, bo + NR + 2 * L).fma(y, o2);
        }
        if (kk < kLen) {
            int bo = bOff + kk * NR;
            FloatVector x = FloatVector.broadcast(S, a[a0 + kk]);
            e0 = FloatVector.fromArray(S, b, bo).fma(x, e0);
            e1 = FloatVector.fromArray(S, b, bo + L).fma(x, e1);
            e2 = FloatVector.fromArray(S, b, bo + 2 * L).fma(x, e2);
        }
        e0.add(o0).intoArray(tile, 0);
        e1.add(o1).intoArray(tile, L);
        e2.add(o2).intoArray(tile, 2 * L);
    }

    /**
     * Moves {@code rows} rows of a tile into C: adds the partial sum already in C (after the first
     * reduction block), and on the last block the bias and the clamp, then stores the lanes whose
     * column lies in {@code [nStart, nEnd)} (masked at the range edges).
     */
    static void update(float[] tile, int rows, float[] c, int c0, int ldc, int col, int nStart, int nEnd,
                               boolean first, boolean last, float[] bias, float lo, float hi) {
        for (int v = 0; v < NR / L; v++) {
            int j = col + v * L;
            if (j >= nEnd || j + L <= nStart) {
                continue;
            }
            boolean full = j >= nStart && j + L <= nEnd;
            VectorMask<Float> in = S.indexInRange(j - nStart, nEnd - nStart);
            FloatVector bv = bias == null || !last ? FloatVector.zero(S)
                    : full ? FloatVector.fromArray(S, bias, j) : FloatVector.fromArray(S, bias, j, in);
            for (int r = 0; r < rows; r++) {
                int ci = c0 + r * ldc + v * L;
                FloatVector acc = FloatVector.fromArray(S, tile, r * NR + v * L);
                if (full) {
                    if (!first) {
                        acc = acc.add(FloatVector.fromArray(S, c, ci));
                    }
                    if (last) {
                        acc = acc.add(bv).max(lo).min(hi);
                    }
                    acc.intoArray(c, ci);
                } else {
                    if (!first) {
                        acc = acc.add(FloatVector.fromArray(S, c, ci, in));
                    }
                    if (last) {
                        acc = acc.add(bv).max(lo).min(hi);
                    }
                    acc.intoArray(c, ci, in);
                }
            }
        }
    }
}
