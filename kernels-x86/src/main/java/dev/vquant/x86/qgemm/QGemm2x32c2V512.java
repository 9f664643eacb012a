package dev.vquant.x86.qgemm;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Full-range u8 x s8 micro-kernel, 512-bit: 2 rows by 32 columns (2 vectors of 16 int lanes),
 * K-pairs at a time ("c2"), exact for every activation 0..255.
 *
 * <p>Why this op sequence (the Vector API has no vpmaddubsw/vpmaddwd): the packed activation
 * pair {@code a0 | a1 << 16} is broadcast to every 32-bit lane and read as 16-bit lanes, then
 * multiplied with the K-pair interleaved unsigned weights {@code (wu0, wu1)} of 16 columns: each
 * 16-bit product fits unsigned 16 bits (at most 255 * 255), so the 32-bit lane holds
 * {@code p = lo + 65536 * hi} with {@code lo = a0*wu0, hi = a1*wu1}. Accumulating
 * {@code s += p} and {@code h += p >>> 16} gives {@code lo + hi = s - 65535 * h} modulo 2^32 for
 * any number of steps, so the raw sum is exact modulo 2^32 for any K.
 *
 * <p>Why 2 rows: a 4-row body has so many Vector API calls that C2 hits its inlining node limit
 * (NodeCountInliningCutoff) and leaves vectors boxed, running ~10x slower; 2 rows compile fully.
 * Registers: 8 accumulators (s and h for 2 x 2), 2 weight vectors, 1 broadcast, 2 temporaries.
 */
final class QGemm2x32c2V512 {
    static final VectorSpecies<Short> SS = ShortVector.SPECIES_512;
    static final VectorSpecies<Integer> SI = IntVector.SPECIES_512;
    static final int L = 16;
    static final int NR = 2 * L;
    static final int MR = 2;

    private QGemm2x32c2V512() {
    }

    /**
     * Adds (or, when {@code first}, stores) {@code raw[r][c] = sum over pairs [0, pairs) of
     * A-pair x W-pair} for 2 rows and NR = 32 columns into {@code tile[t + r*NR + c]}.
     *
     * @param ap     packed activation pairs; row {@code r} starts at {@code a + r*aStride}
     * @param b      16-bit weight panel, first pair at {@code bOff}
     */
    static void run(int[] ap, int a, int aStride, short[] b, int bOff, int pairs, int[] tile, int t, boolean first) {
        IntVector s00 = IntVector.zero(SI), s01 = s00, s10 = s00, s11 = s00;
        IntVector h00 = s00, h01 = s00, h10 = s00, h11 = s00;
        int a1 = a + aStride;
        for (int q = 0; q < pairs; q++) {
            int bo = bOff + q * 2 * NR;
            ShortVector b0 = ShortVector.fromArray(SS, b, bo);
            ShortVector b1 = ShortVector.fromArray(SS, b, bo + 2 * L);
            ShortVector x = (ShortVector) IntVector.broadcast(SI, ap[a + q]).reinterpretShape(SS, 0);
            IntVector p = (IntVector) b0.mul(x).reinterpretShape(SI, 0);
            s00 = s00.add(p);
            h00 = h00.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) b1.mul(x).reinterpretShape(SI, 0);
            s01 = s01.add(p);
            h01 = h01.add(p.lanewise(VectorOperators.LSHR, 16));
            x = (ShortVector) IntVector.broadcast(SI, ap[a1 + q]).reinterpretShape(SS, 0);
            p = (IntVector) b0.mul(x).reinterpretShape(SI, 0);
            s10 = s10.add(p);
            h10 = h10.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) b1.mul(x).reinterpretShape(SI, 0);
            s11 = s11.add(p);
            h11 = h11.add(p.lanewise(VectorOperators.LSHR, 16));
        }
        store(s00, h00, tile, t, first);
        store(s01, h01, tile, t + L, first);
        store(s10, h10, tile, t + NR, first);
        store(s11, h11, tile, t + NR + L, first);
    }

    /** {@code lo + hi = s - 65535*h}, added to the tile unless this is the first reduction block. */
    private static void store(IntVector s, IntVector h, int[] tile, int t, boolean first) {
        IntVector raw = s.sub(h.mul(65535));
        if (!first) {
            raw = raw.add(IntVector.fromArray(SI, tile, t));
        }
        raw.intoArray(tile, t);
    }
}
