package dev.vquant.x86.quantize;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 -> 8-bit quantization, 8 floats per step (256-bit):
 * {@code q = clamp(zp + rint_half_even(x * inverseScale), qmin, qmax)} in float32.
 *
 * @implNote Multiply, clamp to {@code [qmin - zp, qmax - zp]} while still a float (so +-inf and
 * huge values saturate; clamping before rounding equals rounding before clamping because the
 * bounds are integers), then add 1.5 * 2^23: for |y| <= 510 the sum lies in [2^23, 2^24) where
 * the float spacing is 1, so the addition rounds half to even and the sum's bit pattern is
 * {@code 0x4B400000 + rint(y)}; subtracting {@code 0x4B400000 - zp} from the bits gives the
 * quantized value without a float-to-int conversion, and I2B truncates it to the byte. The
 * clamp is compare-and-blend rather than {@code max/min}, whose Java NaN and -0.0 rules cost a
 * multi-instruction sequence each; a NaN input passes the compares and ends as an arbitrary byte,
 * in range for both dtypes (the SPI allows any in-range value).
 */
final class QuantizeV256 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;
    private static final float ROUND = ScalarRounding.ROUND;

    private QuantizeV256() {
    }

    /** Per tensor: {@code q[qOff+i]} for {@code i < len}. */
    static void quantize(float[] x, int xOff, byte[] q, int qOff, int len, float inverseScale, int zeroPoint,
                         int qmin, int qmax) {
        float lo = qmin - zeroPoint;
        float hi = qmax - zeroPoint;
        float zp = zeroPoint;
        FloatVector vInv = FloatVector.broadcast(F, inverseScale);
        FloatVector vLo = FloatVector.broadcast(F, lo);
        FloatVector vHi = FloatVector.broadcast(F, hi);
        int bits = ScalarRounding.ROUND_BITS - zeroPoint;
        int i = 0;
        int bound = F.loopBound(len);
        // main loop: one vector per step
        for (; i < bound; i += F.length()) {
            FloatVector y = FloatVector.fromArray(F, x, xOff + i).mul(vInv);
            y = y.blend(vLo, y.lt(vLo)).blend(vHi, y.compare(VectorOperators.GT, vHi));
            y.add(ROUND).reinterpretAsInts().sub(bits).convertShape(VectorOperators.I2B, B, 0).reinterpretAsBytes()
                    .intoArray(q, qOff + i);
        }
        // tail: the same float32 operations one element at a time
        for (; i < len; i++) {
            q[qOff + i] = (byte) ScalarRounding.clampRound(x[xOff + i] * inverseScale, lo, hi, zp);
        }
    }

    /**
     * Channels innermost ({@code inner == 1}): {@code x[o][c]} with scale and zero point of channel
     * {@code c}, vectorized over channels.
     */
    static void quantizeChannelsLast(float[] x, byte[] q, int outer, int channels, float[] scales, int[] zeroPoints,
                                     int qmin, int qmax) {
        int bound = F.loopBound(channels);
        FloatVector one = FloatVector.broadcast(F, 1.0f);
        for (int c = 0; c < bound; c += F.length()) {
            FloatVector vInv = one.div(FloatVector.fromArray(F, scales, c));
            IntVector vZp = IntVector.fromArray(I, zeroPoints, c);
            FloatVector vLo = ((FloatVector) vZp.convertShape(VectorOperators.I2F, F, 0)).neg().add(qmin);
            FloatVector vHi = vLo.add(qmax - qmin);
            IntVector bits = vZp.neg().add(ScalarRounding.ROUND_BITS);
            for (int o = 0; o < outer; o++) {
                int base = o * channels + c;
                FloatVector y = FloatVector.fromArray(F, x, base).mul(vInv);
                y = y.blend(vLo, y.lt(vLo)).blend(vHi, y.compare(VectorOperators.GT, vHi));
                y.add(ROUND).reinterpretAsInts().sub(bits).convertShape(VectorOperators.I2B, B, 0).reinterpretAsBytes()
                        .intoArray(q, base);
            }
        }
        // channel tail
        for (int c = bound; c < channels; c++) {
            float inv = 1.0f / scales[c];
            float lo = qmin - zeroPoints[c];
            float hi = qmax - zeroPoints[c];
            float zp = zeroPoints[c];
            for (int o = 0; o < outer; o++) {
                q[o * channels + c] = (byte) ScalarRounding.clampRound(x[o * channels + c] * inv, lo, hi, zp);
            }
        }
    }
}
