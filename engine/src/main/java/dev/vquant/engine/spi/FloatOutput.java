package dev.vquant.engine.spi;

/**
 * The output stage of dynamic quantization: an exact int32 accumulator of output channel
 * {@code j} becomes float32, {@code y = acc * scale[j] + bias[j]}, with PyTorch's rounding:
 * <ul>
 * <li>fbgemm / x86 ({@link #fused()} true): {@code fma(f32(acc), scale[j], bias[j])}, one rounding;</li>
 * <li>qnnpack ({@link #fused()} false): {@code f32(f32(acc) * scale[j]) + bias[j]}, two roundings.</li>
 * </ul>
 * {@code scale[j] = f32(f32(inScale) * f32(weightScale[j]))}. An optional ReLU clamps at 0 afterwards.
 * Arrays have exactly {@link #channels()} entries; bias is zeros when absent. Immutable.
 */
public final class FloatOutput {
    private final float[] scale;
    private final float[] bias;
    private final boolean fused;
    private final boolean relu;
    private final boolean perChannel;

    private FloatOutput(float[] scale, float[] bias, boolean fused, boolean relu, boolean perChannel) {
        this.scale = scale;
        this.bias = bias;
        this.fused = fused;
        this.relu = relu;
        this.perChannel = perChannel;
    }

    /**
     * Builds the output stage of one dynamic-quantization call from its activation scale, the
     * weights' scales and the optional bias, validating all of them.
     *
     * @param inScale      activation scale of this call
     * @param weightScales one (per tensor) or {@code channels} weight scales
     * @param bias         float bias of length {@code channels}, or null
     * @param fused        true for fbgemm's single-rounding fma, false for qnnpack's multiply then add
     * @param relu         clamp the result below at 0
     * @param channels     number of output channels, {@code > 0}
     * @return the immutable stage, arrays expanded to {@code channels} entries
     * @throws IllegalArgumentException when {@code channels <= 0}, a scale is not finite and
     *                                  positive, the scale or bias count does not fit
     *                                  {@code channels}, or a bias value is not finite
     */
    public static FloatOutput of(double inScale, double[] weightScales, float[] bias, boolean fused, boolean relu,
                                 int channels) {
        checkChannels(channels);
        checkInScale(inScale);
        return Channels.of(weightScales, bias, channels).forInput(inScale, fused, relu, null);
    }

