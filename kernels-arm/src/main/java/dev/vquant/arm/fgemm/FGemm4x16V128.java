package dev.vquant.arm.fgemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 GEMM micro-kernel, 4 rows x 16 columns, 128-bit vectors: broadcast one A element, FMA
 * into the 4 vectors of a packed B panel row, for 4 rows ({@code tile[r][c] = sum_k A[r][k] *
 * B[k][c]}, the kernel's own summation order: k ascending).
 *
 * @implNote 16 accumulators + 4 B vectors + 1 broadcast = 21 of NEON's 32 registers; per K step
 *     4 vector loads and 4 broadcasts feed 16 FMAs, the register-blocked shape DESIGN section 4
 *     measured at 80-100% of FMA peak (there 4x3 at 512 bits).
 */
public final class FGemm4x16V128 {
    /** Rows per tile. */
    public static final int MR = 4;

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;

    /** FloatVector's class for F: a cast to it gives a loop-carried vector its exact type (package doc). */

    private static final Class<? extends Vector<Float>> EXACT = F.vectorType();

    private FGemm4x16V128() {
    }

    /**
     * Computes a 4x16 tile of sums over all {@code k}, overwriting it.
     *
     * @param a       rows at {@code a[aOff + r*lda + kk]}, r &lt; 4
     * @param aOff    index of row 0's first element
     * @param lda     row stride of {@code a} in elements
     * @param k       reduction length
     * @param b       packed panel from {@code bOff} ({@link PackedFloatV128}: 16 floats per k)
     * @param bOff    index of the panel's first element
     * @param tile    row {@code r} at {@code tile[tileOff + r*ldt ..]}, 16 floats
     * @param tileOff index of row 0, column 0 in {@code tile}
     * @param ldt     row stride of {@code tile} in elements, {@code >= 16}
     */
    public static void run(float[] a, int aOff, int lda, int k, float[] b, int bOff, float[] tile, int tileOff, int ldt) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int a0 = aOff, a1 = aOff + lda, a2 = aOff + 2 * lda, a3 = aOff + 3 * lda;
        int bo = bOff;
        for (int kk = 0; kk < k; kk++, bo += 16) {
            FloatVector b0 = FloatVector.fromArray(F, b, bo);
            FloatVector b1 = FloatVector.fromArray(F, b, bo + 4);
            FloatVector b2 = FloatVector.fromArray(F, b, bo + 8);
            FloatVector b3 = FloatVector.fromArray(F, b, bo + 12);
            FloatVector x = FloatVector.broadcast(F, a[a0 + kk]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(F, a[a1 + kk]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(F, a[a2 + kk]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(F, a[a3 + kk]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
        }
        ((FloatVector) EXACT.cast(c00)).intoArray(tile, tileOff);
        ((FloatVector) EXACT.cast(c01)).intoArray(tile, tileOff + 4);
        ((FloatVector) EXACT.cast(c02)).intoArray(tile, tileOff + 8);
        ((FloatVector) EXACT.cast(c03)).intoArray(tile, tileOff + 12);
        int t = tileOff + ldt;
        ((FloatVector) EXACT.cast(c10)).intoArray(tile, t);
        ((FloatVector) EXACT.cast(c11)).intoArray(tile, t + 4);
        ((FloatVector) EXACT.cast(c12)).intoArray(tile, t + 8);
        ((FloatVector) EXACT.cast(c13)).intoArray(tile, t + 12);
        t += ldt;
        ((FloatVector) EXACT.cast(c20)).intoArray(tile, t);
        ((FloatVector) EXACT.cast(c21)).intoArray(tile, t + 4);
        ((FloatVector) EXACT.cast(c22)).intoArray(tile, t + 8);
        ((FloatVector) EXACT.cast(c23)).intoArray(tile, t + 12);
        t += ldt;
        ((FloatVector) EXACT.cast(c30)).intoArray(tile, t);
        ((FloatVector) EXACT.cast(c31)).intoArray(tile, t + 4);
        ((FloatVector) EXACT.cast(c32)).intoArray(tile, t + 8);
        ((FloatVector) EXACT.cast(c33)).intoArray(tile, t + 12);
    }
}
