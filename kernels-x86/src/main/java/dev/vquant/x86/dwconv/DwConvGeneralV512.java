package dev.vquant.x86.dwconv;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * int8 depthwise accumulation for any kernel size and dilation over one run of output columns
 * and one block of 32 channels (512-bit), taps grouped in pairs or singly as the packed weights
 * say. Arithmetic and output layout as in {@link DwConvPairsV512}; addressing as in
 * {@link FloatDwConvGeneralV512}.
 */
final class DwConvGeneralV512 {
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_256;
    /** Channels per block. */
    static final int BLOCK = 32;
    private static final int HALF = BLOCK / 2;

    private DwConvGeneralV512() {
    }

    static void run(byte[][] rows, int[] offs, int kh, int kw, int tapStep, boolean pairs, int colStep, int n, int c0,
                    short[] taps, short[] offsets, int tapStride, int[] init, int initOff, int[] acc) {
        IntVector lo0 = IntVector.fromArray(I, init, initOff);
        IntVector hi0 = IntVector.fromArray(I, init, initOff + HALF);
        ShortVector zero = ShortVector.zero(S);
        int size = pairs ? 2 : 1;
        for (int i = 0; i < n; i++) {
            IntVector lo = lo0;
            IntVector hi = hi0;
            ShortVector sum = zero;
            int inGroup = 0;
            int t = c0;
            int k = c0;
            for (int ky = 0; ky < kh; ky++) {
                byte[] r = rows[ky];
                int a = offs[ky] + i * colStep + c0;
                for (int kx = 0; kx < kw; kx++) {
                    ShortVector x = (ShortVector) ByteVector.fromArray(B, r, a)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
                    sum = sum.add(x.mul(ShortVector.fromArray(S, taps, t)));
                    a += tapStep;
                    t += tapStride;
                    if (++inGroup == size) {
                        IntVector g = sum.add(ShortVector.fromArray(S, offsets, k)).reinterpretAsInts();
                        lo = lo.add(g);
                        hi = hi.add(g.lanewise(VectorOperators.LSHR, 16));
                        k += tapStride;
                        sum = zero;
                        inGroup = 0;
                    }
                }
            }
            if (inGroup > 0) {
                // an odd number of taps ends with a single-tap group
                IntVector g = sum.add(ShortVector.fromArray(S, offsets, k)).reinterpretAsInts();
                lo = lo.add(g);
                hi = hi.add(g.lanewise(VectorOperators.LSHR, 16));
            }
            lo.intoArray(acc, i * BLOCK);
            hi.intoArray(acc, i * BLOCK + HALF);
        }
    }
}
