package dev.vquant.arm.output;

import dev.vquant.engine.spi.Requantization;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Integer-only requantization ({@link Requantization.Mode#FIXED_POINT}, gemmlowp's arithmetic) at
 * 128 bits, bit-exact with {@link Requantization#apply}:
 * <pre>
 * a = acc + intBias[j]                      (int32, wraps)
 * h = SaturatingRoundingDoublingHighMul(a, q[j]) = floor((a * q[j] + 2^30) / 2^31)
 * r = RoundingDivideByPOT(h, shift[j])      (ties away from zero)
 * out = clamp(r + zeroPoint, qmin, qmax)
 * </pre>
 *
 * @implNote The Q31 multipliers {@link Requantization#fixedPoint} builds lie in
 *     {@code [2^30, 2^31)}, so the one saturating case of the high multiply ({@code a == b ==
 *     MIN_VALUE}) cannot occur, and gemmlowp's sign-dependent nudge followed by truncating
 *     division equals the single floor expression above (for {@code ab < 0},
 *     {@code trunc((ab + 1 - 2^30) / 2^31) == floor((ab + 2^30) / 2^31)}), which is an add and an
 *     arithmetic shift on 64-bit lanes. The 64-bit products use two {@code LongVector}s per four
 *     lanes; NEON has no 64-bit lane multiply, so on aarch64 C2 may lower it less well than on
 *     AVX-512 (vpmullq): this mode is the integer-only option, not the default.
 */
public final class RequantizeFixedPointV128 extends RowOutput {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_128;
    private static final VectorSpecies<Long> L = LongVector.SPECIES_128;

    /** Creates an unbound stage; {@link #bind} it before each call. */
    public RequantizeFixedPointV128() {
    }

    private Requantization rq;
    private byte[] out;
    /** This thread's row of int results before narrowing (grows as needed). */
    private int[] results = new int[0];

    /**
     * Binds the stage to one call; {@code rq} must be FIXED_POINT.
     *
     * @param rq  the call's requantization
     * @param out the quint8 output
     * @return this stage, ready for {@link #row}
     * @throws IllegalArgumentException when {@code rq} is not FIXED_POINT
     */
    public RequantizeFixedPointV128 bind(Requantization rq, byte[] out) {
        if (rq.mode() != Requantization.Mode.FIXED_POINT) {
            throw new IllegalArgumentException("RequantizeFixedPointV128 handles FIXED_POINT, not " + rq.mode());
        }
        this.rq = rq;
        this.out = out;
        return this;
    }

    @Override
    public void row(int[] acc, int accOff, int j0, int len, int outOff) {
        int[] bias = rq.intBias();
        int[] mult = rq.fixedMultiplier();
        int[] shift = rq.rightShift();
        int zp = rq.outZeroPoint();
        int lo = rq.qmin() - zp;
        int hi = rq.qmax() - zp;
        if (results.length < len) {
            results = new int[len];
        }
        int[] r = results;
        IntVector one = IntVector.broadcast(I, 1);
        int t = 0;
        // 4 lanes per step into the int row; one flat loop (no helper taking vectors, which C2
        // may compile apart from the loop and then without intrinsics)
        for (; t <= len - 4; t += 4) {
            int j = j0 + t;
            IntVector a = IntVector.fromArray(I, acc, accOff + t).add(IntVector.fromArray(I, bias, j));
            IntVector q = IntVector.fromArray(I, mult, j);
            LongVector p0 = ((LongVector) a.convertShape(VectorOperators.I2L, L, 0))
                    .mul((LongVector) q.convertShape(VectorOperators.I2L, L, 0)).add(1L << 30).lanewise(VectorOperators.ASHR, 31);
            LongVector p1 = ((LongVector) a.convertShape(VectorOperators.I2L, L, 1))
                    .mul((LongVector) q.convertShape(VectorOperators.I2L, L, 1)).add(1L << 30).lanewise(VectorOperators.ASHR, 31);
            IntVector h = ((IntVector) p0.convertShape(VectorOperators.L2I, I, 0))
                    .or((IntVector) p1.convertShape(VectorOperators.L2I, I, -1));
            // RoundingDivideByPOT: add one where the remainder exceeds half (ties away from zero)
            IntVector sh = IntVector.fromArray(I, shift, j);
            IntVector mask = one.lanewise(VectorOperators.LSHL, sh).sub(1);
            IntVector threshold = mask.lanewise(VectorOperators.ASHR, 1).add(h.lanewise(VectorOperators.LSHR, 31));
            IntVector v = h.lanewise(VectorOperators.ASHR, sh).add(one, h.and(mask).compare(VectorOperators.GT, threshold));
            v.max(lo).min(hi).add(zp).intoArray(r, t);
        }
        for (; t < len; t++) {
            r[t] = rq.apply(acc[accOff + t], j0 + t);
        }
        NarrowV128.toBytes(r, 0, out, outOff, len);
    }
}
