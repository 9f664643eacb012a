package dev.vquant.engine.spi;

import java.util.Arrays;

/**
 * The output stage that turns an exact int32 accumulator of output channel {@code j} into a
 * quint8 value: bias, rescale, round half to even, add the output zero point, clamp.
 *
 * <p>Three arithmetics, each PyTorch's (or gemmlowp's) to the bit; {@link #apply(int, int)} is
 * the one scalar definition every kernel must reproduce:
 * <ul>
 * <li>{@link Mode#FLOAT_BIAS} (fbgemm / x86): {@code v = f32(f32(acc) + biasOverScale[j]) * multiplier[j]}
 * with {@code biasOverScale[j] = f32(bias[j] / f32(sA * sW[j]))};</li>
 * <li>{@link Mode#INT_BIAS} (qnnpack): {@code v = f32(acc + intBias[j]) * multiplier[j]}, the
 * bias first rounded to int32 in units of {@code sA * sW[j]} (int32 addition wraps);</li>
 * <li>{@link Mode#FIXED_POINT} (gemmlowp, integer only): {@code v = roundingShift(
 * saturatingRoundingDoublingHighMul(acc + intBias[j], fixedMultiplier[j]), rightShift[j])}.</li>
 * </ul>
 * then {@code out = clamp(rint_half_even(v) + outZeroPoint, qmin, qmax)} (the fixed-point
 * result is already an integer). A fused ReLU is {@code qmin = outZeroPoint}.
 *
 * <p>All per-channel arrays have exactly {@link #channels()} entries (per-tensor parameters are
 * repeated) so kernels index them by output column without a granularity branch;
 * {@link #perChannel()} tells whether they actually differ, for kernels that broadcast.
 * Instances are immutable (arrays are never exposed for writing: kernels must not modify them).
 */
public final class Requantization {

    /** Which arithmetic {@link #apply} uses. */
    public enum Mode {
        /** fbgemm / x86: float bias divided by the accumulator scale, float32 multiply. */
        FLOAT_BIAS,
        /** qnnpack: bias rounded to int32 first, float32 multiply. */
        INT_BIAS,
        /** gemmlowp: integer only, Q31 multiplier and rounding right shift. */
        FIXED_POINT
    }

    private final Mode mode;
    private final int channels;
    private final boolean perChannel;
    private final float[] multiplier;
    private final float[] biasOverScale;
    private final int[] intBias;
    private final int[] fixedMultiplier;
    private final int[] rightShift;
    private final int outZeroPoint;
    private final int qmin;
    private final int qmax;

    private Requantization(Mode mode, int channels, boolean perChannel, float[] multiplier, float[] biasOverScale,
                           int[] intBias, int[] fixedMultiplier, int[] rightShift, int outZeroPoint, int qmin, int qmax) {
        this.mode = mode;
        this.channels = channels;
        this.perChannel = perChannel;
        this.multiplier = multiplier;
        this.biasOverScale = biasOverScale;
        this.intBias = intBias;
        this.fixedMultiplier = fixedMultiplier;
        this.rightShift = rightShift;
        this.outZeroPoint = outZeroPoint;
        this.qmin = qmin;
        this.qmax = qmax;
    }

    /**
     * fbgemm's arithmetic (PyTorch's fbgemm and x86 engines): float bias divided by
     * {@code atws = f32(inScale) * f32(weightScale[j])}, multiplier {@code f32(atws / f32(outScale))}.
     *
     * @param inScale      activation scale
     * @param weightScales one scale (per tensor) or {@code channels} scales
     * @param bias         float bias of length {@code channels}, or null
     * @param outScale     output scale
     * @param outZeroPoint output zero point (quint8)
     * @param relu         fuse a ReLU (clamp below at the zero point)
     * @param channels     number of output channels
     * @return the FLOAT_BIAS stage
     * @throws IllegalArgumentException for {@code channels <= 0}, a scale that is not finite and
     *                                  positive, a bias or scale count that does not fit
     *                                  {@code channels}, a non-finite bias or an output zero point
     *                                  outside quint8
     */
    public static Requantization fbgemm(double inScale, double[] weightScales, float[] bias, double outScale,
                                        int outZeroPoint, boolean relu, int channels) {
        checkCommon(inScale, weightScales, bias, outScale, outZeroPoint, channels);
        float[] mult = new float[channels];
        float[] bos = new float[channels];
        for (int j = 0; j < channels; j++) {
            float atws = (float) inScale * (float) weightScales[weightScales.length == 1 ? 0 : j];
            mult[j] = atws / (float) outScale;
            bos[j] = bias == null ? 0f : bias[j] / atws;
            checkFinite(mult[j], "requantization multiplier of channel " + j);
            checkFinite(bos[j], "bias / (input scale * weight scale) of channel " + j);
        }
        return new Requantization(Mode.FLOAT_BIAS, channels, weightScales.length > 1, mult, bos, null, null, null,
                outZeroPoint, relu ? outZeroPoint : 0, 255);
    }

