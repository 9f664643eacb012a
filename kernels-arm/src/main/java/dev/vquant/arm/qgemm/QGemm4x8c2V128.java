package dev.vquant.arm.qgemm;

import jdk.incubator.vector.ByteVector;
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
 * {@code acc = s - 65535*h - (128+zB)*rowSum(A) + zA*(K*zB - colSum(W))}. Every step is
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
 *     work. The weights are widened in-register (ZERO_EXTEND_B2S, one UXTL on NEON).
 */
public final class QGemm4x8c2V128 {
    /** Rows per tile. */
    public static final int MR = 4;

    private static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_64;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_128;

    private QGemm4x8c2V128() {
    }

    /**
     * @param ap       4 packed rows: row {@code r} pair {@code q} at {@code ap[r*kPairs + q]} (rows past m are 0)
     * @param rowSums  {@code sum_k A[r][k]} of the 4 rows
     * @param b        packed weights, this panel from {@code bOff}
     * @param col      first (absolute) column of the panel, to index the per-column corrections
     * @param tile     output: row {@code r}, column {@code c} at {@code tile[tileOff + r*ldt + c]}
     */
    public static void run(int[] ap, int kPairs, int[] rowSums, int aZeroPoint, byte[] b, int bOff, int[] rowFactor,
                           int[] colCorrection, int col, int[] tile, int tileOff, int ldt) {
        IntVector s00 = IntVector.zero(I), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        IntVector h00 = s00, h01 = s00, h10 = s00, h11 = s00, h20 = s00, h21 = s00, h30 = s00, h31 = s00;
        int r1 = kPairs, r2 = 2 * kPairs, r3 = 3 * kPairs;
        int bo = bOff;
        for (int q = 0; q < kPairs; q++, bo += 16) {
            ShortVector w0 = (ShortVector) ByteVector.fromArray(B64, b, bo)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
            ShortVector w1 = (ShortVector) ByteVector.fromArray(B64, b, bo + 8)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2S, S, 0);
            ShortVector x = IntVector.broadcast(I, ap[q]).reinterpretAsShorts();
            IntVector p = x.mul(w0).reinterpretAsInts();
            s00 = s00.add(p);
            h00 = h00.add(p.lanewise(VectorOperators.LSHR, 16));
            p = x.mul(w1).reinterpretAsInts();
            s01 = s01.add(p);
            h01 = h01.add(p.lanewise(VectorOperators.LSHR, 16));
            x = IntVector.broadcast(I, ap[r1 + q]).reinterpretAsShorts();
            p = x.mul(w0).reinterpretAsInts();
            s10 = s10.add(p);
            h10 = h10.add(p.lanewise(VectorOperators.LSHR, 16));
            p = x.mul(w1).reinterpretAsInts();
            s11 = s11.add(p);
            h11 = h11.add(p.lanewise(VectorOperators.LSHR, 16));
            x = IntVector.broadcast(I, ap[r2 + q]).reinterpretAsShorts();
            p = x.mul(w0).reinterpretAsInts();
            s20 = s20.add(p);
            h20 = h20.add(p.lanewise(VectorOperators.LSHR, 16));
            p = x.mul(w1).reinterpretAsInts();
            s21 = s21.add(p);
            h21 = h21.add(p.lanewise(VectorOperators.LSHR, 16));
            x = IntVector.broadcast(I, ap[r3 + q]).reinterpretAsShorts();
            p = x.mul(w0).reinterpretAsInts();
            s30 = s30.add(p);
            h30 = h30.add(p.lanewise(VectorOperators.LSHR, 16));
            p = x.mul(w1).reinterpretAsInts();
            s31 = s31.add(p);
            h31 = h31.add(p.lanewise(VectorOperators.LSHR, 16));
        }
        // epilogue: s - 65535*h, minus (128+zB)*rowSum, plus zA*(K*zB - colSum)
        IntVector f0 = IntVector.fromArray(I, rowFactor, col);
        IntVector f1 = IntVector.fromArray(I, rowFactor, col + 4);
        IntVector c0 = IntVector.fromArray(I, colCorrection, col).mul(aZeroPoint);
        IntVector c1 = IntVector.fromArray(I, colCorrection, col + 4).mul(aZeroPoint);
        finish(s00, h00, f0, c0, rowSums[0], tile, tileOff);
        finish(s01, h01, f1, c1, rowSums[0], tile, tileOff + 4);
        finish(s10, h10, f0, c0, rowSums[1], tile, tileOff + ldt);
        finish(s11, h11, f1, c1, rowSums[1], tile, tileOff + ldt + 4);
        finish(s20, h20, f0, c0, rowSums[2], tile, tileOff + 2 * ldt);
        finish(s21, h21, f1, c1, rowSums[2], tile, tileOff + 2 * ldt + 4);
        finish(s30, h30, f0, c0, rowSums[3], tile, tileOff + 3 * ldt);
        finish(s31, h31, f1, c1, rowSums[3], tile, tileOff + 3 * ldt + 4);
    }

    private static void finish(IntVector s, IntVector h, IntVector rowFactor, IntVector colTerm, int rowSum, int[] tile,
                               int off) {
        s.sub(h.lanewise(VectorOperators.LSHL, 16)).add(h).sub(rowFactor.mul(rowSum)).add(colTerm).intoArray(tile, off);
    }
}
