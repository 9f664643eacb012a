package dev.vquant.x86.qgemm;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Full-range u8 x s8 batch-1 kernel (GEMV), 512-bit: one row by 32 columns, K-pairs at a time.
 * Batch 1 is memory-bound, so it reads the byte panels of {@link PackedQGemmPanels} (1 byte per
 * weight, a quarter of float32's traffic) and widens them in registers with a zero-extending
 * byte-to-short conversion; the arithmetic is that of {@link QGemm4x32c2V512} (exact modulo 2^32
 * for any K).
 */
final class QGemv1x32c2V512 {
    static final VectorSpecies<Byte> SB = ByteVector.SPECIES_256;
    static final VectorSpecies<Short> SS = ShortVector.SPECIES_512;
    static final VectorSpecies<Integer> SI = IntVector.SPECIES_512;
    static final int L = 16;
    static final int NR = 2 * L;

    private QGemv1x32c2V512() {
    }

    /**
     * Stores {@code raw[c] = sum over pairs [0, pairs) of A-pair x W-pair} into {@code tile[t + c]}, c < 32.
     * Two pairs per step into separate accumulators (measured ~1.35x faster streaming 16 MiB of
     * weights than one pair per step); {@code pairs} must be even (the packer pads K to a multiple of 4).
     */
    static void run(int[] ap, int a, byte[] b, int bOff, int pairs, int[] tile, int t) {
        IntVector s0 = IntVector.zero(SI), s1 = s0, h0 = s0, h1 = s0;
        IntVector s2 = s0, s3 = s0, h2 = s0, h3 = s0;
        for (int q = 0; q < pairs; q += 2) {
            ShortVector x = (ShortVector) IntVector.broadcast(SI, ap[a + q]).reinterpretShape(SS, 0);
            ShortVector y = (ShortVector) IntVector.broadcast(SI, ap[a + q + 1]).reinterpretShape(SS, 0);
            int bo = bOff + q * 2 * NR;
            IntVector p = (IntVector) ((ShortVector) ByteVector.fromArray(SB, b, bo).convertShape(VectorOperators.ZERO_EXTEND_B2S, SS, 0)).mul(x).reinterpretShape(SI, 0);
            s0 = s0.add(p);
            h0 = h0.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) ((ShortVector) ByteVector.fromArray(SB, b, bo + 2 * L).convertShape(VectorOperators.ZERO_EXTEND_B2S, SS, 0)).mul(x).reinterpretShape(SI, 0);
            s1 = s1.add(p);
            h1 = h1.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) ((ShortVector) ByteVector.fromArray(SB, b, bo + 2 * NR).convertShape(VectorOperators.ZERO_EXTEND_B2S, SS, 0)).mul(y).reinterpretShape(SI, 0);
            s2 = s2.add(p);
            h2 = h2.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) ((ShortVector) ByteVector.fromArray(SB, b, bo + 2 * NR + 2 * L).convertShape(VectorOperators.ZERO_EXTEND_B2S, SS, 0)).mul(y).reinterpretShape(SI, 0);
            s3 = s3.add(p);
            h3 = h3.add(p.lanewise(VectorOperators.LSHR, 16));
        }
        s0 = s0.add(s2);
        s1 = s1.add(s3);
        h0 = h0.add(h2);
        h1 = h1.add(h3);
        s0.sub(h0.mul(65535)).intoArray(tile, t);
        s1.sub(h1.mul(65535)).intoArray(tile, t + L);
    }
}
