package dev.vquant.x86.qgemm;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * 7-bit activation micro-kernel ("q7", fbgemm's reduce_range), 256-bit: 2 rows by 16 columns,
 * two K-pairs (4 K values, "c4") per step. Only valid when every activation is at most 127:
 * then one 16-bit product is at most 127 * 255 = 32385 and the sum of the products of two
 * consecutive K-pairs, at most 64770, still fits unsigned 16 bits, so two pairs are added as
 * shorts before the widening split {@code s += p, h += p >>> 16} of {@link QGemm2x16c2V256} (exact
 * modulo 2^32 for any K): one shift and two adds per 64 products instead of per 32. Callers must
 * check the bound (the drivers do, on the data) and use the full-range kernel otherwise; the pair
 * count must be even (the packers pad K to a multiple of 4). Same vector-major code shape as the
 * full-range kernel, for the same C2 reasons.
 */
final class QGemm2x16c4V256Q7 {
    static final VectorSpecies<Short> SS = ShortVector.SPECIES_256;
    static final VectorSpecies<Integer> SI = IntVector.SPECIES_256;
    static final int L = 8;
    static final int NR = 2 * L;
    static final int MR = 2;

    private QGemm2x16c4V256Q7() {
    }

    /** As {@link QGemm2x16c2V256#run}, for activations <= 127 and an even {@code pairs}. */
    static void run(int[] ap, int a, int aStride, short[] b, int bOff, int pairs, int[] tile, int t) {
        IntVector s00 = IntVector.zero(SI), s01 = s00, h00 = s00, h01 = s00;
        IntVector s10 = IntVector.zero(SI), s11 = s10, h10 = s10, h11 = s10;
        int a1 = a + aStride;
        for (int q = 0; q < pairs; q += 2) {
            int bo = bOff + q * 2 * NR;
            ShortVector x0 = (ShortVector) IntVector.broadcast(SI, ap[a + q]).reinterpretShape(SS, 0);
            ShortVector y0 = (ShortVector) IntVector.broadcast(SI, ap[a + q + 1]).reinterpretShape(SS, 0);
            ShortVector x1 = (ShortVector) IntVector.broadcast(SI, ap[a1 + q]).reinterpretShape(SS, 0);
            ShortVector y1 = (ShortVector) IntVector.broadcast(SI, ap[a1 + q + 1]).reinterpretShape(SS, 0);
            ShortVector b0 = ShortVector.fromArray(SS, b, bo);
            ShortVector c0 = ShortVector.fromArray(SS, b, bo + 2 * NR);
            IntVector p = (IntVector) b0.mul(x0).add(c0.mul(y0)).reinterpretShape(SI, 0);
            s00 = s00.add(p);
            h00 = h00.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) b0.mul(x1).add(c0.mul(y1)).reinterpretShape(SI, 0);
            s10 = s10.add(p);
            h10 = h10.add(p.lanewise(VectorOperators.LSHR, 16));
            ShortVector b1 = ShortVector.fromArray(SS, b, bo + 2 * L);
            ShortVector c1 = ShortVector.fromArray(SS, b, bo + 2 * NR + 2 * L);
            p = (IntVector) b1.mul(x0).add(c1.mul(y0)).reinterpretShape(SI, 0);
            s01 = s01.add(p);
            h01 = h01.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) b1.mul(x1).add(c1.mul(y1)).reinterpretShape(SI, 0);
            s11 = s11.add(p);
            h11 = h11.add(p.lanewise(VectorOperators.LSHR, 16));
        }
        s00.sub(h00.mul(65535)).intoArray(tile, t);
        s01.sub(h01.mul(65535)).intoArray(tile, t + L);
        s10.sub(h10.mul(65535)).intoArray(tile, t + NR);
        s11.sub(h11.mul(65535)).intoArray(tile, t + NR + L);
    }
}