    /**
     * qnnpack's arithmetic (PyTorch's qnnpack engine): the bias quantized to int32 with scale
     * {@code f32(inScale * weightScale[j])} (round half to even), multiplier
     * {@code f32(f32(inScale * weightScale[j]) / f32(outScale))}.
     *
     * @param inScale      activation scale
     * @param weightScales one scale (per tensor) or {@code channels} scales
     * @param bias         float bias of length {@code channels}, or null
     * @param outScale     output scale
     * @param outZeroPoint output zero point (quint8)
     * @param relu         fuse a ReLU (clamp below at the zero point)
     * @param channels     number of output channels
     * @return the INT_BIAS stage
     * @throws IllegalArgumentException as {@link #fbgemm}, or when a rounded bias does not fit int32
     */
    public static Requantization qnnpack(double inScale, double[] weightScales, float[] bias, double outScale,
                                         int outZeroPoint, boolean relu, int channels) {
        checkCommon(inScale, weightScales, bias, outScale, outZeroPoint, channels);
        float[] mult = new float[channels];
        int[] ib = new int[channels];
        for (int j = 0; j < channels; j++) {
            float atws = (float) (inScale * weightScales[weightScales.length == 1 ? 0 : j]);
            mult[j] = atws / (float) outScale;
            checkFinite(mult[j], "requantization multiplier of channel " + j);
            ib[j] = bias == null ? 0 : quantizeBias(bias[j], atws, j);
        }
        return new Requantization(Mode.INT_BIAS, channels, weightScales.length > 1, mult, null, ib, null, null,
                outZeroPoint, relu ? outZeroPoint : 0, 255);
    }

    /**
     * Integer-only requantization in gemmlowp's fixed-point arithmetic: the real multiplier
     * {@code inScale * weightScale[j] / outScale} (computed in double) becomes a Q31 multiplier and
     * a right shift; the bias is rounded to int32 as in {@link #qnnpack}. Real multipliers must lie
     * in (2^-31, 1).
     *
     * @param inScale      activation scale
     * @param weightScales one scale (per tensor) or {@code channels} scales
     * @param bias         float bias of length {@code channels}, or null
     * @param outScale     output scale
     * @param outZeroPoint output zero point (quint8)
     * @param relu         fuse a ReLU (clamp below at the zero point)
     * @param channels     number of output channels
     * @return the FIXED_POINT stage
     * @throws IllegalArgumentException as {@link #qnnpack}, or for a real multiplier outside (2^-31, 1)
     */
    public static Requantization fixedPoint(double inScale, double[] weightScales, float[] bias, double outScale,
                                            int outZeroPoint, boolean relu, int channels) {
        checkCommon(inScale, weightScales, bias, outScale, outZeroPoint, channels);
        int[] q = new int[channels];
        int[] shift = new int[channels];
        int[] ib = new int[channels];
        for (int j = 0; j < channels; j++) {
            double ws = weightScales[weightScales.length == 1 ? 0 : j];
            double real = inScale * ws / outScale;
            if (!(real > 0x1p-31 && real < 1.0)) {
                throw new IllegalArgumentException("fixed-point requantization needs input scale * weight scale / output scale"
                        + " in (2^-31, 1), got " + real + " for channel " + j);
            }
            // real = m * 2^e with m in [0.5, 1): Q31 multiplier round(m * 2^31), right shift -e
            int e = Math.getExponent(real) + 1;
            double m = real / Math.scalb(1.0, e);
            long qm = Math.round(m * 0x1p31);
            if (qm == (1L << 31)) {
                qm /= 2;
                e++;
            }
            q[j] = (int) qm;
            shift[j] = -e;
            ib[j] = bias == null ? 0 : quantizeBias(bias[j], (float) (inScale * ws), j);
        }
        return new Requantization(Mode.FIXED_POINT, channels, weightScales.length > 1, null, null, ib, q, shift,
                outZeroPoint, relu ? outZeroPoint : 0, 255);
    }

