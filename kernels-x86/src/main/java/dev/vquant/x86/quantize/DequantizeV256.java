package dev.vquant.x86.quantize;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * 8-bit -> float32 dequantization, 256-bit. Per tensor {@code x = f32(q - zp) * scale} (8 per
 * step); per channel {@code x = (float) ((double) (q - zp[c]) * scale[c])} in double as PyTorch
 * does (8 per step as two halves of 4 doubles). {@code unsigned} selects quint8 (zero extension)
 * over qint8 (sign extension).
 */
final class DequantizeV256 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> DF = FloatVector.SPECIES_128;

    private DequantizeV256() {
    }

    /** Per tensor, float32 multiply. */
    static void dequantize(byte[] q, int qOff, float[] x, int xOff, int len, float scale, int zeroPoint,
                           boolean unsigned) {
        int mask = unsigned ? 0xFF : -1;
        FloatVector vScale = FloatVector.broadcast(F, scale);
        int i = 0;
        int bound = B.loopBound(len);
        for (; i < bound; i += B.length()) {
            IntVector v = (IntVector) ByteVector.fromArray(B, q, qOff + i).convertShape(VectorOperators.B2I, I, 0);
            v.and(mask).sub(zeroPoint).convertShape(VectorOperators.I2F, F, 0).reinterpretAsFloats().mul(vScale)
                    .intoArray(x, xOff + i);
        }
        for (; i < len; i++) {
            x[xOff + i] = (float) ((q[qOff + i] & mask) - zeroPoint) * scale;
        }
    }

    /** Per channel along a contiguous run of {@code len} elements of one channel, double multiply. */
    static void dequantizeRun(byte[] q, int off, float[] x, int len, double scale, int zeroPoint, boolean unsigned) {
        int mask = unsigned ? 0xFF : -1;
        DoubleVector vScale = DoubleVector.broadcast(D, scale);
        int i = 0;
        int bound = B.loopBound(len);
        for (; i < bound; i += B.length()) {
            IntVector v = ((IntVector) ByteVector.fromArray(B, q, off + i).convertShape(VectorOperators.B2I, I, 0))
                    .and(mask).sub(zeroPoint);
            toFloat(v, 0, vScale).intoArray(x, off + i);
            toFloat(v, 1, vScale).intoArray(x, off + i + D.length());
        }
        for (; i < len; i++) {
            x[off + i] = (float) ((double) ((q[off + i] & mask) - zeroPoint) * scale);
        }
    }

    /** Channels innermost ({@code inner == 1}), vectorized over channels, double multiply. */
    static void dequantizeChannelsLast(byte[] q, float[] x, int outer, int channels, double[] scales,
                                       int[] zeroPoints, boolean unsigned) {
        int mask = unsigned ? 0xFF : -1;
        int bound = B.loopBound(channels);
        for (int c = 0; c < bound; c += B.length()) {
            DoubleVector vScale0 = DoubleVector.fromArray(D, scales, c);
            DoubleVector vScale1 = DoubleVector.fromArray(D, scales, c + D.length());
            IntVector vZp = IntVector.fromArray(I, zeroPoints, c);
            for (int o = 0; o < outer; o++) {
                int base = o * channels + c;
                IntVector v = ((IntVector) ByteVector.fromArray(B, q, base).convertShape(VectorOperators.B2I, I, 0))
                        .and(mask).sub(vZp);
                toFloat(v, 0, vScale0).intoArray(x, base);
                toFloat(v, 1, vScale1).intoArray(x, base + D.length());
            }
        }
        for (int c = bound; c < channels; c++) {
            for (int o = 0; o < outer; o++) {
                int i = o * channels + c;
                x[i] = (float) ((double) ((q[i] & mask) - zeroPoints[c]) * scales[c]);
            }
        }
    }

    /** Half {@code part} of eight ints, times the scales in double, rounded once to float. */
    private static FloatVector toFloat(IntVector v, int part, DoubleVector scale) {
        return (FloatVector) ((DoubleVector) v.convertShape(VectorOperators.I2D, D, part)).mul(scale)
                .convertShape(VectorOperators.D2F, DF, 0);
    }
}
