package dev.vquant.arm.quantize;

import dev.vquant.engine.DType;
import dev.vquant.engine.spi.KernelArgs;
import dev.vquant.engine.spi.QuantizeKernels;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Quantize, dequantize and standalone requantize at 128 bits, bit-exact with the scalar rules of
 * {@link QuantizeKernels}:
 * <pre>
 * quantize:   q = clamp(zp + rint_half_even(x * f32(1/scale)), dtype.min, dtype.max)   (float32)
 * dequantize: x = f32(q - zp) * scale
 * requantize: q = clamp(rint_half_even(f32(acc) * multiplier) + zp, qmin, qmax)
 * </pre>
 *
 * @implNote Rounding is the add/subtract of 1.5*2^23 (exact half-to-even for {@code |v| < 2^22};
 *     larger magnitudes, infinities included, stay far outside every clamp range and saturate the
 *     same way {@code rint} would). The clamp is done in float before F2I, so F2I never saturates
 *     and adding the zero point never overflows. Eight elements per step: two int vectors narrow
 *     into one 64-bit byte store; shorter tails run the scalar rule. Per-channel data whose inner
 *     extent is 1 (channels last) vectorizes across channels with per-thread parameter scratch;
 *     otherwise each channel's contiguous run uses the per-tensor loop. Thread-safe.
 */
