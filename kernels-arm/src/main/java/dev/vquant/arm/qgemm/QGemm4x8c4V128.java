package dev.vquant.arm.qgemm;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * u8 x s8 -> int32 GEMM micro-kernel, 4 rows x 8 columns, K in groups of 4 ("c4": two K-pairs per
 * step), 128-bit vectors, on the signed 16-bit panels of {@link PackedQGemmV128#widePanels()}.
 *
 * <p>Method: activations enter as {@code a' = a - 127} ({@code -127..128}), packed two per int
 * ({@code a'[2q] & 0xFFFF | a'[2q+1] << 16}) and broadcast; weights are the raw {@code W}
 * ({@code -128..127}). Every 16-bit product {@code a'*W} lies in {@code -16384..16256}, so the
 * products of two K-pairs add in one 16-bit lane without overflow ({@code -32768..32512}). Flipping
 * the top bit makes that sum unsigned ({@code +32768}, {@code 0..65280}); read as int, a lane is
 * {@code u = lo + 65536*hi} and two accumulators collect {@code s += u}, {@code h += u >>> 16}.
 * Then {@code sum a'*W = s - 65535*h - 65536*steps} and
 * <pre>acc = sum a'*W - zB*sum(a') - (127 - zA)*(K*zB - colSum(W))</pre>
 * ({@link QGemmEpilogueV128#rowSigned}). All of it is ring arithmetic modulo 2^32, so the result is
 * exact modulo 2^32 for every K: no K bound, no split.
 *
 * @implNote Per step (two K-pairs, 128 MACs): 4 weight loads, 8 broadcasts, 16 16-bit multiplies,
 *     then per output vector one 16-bit add, one XOR, and the two accumulations (add, shift, add):
 *     28 ALU operations per 64 MACs against 32 for widening after every pair ("c2"), because the
 *     pair of K-pairs shares one XOR and one widening. Tile 4x8: 16 accumulators, 4 weight
 *     vectors, 2 broadcasts in flight, ~24 of NEON's 32 registers. QNNPACK's aarch64 8x8 tile
 *     relies on SMLAL (one accumulator per output); without a widening multiply-accumulate in the
 *     Vector API each output needs two accumulators, and 8x8 would need all 32 registers for them.
 *     The epilogue is a separate method: inlined here it pushed C2 past NodeCountInliningCutoff
 *     and the whole kernel ran 10x slower (measured).
 */
public final class QGemm4x8c4V128 {
    /** Rows per tile. */
    public static final int MR = 4;

    private static final VectorSpecies<Short> S = ShortVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_128;
    /** IntVector's class for I: a cast to it gives a loop-carried vector its exact type (package doc). */
    private static final Class<? extends Vector<Integer>> EXACT = I.vectorType();
    private static final short SIGN = (short) 0x8000;

    private QGemm4x8c4V128() {
    }

    /**
     * Accumulates one 4x8 tile over all {@code pairs} K-pairs (even) and stores the raw
     * accumulators, {@code s} into {@code tile} and {@code h} into {@code high} (row {@code r},
     * column {@code c} at {@code [tileOff + r*ldt + c]}).
     *
     * @param ap 4 packed rows of {@code a'}: row {@code r} pair {@code q} at {@code ap[apOff + r*pairs + q]}
     * @param apOff   index of row 0's first pair in {@code ap}
     * @param pairs   K-pairs per panel, even
     * @param b       signed 16-bit panels, this panel from {@code bOff}
     * @param bOff    index of the panel's first element
     * @param tile    receives the {@code s} accumulators
     * @param high    receives the {@code h} accumulators
     * @param tileOff index of row 0, column 0 in {@code tile} and {@code high}
     * @param ldt     row stride of {@code tile} and {@code high}, {@code >= 8}
     */
    public static void run(int[] ap, int apOff, int pairs, short[] b, int bOff, int[] tile, int[] high, int tileOff,
                           int ldt) {
        IntVector s00 = IntVector.zero(I), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        IntVector h00 = s00, h01 = s00, h10 = s00, h11 = s00, h20 = s00, h21 = s00, h30 = s00, h31 = s00;
        int r0 = apOff, r1 = apOff + pairs, r2 = apOff + 2 * pairs, r3 = apOff + 3 * pairs;
        int bo = bOff;
        for (int q = 0; q < pairs; q += 2, bo += 32) {
            ShortVector w0 = ShortVector.fromArray(S, b, bo);
            ShortVector w1 = ShortVector.fromArray(S, b, bo + 8);
            ShortVector v0 = ShortVector.fromArray(S, b, bo + 16);
            ShortVector v1 = ShortVector.fromArray(S, b, bo + 24);
            ShortVector x = (ShortVector) IntVector.broadcast(I, ap[r0 + q]).reinterpretShape(S, 0);
            ShortVector y = (ShortVector) IntVector.broadcast(I, ap[r0 + q + 1]).reinterpretShape(S, 0);
            IntVector u = (IntVector) x.mul(w0).add(y.mul(v0)).lanewise(VectorOperators.XOR, SIGN).reinterpretShape(I, 0);
            s00 = u.add(s00);
            h00 = u.lanewise(VectorOperators.LSHR, 16).add(h00);
            u = (IntVector) x.mul(w1).add(y.mul(v1)).lanewise(VectorOperators.XOR, SIGN).reinterpretShape(I, 0);
            s01 = u.add(s01);
            h01 = u.lanewise(VectorOperators.LSHR, 16).add(h01);
            x = (ShortVector) IntVector.broadcast(I, ap[r1 + q]).reinterpretShape(S, 0);
            y = (ShortVector) IntVector.broadcast(I, ap[r1 + q + 1]).reinterpretShape(S, 0);
            u = (IntVector) x.mul(w0).add(y.mul(v0)).lanewise(VectorOperators.XOR, SIGN).reinterpretShape(I, 0);
            s10 = u.add(s10);
            h10 = u.lanewise(VectorOperators.LSHR, 16).add(h10);
            u = (IntVector) x.mul(w1).add(y.mul(v1)).lanewise(VectorOperators.XOR, SIGN).reinterpretShape(I, 0);
            s11 = u.add(s11);
            h11 = u.lanewise(VectorOperators.LSHR, 16).add(h11);
            x = (ShortVector) IntVector.broadcast(I, ap[r2 + q]).reinterpretShape(S, 0);
            y = (ShortVector) IntVector.broadcast(I, ap[r2 + q + 1]).reinterpretShape(S, 0);
            u = (IntVector) x.mul(w0).add(y.mul(v0)).lanewise(VectorOperators.XOR, SIGN).reinterpretShape(I, 0);
            s20 = u.add(s20);
            h20 = u.lanewise(VectorOperators.LSHR, 16).add(h20);
            u = (IntVector) x.mul(w1).add(y.mul(v1)).lanewise(VectorOperators.XOR, SIGN).reinterpretShape(I, 0);
            s21 = u.add(s21);
            h21 = u.lanewise(VectorOperators.LSHR, 16).add(h21);
            x = (ShortVector) IntVector.broadcast(I, ap[r3 + q]).reinterpretShape(S, 0);
            y = (ShortVector) IntVector.broadcast(I, ap[r3 + q + 1]).reinterpretShape(S, 0);
            u = (IntVector) x.mul(w0).add(y.mul(v0)).lanewise(VectorOperators.XOR, SIGN).reinterpretShape(I, 0);
            s30 = u.add(s30);
            h30 = u.lanewise(VectorOperators.LSHR, 16).add(h30);
            u = (IntVector) x.mul(w1).add(y.mul(v1)).lanewise(VectorOperators.XOR, SIGN).reinterpretShape(I, 0);
            s31 = u.add(s31);
            h31 = u.lanewise(VectorOperators.LSHR, 16).add(h31);
        }
        ((IntVector) EXACT.cast(s00)).intoArray(tile, tileOff);
        ((IntVector) EXACT.cast(s01)).intoArray(tile, tileOff + 4);
        ((IntVector) EXACT.cast(h00)).intoArray(high, tileOff);
        ((IntVector) EXACT.cast(h01)).intoArray(high, tileOff + 4);
        int t = tileOff + ldt;
        ((IntVector) EXACT.cast(s10)).intoArray(tile, t);
        ((IntVector) EXACT.cast(s11)).intoArray(tile, t + 4);
        ((IntVector) EXACT.cast(h10)).intoArray(high, t);
        ((IntVector) EXACT.cast(h11)).intoArray(high, t + 4);
        t += ldt;
        ((IntVector) EXACT.cast(s20)).intoArray(tile, t);
        ((IntVector) EXACT.cast(s21)).intoArray(tile, t + 4);
        ((IntVector) EXACT.cast(h20)).intoArray(high, t);
        ((IntVector) EXACT.cast(h21)).intoArray(high, t + 4);
        t += ldt;
        ((IntVector) EXACT.cast(s30)).intoArray(tile, t);
        ((IntVector) EXACT.cast(s31)).intoArray(tile, t + 4);
        ((IntVector) EXACT.cast(h30)).intoArray(high, t);
        ((IntVector) EXACT.cast(h31)).intoArray(high, t + 4);
    }
}