    /**
     * A bare per-tensor float32 multiplier with no bias (the standalone requantize kernel):
     * {@code out = clamp(rint(f32(acc) * multiplier) + zeroPoint, qmin, qmax)}.
     *
     * @param multiplier   the float32 rescale factor
     * @param outZeroPoint output zero point
     * @param qmin         lowest output value
     * @param qmax         highest output value
     * @param channels     channel count the arrays are repeated to
     * @return a FLOAT_BIAS stage with zero bias
     * @throws IllegalArgumentException for a multiplier that is not finite and positive, a range
     *                                  not within quint8 {@code [0, 255]}, an out-of-range zero
     *                                  point, or {@code channels <= 0}
     */
    public static Requantization ofMultiplier(float multiplier, int outZeroPoint, int qmin, int qmax, int channels) {
        checkFinite(multiplier, "multiplier");
        if (!(multiplier > 0)) {
            throw new IllegalArgumentException("requantization multiplier must be > 0, got " + multiplier);
        }
        checkRange(outZeroPoint, qmin, qmax, channels);
        float[] mult = new float[channels];
        Arrays.fill(mult, multiplier);
        return new Requantization(Mode.FLOAT_BIAS, channels, false, mult, new float[channels], null, null, null,
                outZeroPoint, qmin, qmax);
    }

    /**
     * The quint8 output of channel {@code j} for accumulator {@code acc}: the rule every kernel reproduces.
     *
     * @param acc the exact int32 accumulator
     * @param j   output channel, in {@code [0, channels())}
     * @return the quint8 value, in {@code [qmin(), qmax()]}
     */
    public int apply(int acc, int j) {
        switch (mode) {
            case FLOAT_BIAS:
                return roundAndClamp(((float) acc + biasOverScale[j]) * multiplier[j]);
            case INT_BIAS:
                return roundAndClamp((float) (acc + intBias[j]) * multiplier[j]);
            default:
                int v = roundingRightShift(saturatingRoundingDoublingHighMul(acc + intBias[j], fixedMultiplier[j]),
                        rightShift[j]);
                long r = (long) v + outZeroPoint;
                return (int) Math.max(qmin, Math.min(qmax, r));
        }
    }

    /**
     * {@code clamp(rint_half_even(v) + outZeroPoint, qmin, qmax)}, clamping before the int conversion.
     *
     * @param v the rescaled value
     * @return the output value, in {@code [qmin(), qmax()]}
     */
    public int roundAndClamp(float v) {
        float r = (float) Math.rint(v);
        if (r <= qmin - outZeroPoint) {
            return qmin;
        }
        if (r >= qmax - outZeroPoint) {
            return qmax;
        }
        return (int) r + outZeroPoint;
    }

