package dev.vquant.x86.qgemm;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Full-range u8 x s8 micro-kernel, 256-bit: 2 rows by 16 columns (2 vectors of 8 int lanes),
 * one K-pair per step ("c2"), exact for every activation 0..255.
 *
 * <p>Why this op sequence (the Vector API has no vpmaddubsw/vpmaddwd): the packed activation
 * pair {@code a0 | a1 << 16} is broadcast to every 32-bit lane and read as 16-bit lanes, then
 * multiplied with the K-pair interleaved unsigned weights {@code (wu0, wu1)} of 8 columns: each
 * 16-bit product fits unsigned 16 bits (at most 255 * 255), so the 32-bit lane holds
 * {@code p = lo + 65536 * hi} with {@code lo = a0*wu0, hi = a1*wu1}. Accumulating
 * {@code s += p} and {@code h += p >>> 16} gives {@code lo + hi = s - 65535 * h} modulo 2^32 for
 * any number of steps (s is {@code sum lo + 65536 sum hi}, h is {@code sum hi}, both mod 2^32), so
 * the raw sum is exact modulo 2^32 for any K.
 *
 * <p>Code shape matters to C2 here: the broadcasts of all rows come first, then each weight vector
 * is loaded and used by both rows ("vector-major"); the same operations in row-major order ran
 * ~2x slower for the 7-bit twin, and routing the final stores through a helper with a branch made
 * the method exceed C2's inlining node budget (vectors left boxed, ~10x slower).
 * Two rows, not four, so that 8 accumulators, the broadcasts and the weights fit the 16 ymm
 * registers of AVX2.
 */
final class QGemm2x16c2V256 {
    static final VectorSpecies<Short> SS = ShortVector.SPECIES_256;
    static final VectorSpecies<Integer> SI = IntVector.SPECIES_256;
    static final int L = 8;
    static final int NR = 2 * L;
    static final int MR = 2;

    private QGemm2x16c2V256() {
    }

    /**
     * Stores {@code raw[r][c] = sum over pairs [0, pairs) of A-pair x W-pair} (exact modulo 2^32)
     * for 2 rows and 16 columns into {@code tile[t + r*NR + c]}.
     *
     * @param ap      packed activation pairs ({@link PackAWithRowSums}); row {@code r} starts at {@code a + r*aStride}
     * @param b       16-bit weight panel ({@link PackedQGemmPanels#shorts()}), first pair at {@code bOff}
     */
    static void run(int[] ap, int a, int aStride, short[] b, int bOff, int pairs, int[] tile, int t) {
        IntVector s00 = IntVector.zero(SI), s01 = s00, h00 = s00, h01 = s00;
        IntVector s10 = IntVector.zero(SI), s11 = s10, h10 = s10, h11 = s10;
        int a1 = a + aStride;
        for (int q = 0; q < pairs; q += 1) {
            int bo = bOff + q * 2 * NR;
            ShortVector x0 = (ShortVector) IntVector.broadcast(SI, ap[a + q]).reinterpretShape(SS, 0);
            ShortVector x1 = (ShortVector) IntVector.broadcast(SI, ap[a1 + q]).reinterpretShape(SS, 0);
            ShortVector b0 = ShortVector.fromArray(SS, b, bo);
            IntVector p = (IntVector) b0.mul(x0).reinterpretShape(SI, 0);
            s00 = s00.add(p);
            h00 = h00.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) b0.mul(x1).reinterpretShape(SI, 0);
            s10 = s10.add(p);
            h10 = h10.add(p.lanewise(VectorOperators.LSHR, 16));
            ShortVector b1 = ShortVector.fromArray(SS, b, bo + 2 * L);
            p = (IntVector) b1.mul(x0).reinterpretShape(SI, 0);
            s01 = s01.add(p);
            h01 = h01.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) b1.mul(x1).reinterpretShape(SI, 0);
            s11 = s11.add(p);
            h11 = h11.add(p.lanewise(VectorOperators.LSHR, 16));
        }
        s00.sub(h00.mul(65535)).intoArray(tile, t);
        s01.sub(h01.mul(65535)).intoArray(tile, t + L);
        s10.sub(h10.mul(65535)).intoArray(tile, t + NR);
        s11.sub(h11.mul(65535)).intoArray(tile, t + NR + L);
    }
}
