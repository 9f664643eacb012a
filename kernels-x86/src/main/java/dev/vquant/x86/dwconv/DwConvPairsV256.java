package dev.vquant.x86.dwconv;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * int8 depthwise accumulation passes over one run of output columns and one block of 16 channels
 * (256-bit) for taps grouped in pairs ({@link X86PackedDepthwiseWeights#pairs()}); a 3x3 window is
 * {@link #threePairs} + {@link #pairSingle}, a 5x5 window three {@link #threePairs}, a
 * {@link #twoPairs} and a {@link #pairSingle} (taps in (ky, kx) order, each given by its row
 * array and offset, so any stride works).
 *
 * <p>Per group: activations zero-extended to 16 bits, {@code P' = x_a*v_a + x_b*v_b + K} in 16-bit
 * lanes (exact as unsigned, see the packed weights); the shorts viewed as ints
 * {@code L = P'[2k] + 65536 P'[2k+1]} are accumulated as {@code lo += L}, {@code hi += L >>> 16}.
 * Output {@code i} stores {@code lo} at {@code acc[i*BLOCK]}, {@code hi} at
 * {@code acc[i*BLOCK + BLOCK/2]}; the epilogue recovers even channels as {@code lo - (hi << 16)}
 * and odd channels as {@code hi}. The first pass starts from the block's zero-point corrections
 * ({@code src = init, srcStep = 0}), later ones from {@code acc} itself. Every tap must be
 * inside its row (the driver pads borders).
 *
 * @implNote A window is split into passes of at most six taps so that each loop body stays below
 * C2's inlining node budget: a one-pass 3x3 body (nine taps) left some Vector API calls
 * un-inlined (boxed vectors, 4x slower), and so did fusing the requantization into the last
 * pass (measured 2.5x slower), hence the separate epilogue pass. The weights and group offsets
 * of a pass stay in registers across the run.
 */
final class DwConvPairsV256 {
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    /** Channels per block. */
    static final int BLOCK = 16;
    private static final int HALF = BLOCK / 2;

    private DwConvPairsV256() {
    }

    /**
     * Adds taps {@code t0..t0+5} (3 pairs, groups {@code g0..g0+2}) at {@code rJ[oJ + i*colStep + c0]} to
     * the accumulators read from {@code src[srcOff + i*srcStep]}; stores them in {@code acc}.
     */
    static void threePairs(byte[] r0, int o0, byte[] r1, int o1, byte[] r2, int o2, byte[] r3, int o3,
                           byte[] r4, int o4, byte[] r5, int o5, int colStep, int n, int c0, short[] taps,
                           short[] offsets, int tapStride, int t0, int g0, int[] src, int srcOff, int srcStep,
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
        int a2 = o2 + c0;
        int a3 = o3 + c0;
        int a4 = o4 + c0;
        int a5 = o5 + c0;
        for (int i = 0, d = 0; i < n; i++, d += colStep) {
            IntVector lo = IntVector.fromArray(I, src, srcOff + i * srcStep);
            IntVector hi = IntVector.fromArray(I, src, srcOff + i * srcStep + HALF);
            IntVector g = load(r0, a0 + d).mul(w0).add(load(r1, a1 + d).mul(w1)).add(k0).reinterpretAsInts();
            lo = lo.add(g);
            hi = hi.add(g.lanewise(VectorOperators.LSHR, 16));
            g = load(r2, a2 + d).mul(w2).add(load(r3, a3 + d).mul(w3)).add(k1).reinterpretAsInts();
            lo = lo.add(g);
            hi = hi.add(g.lanewise(VectorOperators.LSHR, 16));
            g = load(r4, a4 + d).mul(w4).add(load(r5, a5 + d).mul(w5)).add(k2).reinterpretAsInts();
            lo = lo.add(g);
            hi = hi.add(g.lanewise(VectorOperators.LSHR, 16));
            lo.intoArray(acc, i * BLOCK);
            hi.intoArray(acc, i * BLOCK + HALF);
        }
    }

    /**
     * Adds taps {@code t0..t0+3} (2 pairs, groups {@code g0, g0+1}); otherwise as {@link #threePairs}.
     */
    static void twoPairs(byte[] r0, int o0, byte[] r1, int o1, byte[] r2, int o2, byte[] r3, int o3, int colStep, int n,
                         int c0, short[] taps, short[] offsets, int tapStride, int t0, int g0, int[] src, int srcOff,
                         int srcStep, int[] acc) {
        ShortVector w0 = ShortVector.fromArray(S, taps, t0 * tapStride + c0);
        ShortVector w1 = ShortVector.fromArray(S, taps, (t0 + 1) * tapStride + c0);
        ShortVector w2 = ShortVector.fromArray(S, taps, (t0 + 2) * tapStride + c0);
        ShortVector w3 = ShortVector.fromArray(S, taps, (t0 + 3) * tapStride + c0);
        ShortVector k0 = ShortVector.fromArray(S, offsets, g0 * tapStride + c0);
        ShortVector k1 = ShortVector.fromArray(S, offsets, (g0 + 1) * tapStride + c0);
        int a0 = o0 + c0;
        int a1 = o1 + c0;
        int a2 = o2 + c0;
        int a3 = o3 + c0;
        for (int i = 0, d = 0; i < n; i++, d += colStep) {
            IntVector lo = IntVector.fromArray(I, src, srcOff + i * srcStep);
            IntVector hi = IntVector.fromArray(I, src, srcOff + i * srcStep + HALF);
            IntVector g = load(r0, a0 + d).mul(w0).add(load(r1, a1 + d).mul(w1)).add(k0).reinterpretAsInts();
            lo = lo.add(g);
            hi = hi.add(g.lanewise(VectorOperators.LSHR, 16));
            g = load(r2, a2 + d).mul(w2).add(load(r3, a3 + d).mul(w3)).add(k1).reinterpretAsInts();
            lo = lo.add(g);
            hi = hi.add(g.lanewise(VectorOperators.LSHR, 16));
            lo.intoArray(acc, i * BLOCK);
            hi.intoArray(acc, i * BLOCK + HALF);
        }
    }

    /**
     * Adds taps {@code t0..t0+2} (a pair and a single, groups {@code g0, g0+1}); otherwise as {@link #threePairs}.
     */
    static void pairSingle(byte[] r0, int o0, byte[] r1, int o1, byte[] r2, int o2, int colStep, int n, int c0,
                           short[] taps, short[] offsets, int tapStride, int t0, int g0, int[] src, int srcOff,
                           int srcStep, int[] acc) {
        ShortVector w0 = ShortVector.fromArray(S, taps, t0 * tapStride + c0);
        ShortVector w1 = ShortVector.fromArray(S, taps, (t0 + 1) * tapStride + c0);
        ShortVector w2 = ShortVector.fromArray(S, taps, (t0 + 2) * tapStride + c0);
        ShortVector k0 = ShortVector.fromArray(S, offsets, g0 * tapStride + c0);
        ShortVector k1 = ShortVector.fromArray(S, offsets, (g0 + 1) * tapStride + c0);
        int a0 = o0 + c0;
        int a1 = o1 + c0;
        int a2 = o2 + c0;
        for (int i = 0, d = 0; i < n; i++, d += colStep) {
            IntVector lo = IntVector.fromArray(I, src, srcOff + i * srcStep);
            IntVector hi = IntVector.fromArray(I, src, srcOff + i * srcStep + HALF);
            IntVector g = load(r0, a0 + d).mul(w0).add(load(r1, a1 + d).mul(w1)).add(k0).reinterpretAsInts();
            lo = lo.add(g);
            hi = hi.add(g.lanewise(VectorOperators.LSHR, 16));
            g = load(r2, a2 + d).mul(w2).add(k1).reinterpretAsInts();
            lo = lo.add(g);
            hi = hi.add(g.lanewise(VectorOperators.LSHR, 16));
            lo.intoArray(acc, i * BLOCK);
            hi.intoArray(acc, i * BLOCK + HALF);
        }
    }

    /** One block of activations zero-extended to 16 bits. */
    private static ShortVector load(byte[] r, int a) {
        return (ShortVector) ByteVector.fromArray(B, r, a).convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
    }
}
