package dev.vquant.x86.dwconv;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * int8 depthwise 3x3 (no dilation, any stride) accumulation over one run of output columns and
 * one block of 16 channels (256-bit), taps grouped in pairs in (ky, kx) order
 * ({@link X86PackedDepthwiseWeights#pairs()}), in two passes (rows 0-1, row 2).
 *
 * <p>Per group: activations zero-extended to 16 bits, {@code P' = x_a*v_a + x_b*v_b + K} in 16-bit
 * lanes (exact as unsigned, see the packed weights); the shorts viewed as ints
 * {@code L = P'[2k] + 65536 P'[2k+1]} are accumulated as {@code lo += L}, {@code hi += L >>> 16}.
 * Output {@code i} stores {@code lo} at {@code acc[i*BLOCK]}, {@code hi} at {@code acc[i*BLOCK + BLOCK/2]};
 * the epilogue recovers even channels as {@code lo - (hi << 16)} and odd channels as {@code hi}.
 * The first pass starts from the block's zero-point corrections ({@code srcStep = 0}), later ones
 * from {@code acc} itself. Addressing as in {@link FloatDwConv3x3V256}; every tap must be inside
 * its row.
 *
 * @implNote The window is split into passes of at most two rows so that each loop body stays
 * below C2's inlining node budget (a one-pass 3x3 body left some Vector API calls un-inlined).
 */
final class DwConv3x3V256 {
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    /** Channels per block. */
    static final int BLOCK = 16;
    private static final int HALF = BLOCK / 2;

    private DwConv3x3V256() {
    }

    /**
     * Adds window rows {@code r0, r1} (6 taps from {@code t0}, 3 pairs from group {@code g0}) to
     * the accumulators read from {@code src[srcOff + i*srcStep]} and stores them in {@code acc}.
     */
    static void twoRows(byte[] r0, int o0, byte[] r1, int o1, int pix, int colStep, int n, int c0,
                        short[] taps, short[] offsets, int tapStride, int t0, int g0, int[] src, int srcOff, int srcStep,
                        int[] acc) {
        ShortVector w0 = ShortVector.fromArray(S, taps, t0 * tapStride + c0);
        ShortVector w1 = ShortVector.fromArray(S, taps, (t0 + 1) * tapStride + c0);
        ShortVector w2 = ShortVector.fromArray(S, taps, (t0 + 2) * tapStride + c0);
        ShortVector w3 = ShortVector.fromArray(S, taps, (t0 + 3) * tapStride + c0);
        ShortVector w4 = ShortVector.fromArray(S, taps, (t0 + 4) * tapStride + c0);
        ShortVector w5 = ShortVector.fromArray(S, taps, (t0 + 5) * tapStride + c0);
        ShortVector k0 = ShortVector.fromArray(S, offsets, g0 * tapStride + c0);
        ShortVector k1 = ShortVector.fromArray(S, offsets, (g0 + 1) * tapStride + c0);
        ShortVector k2 = ShortVector.fromArray(S, offsets, (g0 + 2) * tapStride + c0);
        int a0 = o0 + c0;
        int a1 = o1 + c0;
        for (int i = 0; i < n; i++) {
            IntVector lo = IntVector.fromArray(I, src, srcOff + i * srcStep);
            IntVector hi = IntVector.fromArray(I, src, srcOff + i * srcStep + HALF);
            IntVector g = load(r0, a0).mul(w0).add(load(r0, a0 + pix).mul(w1)).add(k0).reinterpretAsInts();
            lo = lo.add(g);
            hi = hi.add(g.lanewise(VectorOperators.LSHR, 16));
            g = load(r0, a0 + 2 * pix).mul(w2).add(load(r1, a1).mul(w3)).add(k1).reinterpretAsInts();
            lo = lo.add(g);
            hi = hi.add(g.lanewise(VectorOperators.LSHR, 16));
            g = load(r1, a1 + pix).mul(w4).add(load(r1, a1 + 2 * pix).mul(w5)).add(k2).reinterpretAsInts();
            lo = lo.add(g);
            hi = hi.add(g.lanewise(VectorOperators.LSHR, 16));
            lo.intoArray(acc, i * BLOCK);
            hi.intoArray(acc, i * BLOCK + HALF);
            a0 += colStep;
            a1 += colStep;
        }
    }

    /**
     * Adds window row {@code r0} (3 taps from {@code t0}: 1 pair and a single, from group
     * {@code g0}) to the accumulators read from {@code src[srcOff + i*srcStep]}; stores them in {@code acc}.
     */
    static void oneRow(byte[] r0, int o0, int pix, int colStep, int n, int c0,
                        short[] taps, short[] offsets, int tapStride, int t0, int g0, int[] src, int srcOff, int srcStep,
                        int[] acc) {
        ShortVector w0 = ShortVector.fromArray(S, taps, t0 * tapStride + c0);
        ShortVector w1 = ShortVector.fromArray(S, taps, (t0 + 1) * tapStride + c0);
        ShortVector w2 = ShortVector.fromArray(S, taps, (t0 + 2) * tapStride + c0);
        ShortVector k0 = ShortVector.fromArray(S, offsets, g0 * tapStride + c0);
        ShortVector k1 = ShortVector.fromArray(S, offsets, (g0 + 1) * tapStride + c0);
        int a0 = o0 + c0;
        for (int i = 0; i < n; i++) {
            IntVector lo = IntVector.fromArray(I, src, srcOff + i * srcStep);
            IntVector hi = IntVector.fromArray(I, src, srcOff + i * srcStep + HALF);
            IntVector g = load(r0, a0).mul(w0).add(load(r0, a0 + pix).mul(w1)).add(k0).reinterpretAsInts();
            lo = lo.add(g);
            hi = hi.add(g.lanewise(VectorOperators.LSHR, 16));
            g = load(r0, a0 + 2 * pix).mul(w2).add(k1).reinterpretAsInts();
            lo = lo.add(g);
            hi = hi.add(g.lanewise(VectorOperators.LSHR, 16));
            lo.intoArray(acc, i * BLOCK);
            hi.intoArray(acc, i * BLOCK + HALF);
            a0 += colStep;
        }
    }

    /** One block of activations zero-extended to 16 bits. */
    private static ShortVector load(byte[] r, int a) {
        return (ShortVector) ByteVector.fromArray(B, r, a).convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
    }
}
