package dev.vquant.arm.qgemm;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch-1 (GEMV) u8 x s8 -> int32 micro-kernel on the 16-bit panels
 * ({@link PackedQGemmV128#widePanels()}), 1 row x 8 columns, K in pairs: {@link QGemv1x8c2V128}
 * without the in-register widening of the weights (same arithmetic and exactness argument as
 * {@link QGemm4x8c2V128}).
 *
 * @implNote Used when the 16-bit panels stay cache-resident (see {@link QGemmKernelsV128}): there
 *     batch 1 is bound by ALU operations, not by weight traffic, and skipping two widenings per
 *     16 products is worth more than the doubled bytes. Weights that stream from DRAM use the
 *     byte kernel instead.
 */
public final class QGemv1x8c2V128Wide {
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_128;

    private QGemv1x8c2V128Wide() {
    }

    /**
     * Stores the panel's 8 raw {@code s} accumulators at {@code tile[tileOff..]} and {@code h} at
     * {@code high[tileOff..]}, for {@link QGemmEpilogueV128}.
     *
     * @param ap the packed row: pair {@code q} at {@code ap[q]}
     */
    public static void run(int[] ap, int kPairs, short[] b, int bOff, int[] tile, int[] high, int tileOff) {
        IntVector s0 = IntVector.zero(I), s1 = s0, h0 = s0, h1 = s0;
        IntVector t0 = s0, t1 = s0, g0 = s0, g1 = s0;
        int bo = bOff;
        int q = 0;
        // main loop: two K-pairs per iteration, one accumulator set each
        for (; q <= kPairs - 2; q += 2, bo += 32) {
            ShortVector x = (ShortVector) IntVector.broadcast(I, ap[q]).reinterpretShape(S, 0);
            IntVector p = (IntVector) x.mul(ShortVector.fromArray(S, b, bo)).reinterpretShape(I, 0);
            s0 = s0.add(p);
            h0 = h0.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) x.mul(ShortVector.fromArray(S, b, bo + 8)).reinterpretShape(I, 0);
            s1 = s1.add(p);
            h1 = h1.add(p.lanewise(VectorOperators.LSHR, 16));
            x = (ShortVector) IntVector.broadcast(I, ap[q + 1]).reinterpretShape(S, 0);
            p = (IntVector) x.mul(ShortVector.fromArray(S, b, bo + 16)).reinterpretShape(I, 0);
            t0 = t0.add(p);
            g0 = g0.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) x.mul(ShortVector.fromArray(S, b, bo + 24)).reinterpretShape(I, 0);
            t1 = t1.add(p);
            g1 = g1.add(p.lanewise(VectorOperators.LSHR, 16));
        }
        // tail: the last K-pair when kPairs is odd
        if (q < kPairs) {
            ShortVector x = (ShortVector) IntVector.broadcast(I, ap[q]).reinterpretShape(S, 0);
            IntVector p = (IntVector) x.mul(ShortVector.fromArray(S, b, bo)).reinterpretShape(I, 0);
            s0 = s0.add(p);
            h0 = h0.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) x.mul(ShortVector.fromArray(S, b, bo + 8)).reinterpretShape(I, 0);
            s1 = s1.add(p);
            h1 = h1.add(p.lanewise(VectorOperators.LSHR, 16));
        }
        // raw accumulators out; QGemmEpilogueV128 finishes them
        s0.add(t0).intoArray(tile, tileOff);
        s1.add(t1).intoArray(tile, tileOff + 4);
        h0.add(g0).intoArray(high, tileOff);
        h1.add(g1).intoArray(high, tileOff + 4);
    }
}
