package dev.vquant.arm.qgemm;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch-1 (GEMV) u8 x s8 -> int32 micro-kernel on the signed 16-bit panels, 1 row x 8 columns,
 * two K-pairs per step: the one-row form of {@link QGemm4x8c4V128} (same arithmetic, same
 * exactness argument, same raw outputs for {@link QGemmEpilogueV128#rowSigned}).
 *
 * @implNote Used while the 16-bit panels stay cache-resident (see {@link QGemmKernelsV128}): there
 *     batch 1 is bound by ALU operations rather than weight traffic, and this form needs 7 per 16
 *     products against ~10 for the byte-streaming {@link QGemv1x8c2V128} (no in-register widening,
 *     one widening per two K-pairs).
 */
public final class QGemv1x8c4V128 {
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_128;
    /** IntVector's class for I: a cast to it gives a loop-carried vector its exact type (package doc). */
    private static final Class<? extends Vector<Integer>> EXACT = I.vectorType();
    private static final short SIGN = (short) 0x8000;

    private QGemv1x8c4V128() {
    }

    /**
     * Stores the panel's 8 raw {@code s} accumulators at {@code tile[tileOff..]} and {@code h} at
     * {@code high[tileOff..]}.
     *
     * @param ap    the packed row of {@code a'}: pair {@code q} at {@code ap[q]}
     * @param pairs K-pairs per panel, even
     * @param b       signed 16-bit panels, this panel from {@code bOff}
     * @param bOff    index of the panel's first element
     * @param tile    receives the 8 {@code s} accumulators
     * @param high    receives the 8 {@code h} accumulators
     * @param tileOff index of column 0 in {@code tile} and {@code high}
     */
    public static void run(int[] ap, int pairs, short[] b, int bOff, int[] tile, int[] high, int tileOff) {
        IntVector s0 = IntVector.zero(I), s1 = s0, h0 = s0, h1 = s0;
        int bo = bOff;
        for (int q = 0; q < pairs; q += 2, bo += 32) {
            ShortVector x = (ShortVector) IntVector.broadcast(I, ap[q]).reinterpretShape(S, 0);
            ShortVector y = (ShortVector) IntVector.broadcast(I, ap[q + 1]).reinterpretShape(S, 0);
            IntVector u = (IntVector) x.mul(ShortVector.fromArray(S, b, bo)).add(y.mul(ShortVector.fromArray(S, b, bo + 16)))
                    .lanewise(VectorOperators.XOR, SIGN).reinterpretShape(I, 0);
            s0 = u.add(s0);
            h0 = u.lanewise(VectorOperators.LSHR, 16).add(h0);
            u = (IntVector) x.mul(ShortVector.fromArray(S, b, bo + 8)).add(y.mul(ShortVector.fromArray(S, b, bo + 24)))
                    .lanewise(VectorOperators.XOR, SIGN).reinterpretShape(I, 0);
            s1 = u.add(s1);
            h1 = u.lanewise(VectorOperators.LSHR, 16).add(h1);
        }
        ((IntVector) EXACT.cast(s0)).intoArray(tile, tileOff);
        ((IntVector) EXACT.cast(s1)).intoArray(tile, tileOff + 4);
        ((IntVector) EXACT.cast(h0)).intoArray(high, tileOff);
        ((IntVector) EXACT.cast(h1)).intoArray(high, tileOff + 4);
    }
}
