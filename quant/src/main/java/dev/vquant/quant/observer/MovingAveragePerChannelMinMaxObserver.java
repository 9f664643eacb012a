package dev.vquant.quant.observer;

import dev.vquant.engine.QScheme;

/**
 * PyTorch's {@code MovingAveragePerChannelMinMaxObserver}: per index along {@code ch_axis}, the
 * first tensor sets the range and each later one moves it by
 * {@code averaging_constant * (batch - running)} in float32. Defaults: averaging constant 0.01,
 * {@code ch_axis} 0, quint8, per_channel_affine.
 */
public final class MovingAveragePerChannelMinMaxObserver extends ChannelRangeObserver {
    private final float averagingConstant;

    private MovingAveragePerChannelMinMaxObserver(Builder b) {
        super("MovingAveragePerChannelMinMaxObserver", b, b.chAxis);
        this.averagingConstant = MovingAverageMinMaxObserver.checkAveragingConstant(b.averagingConstant, name());
    }

    /** {@return a builder with PyTorch's defaults} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    void update(float[] batchMin, float[] batchMax) {
        for (int c = 0; c < minVal.length; c++) {
            minVal[c] = minVal[c] + averagingConstant * (batchMin[c] - minVal[c]);
            maxVal[c] = maxVal[c] + averagingConstant * (batchMax[c] - maxVal[c]);
        }
    }

    /** {@return {@code averaging_constant}, as float32} */
    public float averagingConstant() {
        return averagingConstant;
    }

    /** Builds {@link MovingAveragePerChannelMinMaxObserver}s. */
    public static final class Builder
            extends UniformQuantizationObserver.Builder<Builder, MovingAveragePerChannelMinMaxObserver> {
        private double averagingConstant = 0.01;
        private int chAxis;

        Builder() {
            super(QScheme.PER_CHANNEL_AFFINE);
        }

        /**
         * {@code averaging_constant} in [0, 1] (default 0.01).
         *
         * @param averagingConstant the weight of each new batch's min/max in the running averages
         * @return this builder
         */
        public Builder averagingConstant(double averagingConstant) {
            this.averagingConstant = averagingConstant;
            return this;
        }

        /**
         * {@code ch_axis} >= 0 (default 0): a dimension of the observed tensors' shape.
         *
         * @param chAxis the channel dimension
         * @return this builder
         */
        public Builder chAxis(int chAxis) {
            this.chAxis = chAxis;
            return this;
        }

        @Override
        public MovingAveragePerChannelMinMaxObserver build() {
            return new MovingAveragePerChannelMinMaxObserver(this);
        }
    }
}