    /**
     * gemmlowp's SaturatingRoundingDoublingHighMul: round(a * b / 2^31), saturating the one overflow case.
     *
     * @param a a Q31 value
     * @param b a Q31 value
     * @return the rounded high half of {@code 2*a*b}; {@code Integer.MAX_VALUE} for {@code MIN_VALUE * MIN_VALUE}
     */
    public static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) {
            return Integer.MAX_VALUE;
        }
        long ab = (long) a * b;
        long nudge = ab >= 0 ? (1L << 30) : 1 - (1L << 30);
        return (int) ((ab + nudge) / (1L << 31));
    }

    /**
     * gemmlowp's RoundingDivideByPOT: {@code x / 2^shift} rounded to nearest, ties away from zero.
     *
     * @param x     the value
     * @param shift the shift, 0..31
     * @return {@code x / 2^shift} rounded
     */
    public static int roundingRightShift(int x, int shift) {
        int mask = (1 << shift) - 1;
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> shift) + (remainder > threshold ? 1 : 0);
    }

    /**
     * The arithmetic of this stage; it decides which of the per-channel arrays are present.
     *
     * @return the mode, never null
     */
    public Mode mode() {
        return mode;
    }

    /** {@return the number of output channels (length of every per-channel array)} */
    public int channels() {
        return channels;
    }

    /** {@return true when the per-channel arrays hold different values per channel} */
    public boolean perChannel() {
        return perChannel;
    }

    /** {@return the float32 multipliers (FLOAT_BIAS, INT_BIAS); null for FIXED_POINT} Do not modify. */
    public float[] multiplier() {
        return multiplier;
    }

    /** {@return {@code f32(bias / atws)} per channel (FLOAT_BIAS; zeros without bias); null otherwise} Do not modify. */
    public float[] biasOverScale() {
        return biasOverScale;
    }

    /** {@return the int32 bias per channel (INT_BIAS, FIXED_POINT; zeros without bias); null otherwise} Do not modify. */
    public int[] intBias() {
        return intBias;
    }

    /** {@return the Q31 multipliers (FIXED_POINT); null otherwise} Do not modify. */
    public int[] fixedMultiplier() {
        return fixedMultiplier;
    }

    /** {@return the right shifts, 0..31 (FIXED_POINT); null otherwise} Do not modify. */
    public int[] rightShift() {
        return rightShift;
    }

    /**
     * The quint8 output zero point added after rounding.
     *
     * @return the zero point, in {@code [qmin(), qmax()]}
     */
    public int outZeroPoint() {
        return outZeroPoint;
    }

    /** {@return the lowest output value (the zero point under a fused ReLU)} */
    public int qmin() {
        return qmin;
    }

    /** {@return the highest output value} */
    public int qmax() {
        return qmax;
    }

    private static int quantizeBias(float bias, float scale, int j) {
        // PyTorch quantizes the bias like any tensor: multiply by the float32 reciprocal, round half to even
        float v = bias * (1.0f / scale);
        double r = Math.rint(v);
        if (!(Math.abs(r) <= Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("bias[" + j + "] = " + bias + " does not fit int32 at scale " + scale);
        }
        return (int) r;
    }

    private static void checkCommon(double inScale, double[] weightScales, float[] bias, double outScale,
                                    int outZeroPoint, int channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException("channel count must be > 0, got " + channels);
        }
        checkScale(inScale, "input scale");
        checkScale(outScale, "output scale");
        if (weightScales == null || (weightScales.length != 1 && weightScales.length != channels)) {
            throw new IllegalArgumentException("need 1 or " + channels + " weight scales, got "
                    + (weightScales == null ? "null" : weightScales.length));
        }
        for (double s : weightScales) {
            checkScale(s, "weight scale");
        }
        if (bias != null) {
            if (bias.length != channels) {
                throw new IllegalArgumentException("bias has " + bias.length + " entries for " + channels + " output channels");
            }
            for (int j = 0; j < channels; j++) {
                checkFinite(bias[j], "bias[" + j + "]");
            }
        }
        checkRange(outZeroPoint, 0, 255, channels);
    }

    private static void checkRange(int zp, int qmin, int qmax, int channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException("channel count must be > 0, got " + channels);
        }
        if (qmin < 0 || qmax > 255 || qmin > qmax) {
            throw new IllegalArgumentException("output range [" + qmin + ", " + qmax + "] is not a quint8 range");
        }
        if (zp < 0 || zp > 255) {
            throw new IllegalArgumentException("output zero point " + zp + " is outside quint8 [0, 255]");
        }
    }

    private static void checkScale(double s, String what) {
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException(what + " must be finite and > 0, got " + s);
        }
    }

    private static void checkFinite(float v, String what) {
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException(what + " is not finite: " + v);
        }
    }
}
