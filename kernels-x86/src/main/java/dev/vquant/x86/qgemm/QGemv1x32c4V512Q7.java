package dev.vquant.x86.qgemm;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * 7-bit activation batch-1 kernel (GEMV), 512-bit: one row by 32 columns, two K-pairs per step,
 * reading byte panels widened in registers. Valid only when every activation is at most 127 (the
 * two pair products then sum to at most 64770, unsigned 16 bits, see {@link QGemm4x32c4V512Q7});
 * {@code pairs} must be even.
 */
final class QGemv1x32c4V512Q7 {
    static final VectorSpecies<Byte> SB = ByteVector.SPECIES_256;
    static final VectorSpecies<Short> SS = ShortVector.SPECIES_512;
    static final VectorSpecies<Integer> SI = IntVector.SPECIES_512;
    static final int L = 16;
    static final int NR = 2 * L;

    private QGemv1x32c4V512Q7() {
    }

    /** As {@link QGemv1x32c2V512#run}, for activations <= 127 and an even {@code pairs}. */
    static void run(int[] ap, int a, byte[] b, int bOff, int pairs, int[] tile, int t) {
        IntVector s0 = IntVector.zero(SI), s1 = s0, h0 = s0, h1 = s0;
        for (int q = 0; q < pairs; q += 2) {
            int bo = bOff + q * 2 * NR;
            ShortVector b0 = (ShortVector) ByteVector.fromArray(SB, b, bo)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, SS, 0);
            ShortVector b1 = (ShortVector) ByteVector.fromArray(SB, b, bo + 2 * L)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, SS, 0);
            ShortVector c0 = (ShortVector) ByteVector.fromArray(SB, b, bo + 2 * NR)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, SS, 0);
            ShortVector c1 = (ShortVector) ByteVector.fromArray(SB, b, bo + 2 * NR + 2 * L)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, SS, 0);
            ShortVector x = (ShortVector) IntVector.broadcast(SI, ap[a + q]).reinterpretShape(SS, 0);
            ShortVector y = (ShortVector) IntVector.broadcast(SI, ap[a + q + 1]).reinterpretShape(SS, 0);
            IntVector p = (IntVector) b0.mul(x).add(c0.mul(y)).reinterpretShape(SI, 0);
            s0 = s0.add(p);
            h0 = h0.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) b1.mul(x).add(c1.mul(y)).reinterpretShape(SI, 0);
            s1 = s1.add(p);
            h1 = h1.add(p.lanewise(VectorOperators.LSHR, 16));
        }
        s0.sub(h0.mul(65535)).intoArray(tile, t);
        s1.sub(h1.mul(65535)).intoArray(tile, t + L);
    }
}