    private static void checkChannels(int channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException("channel count must be > 0, got " + channels);
        }
    }

    private static void checkInScale(double inScale) {
        if (!(inScale > 0) || Double.isInfinite(inScale)) {
            throw new IllegalArgumentException("input scale must be finite and > 0, got " + inScale);
        }
    }

    /**
     * The per-channel half of a dynamic operator's output stage, validated and converted once
     * (when the operator is built): {@code f32(weightScale[j])} and the bias (zeros when absent),
     * both expanded to {@code channels} entries. A call then only multiplies in its activation
     * scale ({@link #forInput}), the same bits as {@link FloatOutput#of}. Immutable.
     */
    public static final class Channels {
        private final float[] weightScale;
        private final float[] bias;
        private final boolean perChannel;

        private Channels(float[] weightScale, float[] bias, boolean perChannel) {
            this.weightScale = weightScale;
            this.bias = bias;
            this.perChannel = perChannel;
        }

        /**
         * Validates and converts the weights' scales and the bias.
         *
         * @param weightScales one (per tensor) or {@code channels} weight scales
         * @param bias         float bias of length {@code channels}, or null
         * @param channels     number of output channels, {@code > 0}
         * @return the converted channels
         * @throws IllegalArgumentException as {@link FloatOutput#of} for the scales, the bias and the channel count
         */
        public static Channels of(double[] weightScales, float[] bias, int channels) {
            checkChannels(channels);
            if (weightScales == null || (weightScales.length != 1 && weightScales.length != channels)) {
                throw new IllegalArgumentException("need 1 or " + channels + " weight scales, got "
                        + (weightScales == null ? "null" : weightScales.length));
            }
            if (bias != null && bias.length != channels) {
                throw new IllegalArgumentException("bias has " + bias.length + " entries for " + channels + " output channels");
            }
            float[] s = new float[channels];
            float[] b = new float[channels];
            for (int j = 0; j < channels; j++) {
                double ws = weightScales[weightScales.length == 1 ? 0 : j];
                if (!(ws > 0) || Double.isInfinite(ws)) {
                    throw new IllegalArgumentException("weight scale must be finite and > 0, got " + ws);
                }
                s[j] = (float) ws;
                b[j] = bias == null ? 0f : bias[j];
                if (!Float.isFinite(b[j])) {
                    throw new IllegalArgumentException("bias[" + j + "] is not finite: " + b[j]);
                }
            }
            return new Channels(s, b, weightScales.length > 1);
        }

        /** {@return the number of output channels} */
        public int channels() {
            return weightScale.length;
        }

        /**
         * The output stage of one call: {@code scale[j] = f32(f32(inScale) * f32(weightScale[j]))},
         * this object's bias (shared, not copied).
         *
         * @param inScale   activation scale of this call
         * @param fused     true for fbgemm's single-rounding fma, false for qnnpack's multiply then add
         * @param relu      clamp the result below at 0
         * @param scaleInto receives the scales ({@link #channels()} entries; the stage reads it until
         *                  the call ends, so the caller must not reuse it before), or null for a new array
         * @return the stage
         * @throws IllegalArgumentException when {@code inScale} is not finite and positive or
         *                                  {@code scaleInto} has another length
         */
        public FloatOutput forInput(double inScale, boolean fused, boolean relu, float[] scaleInto) {
            return forInput(inScale, fused, relu, scaleInto, null);
        }

        /**
         * As {@link #forInput(double, boolean, boolean, float[])}, returning {@code reuse} itself
         * when it is this object's stage over the same {@code scaleInto} array with the same
         * {@code fused} and {@code relu} (its scales are the array's, rewritten here): an operator
         * that keeps its stage between calls (over a reused output array) allocates nothing.
         *
         * @param inScale   activation scale of this call
         * @param fused     true for fbgemm's single-rounding fma, false for qnnpack's multiply then add
         * @param relu      clamp the result below at 0
         * @param scaleInto receives the scales, as for {@link #forInput(double, boolean, boolean, float[])}
         * @param reuse     an earlier stage of the caller's, or null
         * @return the stage ({@code reuse} when it fits)
         * @throws IllegalArgumentException as {@link #forInput(double, boolean, boolean, float[])}
         */
        public FloatOutput forInput(double inScale, boolean fused, boolean relu, float[] scaleInto, FloatOutput reuse) {
            checkInScale(inScale);
            int n = weightScale.length;
            if (scaleInto != null && scaleInto.length != n) {
                throw new IllegalArgumentException("scale array has " + scaleInto.length + " entries for " + n + " output channels");
            }
            float[] s = scaleInto == null ? new float[n] : scaleInto;
            float in = (float) inScale;
            float[] ws = weightScale;
            for (int j = 0; j < n; j++) {
                s[j] = in * ws[j];
            }
            if (reuse != null && reuse.scale == s && reuse.bias == bias && reuse.fused == fused && reuse.relu == relu
                    && reuse.perChannel == perChannel) {
                return reuse;
            }
            return new FloatOutput(s, bias, fused, relu, perChannel);
        }
    }

    /**
     * The float32 output of channel {@code j} for accumulator {@code acc}: the rule every kernel reproduces.
     *
     * @param acc the exact int32 accumulator
     * @param j   output channel, in {@code [0, channels())}
     * @return the float32 output value
     */
    public float apply(int acc, int j) {
        float y = fused ? Math.fma((float) acc, scale[j], bias[j]) : (float) acc * scale[j] + bias[j];
        return relu ? Math.max(y, 0f) : y;
    }

    /** {@return the per-channel {@code f32(inScale * weightScale)}, {@link #channels()} entries} Do not modify. */
    public float[] scale() {
        return scale;
    }

    /** {@return the per-channel bias (zeros when absent), {@link #channels()} entries} Do not modify. */
    public float[] bias() {
        return bias;
    }

    /**
     * Whether {@link #apply} rounds once (fbgemm's {@code fma}) or twice (qnnpack's multiply, then add).
     *
     * @return true for the fused single-rounding form
     */
    public boolean fused() {
        return fused;
    }

    /**
     * Whether a ReLU clamps the float result at 0 after scale and bias.
     *
     * @return true when negative outputs become {@code 0f}
     */
    public boolean relu() {
        return relu;
    }

    /**
     * Whether the weights had one scale per output channel; the arrays hold {@link #channels()}
     * entries either way, so this only lets kernels broadcast a single scale.
     *
     * @return true when {@link #scale()} may differ between channels
     */
    public boolean perChannel() {
        return perChannel;
    }

    /**
     * Number of output channels: the length of {@link #scale()} and {@link #bias()}.
     *
     * @return the channel count, at least 1
     */
    public int channels() {
        return scale.length;
    }
}
