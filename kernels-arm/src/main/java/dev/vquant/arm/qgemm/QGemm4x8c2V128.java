package dev.vquant.arm.qgemm;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * u8 x s8 -> int32 GEMM micro-kernel, 4 rows x 8 columns, K in pairs ("c2"), 128-bit vectors.
 *
 * <p>Computes, for the 4 packed rows and one weight panel of {@link PackedQGemmV128},
 * <pre>tile[r][c] = sum_k (A[r][k] - zA) * (W[j0+c][k] - zB[j0+c])   (exact modulo 2^32)</pre>
 *
 * <p>Method ("pmu"): weights are stored +128 (0..255), activations are packed two per int
 * ({@code a[2q] | a[2q+1] << 16}) and broadcast, so one 16-bit multiply gives per int lane the
 * two unsigned products {@code p = a0*w0 + 65536*a1*w1} (each at most 65025, so it fits 16 bits).
 * Two accumulators per lane collect {@code s += p} and {@code h += p >>> 16}; then
 * {@code sum a*(w+128) = s - 65535*h}, and
 * {@code acc = s - 65535*h - (128+zB)*rowSum(A) + zA*(K*zB - colSum(W))} (applied by
 * {@link QGemmEpilogueV128} once the tile is complete). Every step is
 * ring arithmetic modulo 2^32 (including {@code h}, whose exact value is only needed modulo
 * 2^32), so the result is exact modulo 2^32 for every K: there is no bound at which this trick
 * stops being exact, hence no K split.
 *
 * @implNote Tile 4x8: 16 accumulators ({@code s} and {@code h} for 4 rows x 2 column vectors),
 *     2 weight vectors, 1 broadcast and 1 product in flight: ~21 of NEON's 32 registers, leaving
 *     room for C2's temporaries. QNNPACK's aarch64 8x8 tile keeps one accumulator per output
 *     thanks to SMLAL; the Vector API has no widening multiply-accumulate, so each output needs
 *     two accumulators and 8x8 would need 32 registers for accumulators alone. 4x8 loads one 16-byte
 *     weight block per K-pair and reuses it 4 times; an 8x4 tile would need 8 broadcasts for the same
 *     work. The weights come pre-widened to 16 bits (each is reused by 4 rows, so the extra memory
 *     traffic is cheaper than widening in the loop: measured 22-24 vs 16-21 GMAC/s). The epilogue
 *     lives in its own method: with it inlined, C2 hit NodeCountInliningCutoff, left the epilogue
 *     to C1 code without Vector API intrinsics and the kernel ran 10x slower (measured).
 */
public final class QGemm4x8c2V128 {
    /** Rows per tile. */
    public static final int MR = 4;

    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_128;

    private QGemm4x8c2V128() {
    }

    /**
     * Accumulates one 4x8 tile over all K-pairs and stores the two raw accumulators per output,
     * {@code s} into {@code tile} and {@code h} into {@code high} (row {@code r}, column {@code c} at
     * {@code [tileOff + r*ldt + c]}); {@link QGemmEpilogueV128} turns them into exact accumulators.
     *
     * @param ap 4 packed rows: row {@code r} pair {@code q} at {@code ap[r*kPairs + q]} (rows past m are 0)
     * @param b  packed weights widened to 16 bits ({@link PackedQGemmV128#widePanels()}), this panel from {@code bOff}
     */
    public static void run(int[] ap, int kPairs, short[] b, int bOff, int[] tile, int[] high, int tileOff, int ldt) {
        IntVector s00 = IntVector.zero(I), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        IntVector h00 = s00, h01 = s00, h10 = s00, h11 = s00, h20 = s00, h21 = s00, h30 = s00, h31 = s00;
        int r1 = kPairs, r2 = 2 * kPairs, r3 = 3 * kPairs;
        int bo = bOff;
        for (int q = 0; q < kPairs; q++, bo += 16) {
            ShortVector w0 = ShortVector.fromArray(S, b, bo);
            ShortVector w1 = ShortVector.fromArray(S, b, bo + 8);
            ShortVector x = (ShortVector) IntVector.broadcast(I, ap[q]).reinterpretShape(S, 0);
            IntVector p = (IntVector) x.mul(w0).reinterpretShape(I, 0);
            s00 = s00.add(p);
            h00 = h00.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) x.mul(w1).reinterpretShape(I, 0);
            s01 = s01.add(p);
            h01 = h01.add(p.lanewise(VectorOperators.LSHR, 16));
            x = (ShortVector) IntVector.broadcast(I, ap[r1 + q]).reinterpretShape(S, 0);
            p = (IntVector) x.mul(w0).reinterpretShape(I, 0);
            s10 = s10.add(p);
            h10 = h10.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) x.mul(w1).reinterpretShape(I, 0);
            s11 = s11.add(p);
            h11 = h11.add(p.lanewise(VectorOperators.LSHR, 16));
            x = (ShortVector) IntVector.broadcast(I, ap[r2 + q]).reinterpretShape(S, 0);
            p = (IntVector) x.mul(w0).reinterpretShape(I, 0);
            s20 = s20.add(p);
            h20 = h20.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) x.mul(w1).reinterpretShape(I, 0);
            s21 = s21.add(p);
            h21 = h21.add(p.lanewise(VectorOperators.LSHR, 16));
            x = (ShortVector) IntVector.broadcast(I, ap[r3 + q]).reinterpretShape(S, 0);
            p = (IntVector) x.mul(w0).reinterpretShape(I, 0);
            s30 = s30.add(p);
            h30 = h30.add(p.lanewise(VectorOperators.LSHR, 16));
            p = (IntVector) x.mul(w1).reinterpretShape(I, 0);
            s31 = s31.add(p);
            h31 = h31.add(p.lanewise(VectorOperators.LSHR, 16));
        }
        // raw accumulators out; QGemmEpilogueV128 applies s - 65535*h and the zero-point terms
        // (a separate method: inlining it here pushes C2 past its node budget, see class doc)
        s00.intoArray(tile, tileOff);
        s01.intoArray(tile, tileOff + 4);
        h00.intoArray(high, tileOff);
        h01.intoArray(high, tileOff + 4);
        int t = tileOff + ldt;
        s10.intoArray(tile, t);
        s11.intoArray(tile, t + 4);
        h10.intoArray(high, t);
        h11.intoArray(high, t + 4);
        t += ldt;
        s20.intoArray(tile, t);
        s21.intoArray(tile, t + 4);
        h20.intoArray(high, t);
        h21.intoArray(high, t + 4);
        t += ldt;
        s30.intoArray(tile, t);
        s31.intoArray(tile, t + 4);
        h30.intoArray(high, t);
        h31.intoArray(high, t + 4);
    }
}