public final class QuantizeKernelsV128 implements QuantizeKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_128;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_128;
    private static final float MAGIC = 0x1.8p23f;

    /** Creates the kernels; per-thread buffers for per-channel calls are allocated on each thread's first such call. */
    public QuantizeKernelsV128() {
    }

    /** One thread's per-channel parameter buffers (channels-last per-channel calls). */
    private static final class Scratch {
        float[] inverseScales = new float[0];
        float[] zeroPoints = new float[0];
        int[] intZeroPoints = new int[0];

        void ensure(int n) {
            if (inverseScales.length < n) {
                inverseScales = new float[n];
                zeroPoints = new float[n];
                intZeroPoints = new int[n];
            }
        }
    }

    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    @Override
    public void quantize(float[] x, int xOff, byte[] q, int qOff, int len, float scale, int zeroPoint, DType dtype) {
        KernelArgs.checkQuantParams(scale, zeroPoint, dtype);
        KernelArgs.checkRange("quantize input", length(x, "input"), xOff, len);
        KernelArgs.checkRange("quantize output", length(q, "output"), qOff, len);
        quantizeRun(x, xOff, q, qOff, len, 1.0f / scale, zeroPoint, dtype);
    }

    @Override
    public void dequantize(byte[] q, int qOff, float[] x, int xOff, int len, float scale, int zeroPoint, DType dtype) {
        KernelArgs.checkQuantParams(scale, zeroPoint, dtype);
        KernelArgs.checkRange("dequantize input", length(q, "input"), qOff, len);
        KernelArgs.checkRange("dequantize output", length(x, "output"), xOff, len);
        dequantizeRun(q, qOff, x, xOff, len, scale, zeroPoint, dtype);
    }

    @Override
    public void quantizePerChannel(float[] x, byte[] q, int outer, int channels, int inner, float[] scales,
                                   int[] zeroPoints, DType dtype) {
        KernelArgs.checkPerChannelParams(scales, zeroPoints, channels, dtype);
        KernelArgs.checkPerChannelExtents(length(x, "input"), length(q, "output"), outer, channels, inner);
        if (inner == 1) {
            Scratch s = scratch.get();
            s.ensure(channels);
            for (int c = 0; c < channels; c++) {
                s.inverseScales[c] = 1.0f / scales[c];
                s.zeroPoints[c] = zeroPoints[c];
            }
            for (int o = 0; o < outer; o++) {
                quantizeAcrossChannels(x, q, o * channels, channels, s.inverseScales, s.zeroPoints, zeroPoints, dtype);
            }
            return;
        }
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                int base = (o * channels + c) * inner;
                quantizeRun(x, base, q, base, inner, 1.0f / scales[c], zeroPoints[c], dtype);
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each channel's contiguous run converts {@code q - zp} to double, multiplies by the double
     * scale and rounds once to float (two double lanes per 128-bit multiply).
     */
    @Override
    public void dequantizePerChannel(byte[] q, float[] x, int outer, int channels, int inner, double[] scales,
                                     int[] zeroPoints, DType dtype) {
        KernelArgs.checkPerChannelParams(scales, zeroPoints, channels, dtype);
        KernelArgs.checkPerChannelExtents(length(q, "input"), length(x, "output"), outer, channels, inner);
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                int base = (o * channels + c) * inner;
                dequantizeRunDouble(q, base, x, base, inner, scales[c], zeroPoints[c], dtype);
            }
        }
    }

    @Override
    public void requantize(int[] acc, int accOff, byte[] q, int qOff, int len, float multiplier, int zeroPoint, int qmin,
                           int qmax) {
        if (!(multiplier > 0) || !Float.isFinite(multiplier)) {
            throw new IllegalArgumentException("requantization multiplier must be finite and > 0, got " + multiplier);
        }
        if (qmin < 0 || qmax > 255 || qmin > qmax) {
            throw new IllegalArgumentException("output range [" + qmin + ", " + qmax + "] is not a quint8 range");
        }
        if (zeroPoint < 0 || zeroPoint > 255) {
            throw new IllegalArgumentException("output zero point " + zeroPoint + " is outside quint8 [0, 255]");
        }
        if (acc == null) {
            throw new IllegalArgumentException("input array must not be null");
        }
        KernelArgs.checkRange("requantize input", acc.length, accOff, len);
        KernelArgs.checkRange("requantize output", length(q, "output"), qOff, len);
        float loF = qmin - zeroPoint;
        float hiF = qmax - zeroPoint;
        int i = 0;
        for (; i <= len - 8; i += 8) {
            FloatVector v0 = ((FloatVector) IntVector.fromArray(I, acc, accOff + i).convertShape(VectorOperators.I2F, F, 0))
                    .mul(multiplier).add(MAGIC).sub(MAGIC).max(loF).min(hiF);
            FloatVector v1 = ((FloatVector) IntVector.fromArray(I, acc, accOff + i + 4).convertShape(VectorOperators.I2F, F, 0))
                    .mul(multiplier).add(MAGIC).sub(MAGIC).max(loF).min(hiF);
            IntVector q0 = ((IntVector) v0.convertShape(VectorOperators.F2I, I, 0)).add(zeroPoint);
            IntVector q1 = ((IntVector) v1.convertShape(VectorOperators.F2I, I, 0)).add(zeroPoint);
            ((ByteVector) q0.convertShape(VectorOperators.I2B, B, 0)).or((ByteVector) q1.convertShape(VectorOperators.I2B, B, -1))
                    .intoArray(q, qOff + i);
        }
        for (; i < len; i++) {
            float r = Math.min(Math.max((float) Math.rint((float) acc[accOff + i] * multiplier), loF), hiF);
            q[qOff + i] = (byte) ((int) r + zeroPoint);
        }
    }

    private static void quantizeRun(float[] x, int xOff, byte[] q, int qOff, int len, float inverseScale, int zeroPoint,
                                    DType dtype) {
        float zp = zeroPoint;
        float lo = dtype.min();
        float hi = dtype.max();
        int i = 0;
        // flat loop, no helpers taking vectors (C2 compiles those apart and loses the intrinsics)
        for (; i <= len - 8; i += 8) {
            FloatVector v0 = FloatVector.fromArray(F, x, xOff + i).mul(inverseScale).add(MAGIC).sub(MAGIC).add(zp).max(lo).min(hi);
            FloatVector v1 = FloatVector.fromArray(F, x, xOff + i + 4).mul(inverseScale).add(MAGIC).sub(MAGIC).add(zp).max(lo).min(hi);
            ((ByteVector) v0.convertShape(VectorOperators.F2I, I, 0).convertShape(VectorOperators.I2B, B, 0))
                    .or((ByteVector) v1.convertShape(VectorOperators.F2I, I, 0).convertShape(VectorOperators.I2B, B, -1))
                    .intoArray(q, qOff + i);
        }
        for (; i < len; i++) {
            q[qOff + i] = (byte) quantizeOne(x[xOff + i], inverseScale, zeroPoint, dtype.min(), dtype.max());
        }
    }

    private static void quantizeAcrossChannels(float[] x, byte[] q, int off, int channels, float[] inverseScales,
                                               float[] zeroPoints, int[] intZeroPoints, DType dtype) {
        float lo = dtype.min();
        float hi = dtype.max();
        int c = 0;
        for (; c <= channels - 8; c += 8) {
            FloatVector v0 = FloatVector.fromArray(F, x, off + c).mul(FloatVector.fromArray(F, inverseScales, c))
                    .add(MAGIC).sub(MAGIC).add(FloatVector.fromArray(F, zeroPoints, c)).max(lo).min(hi);
            FloatVector v1 = FloatVector.fromArray(F, x, off + c + 4).mul(FloatVector.fromArray(F, inverseScales, c + 4))
                    .add(MAGIC).sub(MAGIC).add(FloatVector.fromArray(F, zeroPoints, c + 4)).max(lo).min(hi);
            ((ByteVector) v0.convertShape(VectorOperators.F2I, I, 0).convertShape(VectorOperators.I2B, B, 0))
                    .or((ByteVector) v1.convertShape(VectorOperators.F2I, I, 0).convertShape(VectorOperators.I2B, B, -1))
                    .intoArray(q, off + c);
        }
        for (; c < channels; c++) {
            q[off + c] = (byte) quantizeOne(x[off + c], inverseScales[c], intZeroPoints[c], dtype.min(), dtype.max());
        }
    }

    private static void dequantizeRun(byte[] q, int qOff, float[] x, int xOff, int len, float scale, int zeroPoint,
                                      DType dtype) {
        VectorOperators.Conversion<Byte, Integer> widen = dtype == DType.QUINT8
                ? VectorOperators.ZERO_EXTEND_B2I : VectorOperators.B2I;
        FloatVector s = FloatVector.broadcast(F, scale);
        IntVector zp = IntVector.broadcast(I, zeroPoint);
        int i = 0;
        for (; i <= len - 8; i += 8) {
            ByteVector b = ByteVector.fromArray(B, q, qOff + i);
            ((FloatVector) ((IntVector) b.convertShape(widen, I, 0)).sub(zp).convertShape(VectorOperators.I2F, F, 0)).mul(s)
                    .intoArray(x, xOff + i);
            ((FloatVector) ((IntVector) b.convertShape(widen, I, 1)).sub(zp).convertShape(VectorOperators.I2F, F, 0)).mul(s)
                    .intoArray(x, xOff + i + 4);
        }
        for (; i < len; i++) {
            x[xOff + i] = (float) (dtype.load(q, qOff + i) - zeroPoint) * scale;
        }
    }

    /** {@code x = f32((double) (q - zp) * scale)}: four ints, two double products, one float store. */
    private static void dequantizeRunDouble(byte[] q, int qOff, float[] x, int xOff, int len, double scale, int zeroPoint,
                                            DType dtype) {
        VectorOperators.Conversion<Byte, Integer> widen = dtype == DType.QUINT8
                ? VectorOperators.ZERO_EXTEND_B2I : VectorOperators.B2I;
        int i = 0;
        // four lanes per step: ints widened to two double vectors, multiplied, narrowed to float
        for (; i <= len - 8; i += 4) {
            IntVector v = ((IntVector) ByteVector.fromArray(B, q, qOff + i).convertShape(widen, I, 0)).sub(zeroPoint);
            DoubleVector d0 = ((DoubleVector) v.convertShape(VectorOperators.I2D, D, 0)).mul(scale);
            DoubleVector d1 = ((DoubleVector) v.convertShape(VectorOperators.I2D, D, 1)).mul(scale);
            IntVector f0 = (IntVector) d0.convertShape(VectorOperators.D2F, F, 0).reinterpretShape(I, 0);
            IntVector f1 = (IntVector) d1.convertShape(VectorOperators.D2F, F, -1).reinterpretShape(I, 0);
            ((FloatVector) f0.or(f1).reinterpretShape(F, 0)).intoArray(x, xOff + i);
        }
        for (; i < len; i++) {
            x[xOff + i] = (float) ((double) (dtype.load(q, qOff + i) - zeroPoint) * scale);
        }
    }

    /** The scalar rule, for tails. */
    private static int quantizeOne(float x, float inverseScale, int zeroPoint, int min, int max) {
        float shifted = zeroPoint + (float) Math.rint(x * inverseScale);
        return (int) Math.min(Math.max(shifted, (float) min), (float) max);
    }


    private static int length(byte[] a, String what) {
        if (a == null) {
            throw new IllegalArgumentException(what + " array must not be null");
        }
        return a.length;
    }

    private static int length(float[] a, String what) {
        if (a == null) {
            throw new IllegalArgumentException(what + " array must not be null");
        }
        return a.length;
    }
}
