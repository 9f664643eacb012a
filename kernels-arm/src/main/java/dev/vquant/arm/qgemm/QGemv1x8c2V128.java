package dev.vquant.arm.qgemm;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch-1 (GEMV) u8 x s8 -> int32 micro-kernel streaming the byte panels of
 * {@link PackedQGemmV128}, 1 row x 8 columns, K in pairs ("c2"), 128-bit vectors.
 *
 * <p>Method ("pmu"): weights are stored +128 (0..255) and widened in-register, activations are
 * packed two per int ({@code a[2q] | a[2q+1] << 16}) and broadcast, so one 16-bit multiply gives
 * per int lane the two unsigned products {@code p = a0*w0 + 65536*a1*w1} (each at most 65025, so
 * it fits 16 bits). Two accumulators per lane collect {@code s += p} and {@code h += p >>> 16};
 * then {@code sum a*(w+128) = s - 65535*h} and
 * {@code acc = s - 65535*h - (128+zB)*rowSum(A) + zA*(K*zB - colSum(W))}
 * ({@link QGemmEpilogueV128#row}). Every step is ring arithmetic modulo 2^32 (including
 * {@code h}, whose exact value is only needed modulo 2^32), so the result is exact modulo 2^32 for
 * every K: there is no bound at which this trick stops being exact, hence no K split.
 *
 * @implNote Batch 1 reads every weight once, so it is bound by how fast weight bytes arrive, not
 *     by reuse: it streams the one-byte-per-weight panels (a quarter of float's traffic) and widens
 *     them in-register. Two K-pairs per iteration with separate accumulator sets keep two
 *     independent dependency chains per output vector.
 */
public final class QGemv1x8c2V128 {
    private static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_128;
    /** IntVector's class for I: a cast to it gives a loop-carried vector its exact type (package doc). */
    private static final Class<? extends Vector<Integer>> EXACT = I.vectorType();

    private QGemv1x8c2V128() {
    }

    /**
     * Stores the panel's 8 raw {@code s} accumulators at {@code tile[tileOff..]} and {@code h} at
     * {@code high[tileOff..]}, for {@link QGemmEpilogueV128}.
     *
     * @param ap      the packed row: pair {@code q} at {@code ap[q]}
     * @param kPairs  K-pairs per panel
     * @param b       byte panels, this panel from {@code bOff}
     * @param bOff    index of the panel's first byte
     * @param tile    receives the 8 {@code s} accumulators
     * @param high    receives the 8 {@code h} accumulators
     * @param tileOff index of column 0 in {@code tile} and {@code high}
     */
    public static void run(int[] ap, int kPairs, byte[] b, int bOff, int[] tile, int[] high, int tileOff) {
        IntVector s0 = IntVector.zero(I), s1 = s0, h0 = s0, h1 = s0;
        IntVector t0 = s0, t1 = s0, g0 = s0, g1 = s0;
        int bo = bOff;
        int q = 0;
        // main loop: two K-pairs per iteration, one accumulator set each
        for (; q <= kPairs - 2; q += 2, bo += 32) {
            ShortVector x = (ShortVector) IntVector.broadcast(I, ap[q]).reinterpretShape(S, 0);
            IntVector p = (IntVector) x.mul((ShortVector) ByteVector.fromArray(B64, b, bo)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0)).reinterpretShape(I, 0);
            s0 = p.add(s0);
            h0 = p.lanewise(VectorOperators.LSHR, 16).add(h0);
            p = (IntVector) x.mul((ShortVector) ByteVector.fromArray(B64, b, bo + 8)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0)).reinterpretShape(I, 0);
            s1 = p.add(s1);
            h1 = p.lanewise(VectorOperators.LSHR, 16).add(h1);
            x = (ShortVector) IntVector.broadcast(I, ap[q + 1]).reinterpretShape(S, 0);
            p = (IntVector) x.mul((ShortVector) ByteVector.fromArray(B64, b, bo + 16)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0)).reinterpretShape(I, 0);
            t0 = p.add(t0);
            g0 = p.lanewise(VectorOperators.LSHR, 16).add(g0);
            p = (IntVector) x.mul((ShortVector) ByteVector.fromArray(B64, b, bo + 24)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0)).reinterpretShape(I, 0);
            t1 = p.add(t1);
            g1 = p.lanewise(VectorOperators.LSHR, 16).add(g1);
        }
        // tail: the last K-pair when kPairs is odd
        if (q < kPairs) {
            ShortVector x = (ShortVector) IntVector.broadcast(I, ap[q]).reinterpretShape(S, 0);
            IntVector p = (IntVector) x.mul((ShortVector) ByteVector.fromArray(B64, b, bo)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0)).reinterpretShape(I, 0);
            s0 = p.add(s0);
            h0 = p.lanewise(VectorOperators.LSHR, 16).add(h0);
            p = (IntVector) x.mul((ShortVector) ByteVector.fromArray(B64, b, bo + 8)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0)).reinterpretShape(I, 0);
            s1 = p.add(s1);
            h1 = p.lanewise(VectorOperators.LSHR, 16).add(h1);
        }
        // raw accumulators out; QGemmEpilogueV128 finishes them
        ((IntVector) EXACT.cast(s0)).add(t0).intoArray(tile, tileOff);
        ((IntVector) EXACT.cast(s1)).add(t1).intoArray(tile, tileOff + 4);
        ((IntVector) EXACT.cast(h0)).add(g0).intoArray(high, tileOff);
        ((IntVector) EXACT.cast(h1)).add(g1).intoArray(high, tileOff + 4);
    }
}
