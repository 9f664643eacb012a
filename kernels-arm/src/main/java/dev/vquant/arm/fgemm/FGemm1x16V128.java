package dev.vquant.arm.fgemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 GEMM micro-kernel for one row x 16 columns, 128-bit vectors: the batch-1 (GEMV) path
 * and the row tail of {@link FGemm4x16V128}. {@code tile[c] = sum_k A[k] * B[k][c]}.
 *
 * @implNote Two K steps per iteration into two accumulator sets (8 independent FMA chains) so the
 *     FMA latency is hidden; batch 1 is bound by streaming the float weights anyway.
 */
public final class FGemm1x16V128 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;
    /** FloatVector's class for F: a cast to it gives a loop-carried vector its exact type (package doc). */
    private static final Class<? extends Vector<Float>> EXACT = F.vectorType();

    private FGemm1x16V128() {
    }

    /**
     * Computes one row's 16 sums over all {@code k} into {@code tile[tileOff .. tileOff+16)}.
     *
     * @param a       activations, the row at {@code a[aOff .. aOff+k)}
     * @param aOff    index of the row's first element
     * @param k       reduction length
     * @param b       packed panels ({@link PackedFloatV128}): this panel from {@code bOff}, 16 floats per k
     * @param bOff    index of the panel's first element
     * @param tile    output, overwritten
     * @param tileOff index of column 0 in {@code tile}
     */
    public static void run(float[] a, int aOff, int k, float[] b, int bOff, float[] tile, int tileOff) {
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
        FloatVector d0 = c0, d1 = c0, d2 = c0, d3 = c0;
        int bo = bOff;
        int kk = 0;
        for (; kk <= k - 2; kk += 2, bo += 32) {
            FloatVector x = FloatVector.broadcast(F, a[aOff + kk]);
            c0 = x.fma(FloatVector.fromArray(F, b, bo), c0);
            c1 = x.fma(FloatVector.fromArray(F, b, bo + 4), c1);
            c2 = x.fma(FloatVector.fromArray(F, b, bo + 8), c2);
            c3 = x.fma(FloatVector.fromArray(F, b, bo + 12), c3);
            x = FloatVector.broadcast(F, a[aOff + kk + 1]);
            d0 = x.fma(FloatVector.fromArray(F, b, bo + 16), d0);
            d1 = x.fma(FloatVector.fromArray(F, b, bo + 20), d1);
            d2 = x.fma(FloatVector.fromArray(F, b, bo + 24), d2);
            d3 = x.fma(FloatVector.fromArray(F, b, bo + 28), d3);
        }
        if (kk < k) {
            FloatVector x = FloatVector.broadcast(F, a[aOff + kk]);
            c0 = x.fma(FloatVector.fromArray(F, b, bo), c0);
            c1 = x.fma(FloatVector.fromArray(F, b, bo + 4), c1);
            c2 = x.fma(FloatVector.fromArray(F, b, bo + 8), c2);
            c3 = x.fma(FloatVector.fromArray(F, b, bo + 12), c3);
        }
        ((FloatVector) EXACT.cast(c0)).add(d0).intoArray(tile, tileOff);
        ((FloatVector) EXACT.cast(c1)).add(d1).intoArray(tile, tileOff + 4);
        ((FloatVector) EXACT.cast(c2)).add(d2).intoArray(tile, tileOff + 8);
        ((FloatVector) EXACT.cast(c3)).add(d3).intoArray(tile, tileOff + 12);
    }
}
