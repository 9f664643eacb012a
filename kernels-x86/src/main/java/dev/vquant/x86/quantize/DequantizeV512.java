package dev.vquant.x86.quantize;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * 8-bit -> float32 dequantization, 512-bit. Per tensor {@code x = f32(q - zp) * scale} (16 per
 * step); per channel {@code x = (float) ((double) (q - zp[c]) * scale[c])} in double as PyTorch
 * does (8 per step). {@code unsigned} selects quint8 (zero extension) over qint8 (sign extension).
 */
final class DequantizeV512 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_512;
    private static final VectorSpecies<Integer> DI = IntVector.SPECIES_256;
    private static final VectorSpecies<Float> DF = FloatVector.SPECIES_256;
    private static final VectorSpecies<Byte> DB = ByteVector.SPECIES_64;

    private DequantizeV512() {
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
        int bound = DB.loopBound(len);
        for (; i < bound; i += DB.length()) {
            IntVector v = (IntVector) ByteVector.fromArray(DB, q, off + i).convertShape(VectorOperators.B2I, DI, 0);
            v.and(mask).sub(zeroPoint).convertShape(VectorOperators.I2D, D, 0).reinterpretAsDoubles().mul(vScale)
                    .convertShape(VectorOperators.D2F, DF, 0).reinterpretAsFloats().intoArray(x, off + i);
        }
        for (; i < len; i++) {
            x[off + i] = (float) ((double) ((q[off + i] & mask) - zeroPoint) * scale);
        }
    }

    /** Channels innermost ({@code inner == 1}), vectorized over channels, double multiply. */
    static void dequantizeChannelsLast(byte[] q, float[] x, int outer, int channels, double[] scales,
                                       int[] zeroPoints, boolean unsigned) {
        int mask = unsigned ? 0xFF : -1;
        int bound = DB.loopBound(channels);
        for (int c = 0; c < bound; c += DB.length()) {
            DoubleVector vScale = DoubleVector.fromArray(D, scales, c);
            IntVector vZp = IntVector.fromArray(DI, zeroPoints, c);
            for (int o = 0; o < outer; o++) {
                int base = o * channels + c;
                IntVector v = (IntVector) ByteVector.fromArray(DB, q, base).convertShape(VectorOperators.B2I, DI, 0);
                v.and(mask).sub(vZp).convertShape(VectorOperators.I2D, D, 0).reinterpretAsDoubles().mul(vScale)
                        .convertShape(VectorOperators.D2F, DF, 0).reinterpretAsFloats().intoArray(x, base);
            }
        }
        for (int c = bound; c < channels; c++) {
            for (int o = 0; o < outer; o++) {
                int i = o * channels + c;
                x[i] = (float) ((double) ((q[i] & mask) - zeroPoints[c]) * scales[c]);
            }
        }
    }
}
