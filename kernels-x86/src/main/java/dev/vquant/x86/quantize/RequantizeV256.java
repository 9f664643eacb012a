package dev.vquant.x86.quantize;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Standalone int32 -> quint8 requantization, 8 per step (256-bit):
 * {@code q = clamp(rint_half_even(f32(acc) * multiplier) + zp, qmin, qmax)}.
 *
 * @implNote I2F, multiply, clamp to {@code [qmin - zp, qmax - zp]} in float by compare and
 * blend (this is {@code Requantization.roundAndClamp}'s result: the bounds are integers, so
 * clamping before rounding gives the same value), then the rounding and bit-pattern conversion
 * of {@link QuantizeV256} (add 1.5 * 2^23, subtract {@code 0x4B400000 - zp} from the bits),
 * truncate I2B.
 */
final class RequantizeV256 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;

    private RequantizeV256() {
    }

    static void requantize(int[] acc, int accOff, byte[] q, int qOff, int len, float multiplier, int zeroPoint,
                           int qmin, int qmax) {
        float lo = qmin - zeroPoint;
        float hi = qmax - zeroPoint;
        float zp = zeroPoint;
        FloatVector vMul = FloatVector.broadcast(F, multiplier);
        FloatVector vLo = FloatVector.broadcast(F, lo);
        FloatVector vHi = FloatVector.broadcast(F, hi);
        int bits = ScalarRounding.ROUND_BITS - zeroPoint;
        int i = 0;
        int bound = I.loopBound(len);
        for (; i < bound; i += I.length()) {
            FloatVector y = ((FloatVector) IntVector.fromArray(I, acc, accOff + i).convertShape(VectorOperators.I2F, F, 0))
                    .mul(vMul);
            y = y.blend(vLo, y.lt(vLo)).blend(vHi, y.compare(VectorOperators.GT, vHi));
            y.add(ScalarRounding.ROUND).reinterpretAsInts().sub(bits).convertShape(VectorOperators.I2B, B, 0)
                    .reinterpretAsBytes().intoArray(q, qOff + i);
        }
        for (; i < len; i++) {
            q[qOff + i] = (byte) ScalarRounding.clampRound((float) acc[accOff + i] * multiplier, lo, hi, zp);
        }
    }
}
