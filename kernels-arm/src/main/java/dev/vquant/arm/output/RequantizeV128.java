package dev.vquant.arm.output;

import dev.vquant.engine.spi.Requantization;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 requantization to quint8 at 128 bits, for {@link Requantization.Mode#INT_BIAS}
 * (qnnpack, the default of this engine) and {@link Requantization.Mode#FLOAT_BIAS} (fbgemm):
 * <pre>
 * INT_BIAS:   v = f32(acc + intBias[j]) * multiplier[j]
 * FLOAT_BIAS: v = f32(f32(acc) + biasOverScale[j]) * multiplier[j]
 * out = clamp(rint_half_even(v) + zeroPoint, qmin, qmax)
 * </pre>
 * bit-exact with {@link Requantization#apply}.
 *
 * @implNote I2F, multiply, clamp in float to {@code [qmin-zp, qmax-zp]}, then round half to even
 *     by adding 1.5*2^23: for {@code |v| <= 2^22} the float sum's low mantissa bits are
 *     {@code rint(v)} (the addition rounds half to even), so its bit pattern minus that of
 *     1.5*2^23 is {@code rint(v)}, and subtracting {@code bits(1.5*2^23) - zp} instead adds the
 *     zero point in the same instruction. Clamping first is exact because the bounds are integers
 *     ({@code rint(clamp(v)) == clamp(rint(v))}) and keeps {@code |v| <= 255}, inside the trick's
 *     range; it also makes F2I and its saturation unnecessary. Eight results per step so that two
 *     int vectors narrow into one 64-bit byte store; the tail (fewer than 8) runs the scalar rule.
 */
public final class RequantizeV128 extends RowOutput {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_128;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;
    private static final float MAGIC = 0x1.8p23f;
    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);

    /** Creates an unbound stage; {@link #bind} it before each call. */
    public RequantizeV128() {
    }

    private Requantization rq;
    private byte[] out;
    private boolean intBias;

    /**
     * Binds the stage to one call; {@code rq} must be INT_BIAS or FLOAT_BIAS.
     *
     * @param rq  the call's requantization
     * @param out the quint8 output
     * @return this stage, ready for {@link #row}
     * @throws IllegalArgumentException when {@code rq} is FIXED_POINT
     */
    public RequantizeV128 bind(Requantization rq, byte[] out) {
        if (rq.mode() == Requantization.Mode.FIXED_POINT) {
            throw new IllegalArgumentException("RequantizeV128 handles the float modes, not " + rq.mode());
        }
        this.rq = rq;
        this.out = out;
        this.intBias = rq.mode() == Requantization.Mode.INT_BIAS;
        return this;
    }

    @Override
    public void row(int[] acc, int accOff, int j0, int len, int outOff) {
        int t = intBias ? intBiasBody(acc, accOff, j0, len, outOff) : floatBiasBody(acc, accOff, j0, len, outOff);
        // tail: the scalar definition itself
        for (; t < len; t++) {
            out[outOff + t] = (byte) rq.apply(acc[accOff + t], j0 + t);
        }
    }

    private int intBiasBody(int[] acc, int accOff, int j0, int len, int outOff) {
        float[] mult = rq.multiplier();
        int[] bias = rq.intBias();
        int zp = rq.outZeroPoint();
        float lo = rq.qmin() - zp;
        float hi = rq.qmax() - zp;
        int magicMinusZp = MAGIC_BITS - zp;
        byte[] o = out;
        int t = 0;
        // one flat loop, no helper taking vectors: a helper compiled on its own lost the exact
        // vector type and fell back to the non-intrinsic path (measured 10x slower)
        for (; t <= len - 8; t += 8) {
            int j = j0 + t;
            FloatVector v0 = ((FloatVector) IntVector.fromArray(I, acc, accOff + t).add(IntVector.fromArray(I, bias, j))
                    .convertShape(VectorOperators.I2F, F, 0)).mul(FloatVector.fromArray(F, mult, j));
            FloatVector v1 = ((FloatVector) IntVector.fromArray(I, acc, accOff + t + 4).add(IntVector.fromArray(I, bias, j + 4))
                    .convertShape(VectorOperators.I2F, F, 0)).mul(FloatVector.fromArray(F, mult, j + 4));
            IntVector q0 = ((IntVector) v0.max(lo).min(hi).add(MAGIC).reinterpretShape(I, 0)).sub(magicMinusZp);
            IntVector q1 = ((IntVector) v1.max(lo).min(hi).add(MAGIC).reinterpretShape(I, 0)).sub(magicMinusZp);
            ((ByteVector) q0.convertShape(VectorOperators.I2B, B, 0)).or((ByteVector) q1.convertShape(VectorOperators.I2B, B, -1))
                    .intoArray(o, outOff + t);
        }
        return t;
    }

    private int floatBiasBody(int[] acc, int accOff, int j0, int len, int outOff) {
        float[] mult = rq.multiplier();
        float[] bias = rq.biasOverScale();
        int zp = rq.outZeroPoint();
        float lo = rq.qmin() - zp;
        float hi = rq.qmax() - zp;
        int magicMinusZp = MAGIC_BITS - zp;
        byte[] o = out;
        int t = 0;
        for (; t <= len - 8; t += 8) {
            int j = j0 + t;
            FloatVector v0 = ((FloatVector) IntVector.fromArray(I, acc, accOff + t).convertShape(VectorOperators.I2F, F, 0))
                    .add(FloatVector.fromArray(F, bias, j)).mul(FloatVector.fromArray(F, mult, j));
            FloatVector v1 = ((FloatVector) IntVector.fromArray(I, acc, accOff + t + 4).convertShape(VectorOperators.I2F, F, 0))
                    .add(FloatVector.fromArray(F, bias, j + 4)).mul(FloatVector.fromArray(F, mult, j + 4));
            IntVector q0 = ((IntVector) v0.max(lo).min(hi).add(MAGIC).reinterpretShape(I, 0)).sub(magicMinusZp);
            IntVector q1 = ((IntVector) v1.max(lo).min(hi).add(MAGIC).reinterpretShape(I, 0)).sub(magicMinusZp);
            ((ByteVector) q0.convertShape(VectorOperators.I2B, B, 0)).or((ByteVector) q1.convertShape(VectorOperators.I2B, B, -1))
                    .intoArray(o, outOff + t);
        }
        return t;
    }
}
