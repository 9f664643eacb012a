package dev.vquant.engine;

import dev.vquant.engine.spi.KernelArgs;

/**
 * Immutable quantization parameters: a dtype plus one (scale, zero point) per tensor or per
 * channel. {@code real = (q - zeroPoint) * scale}.
 *
 * <p>Scales are kept as {@code double}, as PyTorch stores them; every kernel computes with
 * {@code (float) scale}, as PyTorch's CPU kernels do.
 */
public sealed interface QParams permits QParams.PerTensor, QParams.PerChannel {

    /**
     * The quantized dtype whose range the zero points lie in.
     *
     * @return quint8, qint8 or qint32
     */
    DType dtype();

    /** {@return true for per-channel parameters} */
    boolean isPerChannel();

    /** {@return the number of (scale, zero point) pairs: 1, or the channel count} */
    int count();

    /**
     * Scale of channel {@code c} (any {@code c} for per-tensor).
     *
     * @param c channel index
     * @return the scale
     */
    double scale(int c);

    /**
     * Zero point of channel {@code c} (any {@code c} for per-tensor).
     *
     * @param c channel index
     * @return the zero point, in the dtype's range
     */
    int zeroPoint(int c);

    /** {@return the scales as float32, one per channel (length 1 for per-tensor)} A fresh array. */
    default float[] floatScales() {
        float[] s = new float[count()];
        for (int c = 0; c < s.length; c++) {
            s[c] = (float) scale(c);
        }
        return s;
    }

    /** {@return the zero points, one per channel (length 1 for per-tensor)} A fresh array. */
    default int[] zeroPoints() {
        int[] z = new int[count()];
        for (int c = 0; c < z.length; c++) {
            z[c] = zeroPoint(c);
        }
        return z;
    }

    /**
     * One scale and zero point for the whole tensor.
     *
     * @param scale     the scale
     * @param zeroPoint the zero point
     * @param dtype     the quantized dtype
     * @return the parameters
     * @throws IllegalArgumentException for a null dtype, a scale that is not finite and {@code > 0}
     *                                  as a normal float32 ({@link KernelArgs#checkScale}), or a zero
     *                                  point outside the dtype's range; the message names the value
     */
    static PerTensor perTensor(double scale, int zeroPoint, DType dtype) {
        return new PerTensor(scale, zeroPoint, dtype);
    }

    /**
     * One scale and zero point per index along {@code axis} (the arrays are copied). Whether
     * {@code axis} and the channel count fit a shape is checked where the qparams meet one
     * ({@link QTensor}).
     *
     * @param scales     one scale per channel
     * @param zeroPoints one zero point per channel
     * @param axis       the tensor dimension the channels run along
     * @param dtype      the quantized dtype
     * @return the parameters
     * @throws IllegalArgumentException for a null dtype or array, empty or unequal arrays, a
     *                                  negative axis, or any scale or zero point that
     *                                  {@link #perTensor} would reject (named by its index)
     */
    static PerChannel perChannel(double[] scales, int[] zeroPoints, int axis, DType dtype) {
        return new PerChannel(scales, zeroPoints, axis, dtype);
    }

    /**
     * One scale and zero point for the whole tensor.
     *
     * @param scale     the scale, a positive finite float32 of normal size once rounded
     * @param zeroPoint the zero point, in the dtype's range
     * @param dtype     the quantized dtype
     */
    record PerTensor(double scale, int zeroPoint, DType dtype) implements QParams {
        /**
         * Validates the parameters.
         *
         * @throws IllegalArgumentException for a null dtype, a scale that is not finite and
         *                                  positive, or a zero point outside the dtype's range
         */
        public PerTensor {
            if (dtype == null) {
                throw new IllegalArgumentException("dtype must not be null");
            }
            checkScale(scale, "scale");
            checkZeroPoint(zeroPoint, dtype, "zero_point");
        }

        @Override
        public boolean isPerChannel() {
            return false;
        }

        @Override
        public int count() {
            return 1;
        }

        @Override
        public double scale(int c) {
            return scale;
        }

        @Override
        public int zeroPoint(int c) {
            return zeroPoint;
        }
    }

    /**
     * One scale and zero point per index along {@code axis}. Arrays are copied.
     *
     * @param scales     one scale per channel, each valid as in {@link PerTensor}
     * @param zeroPoints one zero point per channel
     * @param axis       the tensor dimension the channels run along, {@code >= 0}
     * @param dtype      the quantized dtype
     */
    record PerChannel(double[] scales, int[] zeroPoints, int axis, DType dtype) implements QParams {
        /**
         * Validates and copies the parameters.
         *
         * @throws IllegalArgumentException for a null dtype or array, empty or unequal arrays, a
         *                                  negative axis, or a scale or zero point
         *                                  {@link PerTensor} would reject
         */
        public PerChannel {
            if (dtype == null) {
                throw new IllegalArgumentException("dtype must not be null");
            }
            if (scales == null || zeroPoints == null) {
                throw new IllegalArgumentException("per-channel scales and zero points must not be null");
            }
            if (scales.length == 0 || scales.length != zeroPoints.length) {
                throw new IllegalArgumentException("per-channel qparams need as many zero points as scales (and at least one): "
                        + scales.length + " scales, " + zeroPoints.length + " zero points");
            }
            if (axis < 0) {
                throw new IllegalArgumentException("per-channel axis must be >= 0, got " + axis);
            }
            scales = scales.clone();
            zeroPoints = zeroPoints.clone();
            for (int c = 0; c < scales.length; c++) {
                checkScale(scales[c], "scales[" + c + "]");
                checkZeroPoint(zeroPoints[c], dtype, "zero_points[" + c + "]");
            }
        }

        /**
         * The per-channel scales.
         *
         * @return a copy, one scale per channel
         */
        @Override
        public double[] scales() {
            return scales.clone();
        }

        @Override
        public int[] zeroPoints() {
            return zeroPoints.clone();
        }

        @Override
        public boolean isPerChannel() {
            return true;
        }

        @Override
        public int count() {
            return scales.length;
        }

        @Override
        public double scale(int c) {
            return scales[c];
        }

        @Override
        public int zeroPoint(int c) {
            return zeroPoints[c];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PerChannel p && axis == p.axis && dtype == p.dtype
                    && java.util.Arrays.equals(scales, p.scales) && java.util.Arrays.equals(zeroPoints, p.zeroPoints);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(axis, dtype, java.util.Arrays.hashCode(scales), java.util.Arrays.hashCode(zeroPoints));
        }

        @Override
        public String toString() {
            return "PerChannel[axis=" + axis + ", dtype=" + dtype + ", scales=" + java.util.Arrays.toString(scales)
                    + ", zeroPoints=" + java.util.Arrays.toString(zeroPoints) + "]";
        }
    }

    private static void checkScale(double scale, String what) {
        KernelArgs.checkScale(what, scale);
    }

    private static void checkZeroPoint(int zp, DType dtype, String what) {
        if (zp < dtype.min() || zp > dtype.max()) {
            throw new IllegalArgumentException(what + " = " + zp + " is outside " + dtype + " range ["
                    + dtype.min() + ", " + dtype.max() + "]");
        }
    }
}
