package dev.vquant.x86.qgemm;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * 7-bit activation micro-kernel ("q7", fbgemm's reduce_range), 512-bit: 4 rows by 32 columns,
 * two K-pairs (4 K values, "c4") per step. Only valid when every activation is at most 127:
 * then one 16-bit product is at most 127 * 255 = 32385 and the sum of the products of two
 * consecutive K-pairs, at most 64770, still fits unsigned 16 bits, so two pairs are added as
 * shorts before the widening split {@code s += p, h += p >>> 16} of {@link QGemm4x32c2V512} (exact
 * modulo 2^32 for any K): one shift and two adds per 64 products instead of per 32. Callers must
 * check the bound (the drivers do, on the data) and use the full-range kernel otherwise; the pair
 * count must be even (the packers pad K to a multiple of 4). Same vector-major code shape as the
 * full-range kernel, for the same C2 reasons.
 */
final class QGemm4x32c4V512Q7 {
    static final VectorSpecies<Short> SS = ShortVector.SPECIES_512;
    static final VectorSpecies<Integer> SI = IntVector.SPECIES_512;
    static final int L = 16;
    static final int NR = 2 * L;
    static final int MR = 4;

    private QGemm4x32c4V512Q7() {
    }

    /** As {@link QGemm4x32c2V512#run}, for activations <= 127 and an even {@code pairs}. */
    static void run(int[] ap, int a, int aStride, short[] b, int bOff, int pairs, int[] tile, int t) {
        IntVector s00 = IntVector.zero(SI), s01 = s00, h00 = s00, h01 = s00;
        IntVector s10 = IntVector.zero(SI), s11 = s10, h10 = s10, h11 = s10;
        IntVector s20 = IntVector.zero(SI), s21 = s20, h20 = s20, h21 = s20;
        IntVector s30 = IntVector.zero(SI), s31 = s30, h30 = s30, h31 = s30;
        int a1 = a + aStride;
        int a2 = a1 + aStride;
        int a3 = a2 + aStride;
        for (int q = 0; q < pairs; q += 2) {
            int bo = bOff + q * 2 * NR;
            ShortVector x0 = (ShortVector) IntVector.broadcast(SI, ap[a + q]).reinterpretShape(SS, 0);
            ShortVector y0 = (ShortVector) IntVector.broadcast(SI, ap[a + q + 1]).reinterpretShape(SS, 0);
            ShortVector x1 = (ShortVector) IntVector.broadcast(SI, ap[a1 + q]).reinterpretShape(SS, 0);
            ShortVector y1 = (ShortVector) IntVector.broadcast(SI, ap[a1 + q + 1]).reinterpretShape(SS, 0);
            ShortVector x2 = (ShortVector) IntVector.broadcast(SI, ap[a2 + q]).reinterpretShape(SS, 0);
            ShortVector y2 = (ShortVector) IntVector.broadcast(SI, ap[a2 + q + 1]).reinterpretShape(SS, 0);
            ShortVector x3 = (ShortVector) IntVector.broadcast(SI, ap[a3 + q]).reinterpretShape(SS, 0);
            ShortVector y3 = (ShortVector) IntVector.broadcast(SI, ap[a3 + q + 1]).reinterpretShape(SS, 0);
            ShortVector b0 = ShortVector.fromArray(SS, b, bo);
            ShortVector c0 = ShortVector.fromArray(SS, b, bo + 2 * NR);
            IntVector p = (IntVector) b0.mul(x0).add(c0.mul(y0)).reinterpretShape(SI, 0);
            s00 = s00.add(p);
            h00 = h00.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) b0.mul(x1).add(c0.mul(y1)).reinterpretShape(SI, 0);
            s10 = s10.add(p);
            h10 = h10.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) b0.mul(x2).add(c0.mul(y2)).reinterpretShape(SI, 0);
            s20 = s20.add(p);
            h20 = h20.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) b0.mul(x3).add(c0.mul(y3)).reinterpretShape(SI, 0);
            s30 = s30.add(p);
            h30 = h30.add(p.lanewise(VectorOperators.LSHR, 16));
            ShortVector b1 = ShortVector.fromArray(SS, b, bo + 2 * L);
            ShortVector c1 = ShortVector.fromArray(SS, b, bo + 2 * NR + 2 * L);
            p = (IntVector) b1.mul(x0).add(c1.mul(y0)).reinterpretShape(SI, 0);
            s01 = s01.add(p);
            h01 = h01.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) b1.mul(x1).add(c1.mul(y1)).reinterpretShape(SI, 0);
            s11 = s11.add(p);
            h11 = h11.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) b1.mul(x2).add(c1.mul(y2)).reinterpretShape(SI, 0);
            s21 = s21.add(p);
            h21 = h21.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) b1.mul(x3).add(c1.mul(y3)).reinterpretShape(SI, 0);
            s31 = s31.add(p);
            h31 = h31.add(p.lanewise(VectorOperators.LSHR, 16));
        }
        s00.sub(h00.mul(65535)).intoArray(tile, t);
        s01.sub(h01.mul(65535)).intoArray(tile, t + L);
        s10.sub(h10.mul(65535)).intoArray(tile, t + NR);
        s11.sub(h11.mul(65535)).intoArray(tile, t + NR + L);
        s20.sub(h20.mul(65535)).intoArray(tile, t + 2 * NR);
        s21.sub(h21.mul(65535)).intoArray(tile, t + 2 * NR + L);
        s30.sub(h30.mul(65535)).intoArray(tile, t + 3 * NR);
        s31.sub(h31.mul(65535)).intoArray(tile, t + 3 * NR + L);
    }
}
