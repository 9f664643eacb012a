package dev.vquant.x86.dwconv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Epilogues of the 256-bit int8 depthwise kernels: turn the {@code lo, hi} accumulators of a run
 * of outputs and one 16-channel block (even channels {@code lo - (hi << 16)}, odd channels
 * {@code hi}, see {@link DwConvPairsV256}) into int32 outputs or requantized quint8.
 *
 * <p>Requantization parameters arrive permuted per block (even channels, then odd), so every
 * vector lines up with the accumulators: {@code prm[p, p+BLOCK)} the multipliers (even channels
 * in the first half, odd in the second), {@code prm[p+BLOCK, p+2*BLOCK)} the float biases
 * (FLOAT_BIAS); {@code ints[q, q+BLOCK)} the int biases (INT_BIAS), same order. The float chain is
 * {@link dev.vquant.engine.spi.Requantization#apply}'s: {@code v} in float32, clamped to
 * {@code [qmin - zOut, qmax - zOut]} by compare and blend, then 1.5 * 2^23 added (rounding half
 * to even; the sum's bit pattern is {@code 0x4B400000 + rint(v)}) and {@code 0x4B400000 - zOut}
 * subtracted from the bits: the quantized value without a float-to-int conversion. When the
 * caller knows {@code |v| < 2^21} for every accumulator the call can produce ({@code small}), the
 * clamp happens on the ints instead.
 */
final class DwRequantizeV256 {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Long> L = LongVector.SPECIES_256;
    private static final VectorSpecies<Short> HS = ShortVector.SPECIES_128;
    /** Channels per block. */
    static final int BLOCK = 16;
    private static final int HALF = BLOCK / 2;
    private static final float ROUND = 0x1.8p23f;
    private static final int ROUND_BITS = 0x4B400000;

    private DwRequantizeV256() {
    }

    /** int32 outputs in channel order: {@code out[outOff + i*outPix + j]} for {@code j < 16}. */
    static void int32(int[] acc, int n, int[] out, int outOff, int outPix) {
        for (int i = 0; i < n; i++) {
            IntVector hi = IntVector.fromArray(I, acc, i * BLOCK + HALF);
            IntVector even = IntVector.fromArray(I, acc, i * BLOCK).sub(hi.lanewise(VectorOperators.LSHL, 16));
            // interleave: one long lane = even (low int) | odd (high int), i.e. two channels in order
            for (int part = 0; part < 2; part++) {
                LongVector e = (LongVector) even.convertShape(VectorOperators.I2L, L, part);
                LongVector o = (LongVector) hi.convertShape(VectorOperators.I2L, L, part);
                e.and(0xFFFFFFFFL).or(o.lanewise(VectorOperators.LSHL, 32)).reinterpretAsInts()
                        .intoArray(out, outOff + i * outPix + part * HALF);
            }
        }
    }

    /** FLOAT_BIAS: {@code v = (f32(acc) + biasOverScale) * multiplier}. */
    static void floatBias(int[] acc, int n, float[] prm, int p, float lo, float hi, int zOut, boolean small,
                          byte[] out, int outOff, int outPix) {
        FloatVector multE = FloatVector.fromArray(F, prm, p);
        FloatVector multO = FloatVector.fromArray(F, prm, p + HALF);
        FloatVector biasE = FloatVector.fromArray(F, prm, p + BLOCK);
        FloatVector biasO = FloatVector.fromArray(F, prm, p + BLOCK + HALF);
        FloatVector vLo = FloatVector.broadcast(F, lo);
        FloatVector vHi = FloatVector.broadcast(F, hi);
        int bits = ROUND_BITS - zOut;
        IntVector qLo = IntVector.broadcast(I, (int) lo + zOut);
        IntVector qHi = IntVector.broadcast(I, (int) hi + zOut);
        for (int i = 0; i < n; i++) {
            IntVector odd = IntVector.fromArray(I, acc, i * BLOCK + HALF);
            IntVector even = IntVector.fromArray(I, acc, i * BLOCK).sub(odd.lanewise(VectorOperators.LSHL, 16));
            FloatVector ve = toFloat(even).add(biasE).mul(multE);
            FloatVector vo = toFloat(odd).add(biasO).mul(multO);
            IntVector qe = small ? roundSmall(ve, qLo, qHi, bits) : round(ve, vLo, vHi, bits);
            IntVector qo = small ? roundSmall(vo, qLo, qHi, bits) : round(vo, vLo, vHi, bits);
            store(qe, qo, out, outOff + i * outPix);
        }
    }

    /** INT_BIAS: {@code v = f32(acc + intBias) * multiplier}. */
    static void intBias(int[] acc, int n, float[] prm, int p, int[] ints, int q, float lo, float hi, int zOut,
                        boolean small, byte[] out, int outOff, int outPix) {
        FloatVector multE = FloatVector.fromArray(F, prm, p);
        FloatVector multO = FloatVector.fromArray(F, prm, p + HALF);
        IntVector biasE = IntVector.fromArray(I, ints, q);
        IntVector biasO = IntVector.fromArray(I, ints, q + HALF);
        FloatVector vLo = FloatVector.broadcast(F, lo);
        FloatVector vHi = FloatVector.broadcast(F, hi);
        int bits = ROUND_BITS - zOut;
        IntVector qLo = IntVector.broadcast(I, (int) lo + zOut);
        IntVector qHi = IntVector.broadcast(I, (int) hi + zOut);
        for (int i = 0; i < n; i++) {
            IntVector odd = IntVector.fromArray(I, acc, i * BLOCK + HALF);
            IntVector even = IntVector.fromArray(I, acc, i * BLOCK).sub(odd.lanewise(VectorOperators.LSHL, 16));
            FloatVector ve = toFloat(even.add(biasE)).mul(multE);
            FloatVector vo = toFloat(odd.add(biasO)).mul(multO);
            IntVector qe = small ? roundSmall(ve, qLo, qHi, bits) : round(ve, vLo, vHi, bits);
            IntVector qo = small ? roundSmall(vo, qLo, qHi, bits) : round(vo, vLo, vHi, bits);
            store(qe, qo, out, outOff + i * outPix);
        }
    }

    /**
     * FIXED_POINT: {@code v = roundingRightShift(saturatingRoundingDoublingHighMul(acc + intBias, m), shift)},
     * then {@code clamp(v + zOut, qmin, qmax)}; {@code ints[q ..]} holds the int biases,
     * {@code ints[qm ..]} the Q31 multipliers and {@code ints[qs ..]} the shifts, each block-permuted.
     *
     * @implNote The 64-bit product runs on long lanes (two halves of a block's ints); the nudged
     * quotient by 2^31 truncates toward zero as Java's long division does; the rounding shift
     * adds {@code (threshold - remainder) >>> 31}, i.e. 1 exactly when remainder > threshold. The
     * multipliers are in [2^30, 2^31), so the saturating case (both operands MIN_VALUE) cannot
     * occur. The clamp happens before adding {@code zOut}, so it cannot overflow.
     */
    static void fixedPoint(int[] acc, int n, int[] ints, int q, int qm, int qs, int qmin, int qmax, int zOut,
                           byte[] out, int outOff, int outPix) {
        IntVector biasE = IntVector.fromArray(I, ints, q);
        IntVector biasO = IntVector.fromArray(I, ints, q + HALF);
        IntVector multE = IntVector.fromArray(I, ints, qm);
        IntVector multO = IntVector.fromArray(I, ints, qm + HALF);
        LongVector multE0 = (LongVector) multE.convertShape(VectorOperators.I2L, L, 0);
        LongVector multE1 = (LongVector) multE.convertShape(VectorOperators.I2L, L, 1);
        LongVector multO0 = (LongVector) multO.convertShape(VectorOperators.I2L, L, 0);
        LongVector multO1 = (LongVector) multO.convertShape(VectorOperators.I2L, L, 1);
        IntVector shiftE = IntVector.fromArray(I, ints, qs);
        IntVector shiftO = IntVector.fromArray(I, ints, qs + HALF);
        IntVector maskE = IntVector.broadcast(I, 1).lanewise(VectorOperators.LSHL, shiftE).sub(1);
        IntVector maskO = IntVector.broadcast(I, 1).lanewise(VectorOperators.LSHL, shiftO).sub(1);
        IntVector lo = IntVector.broadcast(I, qmin - zOut);
        IntVector hi = IntVector.broadcast(I, qmax - zOut);
        for (int i = 0; i < n; i++) {
            IntVector odd = IntVector.fromArray(I, acc, i * BLOCK + HALF);
            IntVector even = IntVector.fromArray(I, acc, i * BLOCK).sub(odd.lanewise(VectorOperators.LSHL, 16));
            IntVector qe = fixed(even.add(biasE), multE0, multE1, shiftE, maskE).max(lo).min(hi).add(zOut);
            IntVector qo = fixed(odd.add(biasO), multO0, multO1, shiftO, maskO).max(lo).min(hi).add(zOut);
            store(qe, qo, out, outOff + i * outPix);
        }
    }

    /** {@code roundingRightShift(saturatingRoundingDoublingHighMul(x, m), shift)} lane by lane. */
    private static IntVector fixed(IntVector x, LongVector m0, LongVector m1, IntVector shift, IntVector mask) {
        IntVector h = highMul(x, 0, m0).convertShape(VectorOperators.L2I, I, 0).reinterpretAsInts()
                .or(highMul(x, 1, m1).convertShape(VectorOperators.L2I, I, -1).reinterpretAsInts());
        IntVector remainder = h.and(mask);
        IntVector threshold = mask.lanewise(VectorOperators.LSHR, 1).sub(h.lanewise(VectorOperators.ASHR, 31));
        return h.lanewise(VectorOperators.ASHR, shift).add(threshold.sub(remainder).lanewise(VectorOperators.LSHR, 31));
    }

    /** {@code (x*m + nudge) / 2^31} (toward zero) for half {@code part} of {@code x}, as longs. */
    private static LongVector highMul(IntVector x, int part, LongVector m) {
        LongVector ab = ((LongVector) x.convertShape(VectorOperators.I2L, L, part)).mul(m);
        LongVector sign = ab.lanewise(VectorOperators.ASHR, 63);
        // nudge 2^30 when ab >= 0, 1 - 2^30 when negative
        LongVector t = ab.add(sign.and(1L - (1L << 31)).add(1L << 30));
        // division by 2^31 truncating toward zero: add 2^31 - 1 to negative dividends before the shift
        return t.add(t.lanewise(VectorOperators.ASHR, 63).and((1L << 31) - 1)).lanewise(VectorOperators.ASHR, 31);
    }

    private static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convertShape(VectorOperators.I2F, F, 0);
    }

    /** {@code rint(clamp(v, lo, hi)) + zOut} as int (0..255); {@code bits = 0x4B400000 - zOut}. */
    private static IntVector round(FloatVector v, FloatVector lo, FloatVector hi, int bits) {
        FloatVector c = v.blend(lo, v.lt(lo)).blend(hi, v.compare(VectorOperators.GT, hi));
        return c.add(ROUND).reinterpretAsInts().sub(bits);
    }

    /**
     * {@code clamp(rint(v) + zOut, qmin, qmax)} for |v| < 2^21 (the caller's guarantee): rounded in
     * float, clamped as ints, two instructions fewer than the float clamp.
     */
    private static IntVector roundSmall(FloatVector v, IntVector qLo, IntVector qHi, int bits) {
        return v.add(ROUND).reinterpretAsInts().sub(bits).max(qLo).min(qHi);
    }

    /** Bytes {@code qe[k], qo[k]} at {@code out[off + 2k], out[off + 2k + 1]}. */
    private static void store(IntVector qe, IntVector qo, byte[] out, int off) {
        qe.or(qo.lanewise(VectorOperators.LSHL, 8)).convertShape(VectorOperators.I2S, HS, 0).reinterpretAsBytes()
                .intoArray(out, off);
    }
}
