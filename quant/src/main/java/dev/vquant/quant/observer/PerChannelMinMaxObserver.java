package dev.vquant.quant.observer;

import dev.vquant.engine.QScheme;

/**
 * PyTorch's {@code PerChannelMinMaxObserver}: the running minimum and maximum of each index along
 * {@code ch_axis}, then per-channel qparams. Defaults: {@code ch_axis} 0, quint8,
 * per_channel_affine. PyTorch's weight observer is
 * {@code builder().dtype(DType.QINT8).qscheme(QScheme.PER_CHANNEL_SYMMETRIC)} on weights in
 * PyTorch's {@code [out, in, ...]} order.
 */
public final class PerChannelMinMaxObserver extends ChannelRangeObserver {

    private PerChannelMinMaxObserver(Builder b) {
        super("PerChannelMinMaxObserver", b, b.chAxis);
    }

    /** {@return a builder with PyTorch's defaults} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    void update(float[] batchMin, float[] batchMax) {
        for (int c = 0; c < minVal.length; c++) {
            minVal[c] = Math.min(batchMin[c], minVal[c]);
            maxVal[c] = Math.max(batchMax[c], maxVal[c]);
        }
    }

    /** Builds {@link PerChannelMinMaxObserver}s. */
    public static final class Builder extends UniformQuantizationObserver.Builder<Builder, PerChannelMinMaxObserver> {
        private int chAxis;

        Builder() {
            super(QScheme.PER_CHANNEL_AFFINE);
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
        public PerChannelMinMaxObserver build() {
            return new PerChannelMinMaxObserver(this);
        }
    }
}
