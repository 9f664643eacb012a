package dev.vquant.quant.observer;

import dev.vquant.engine.QScheme;

/**
 * PyTorch's {@code MinMaxObserver}: the running minimum and maximum of every tensor seen, then
 * per-tensor qparams (affine or symmetric) of that range. Default: quint8, per_tensor_affine.
 * PyTorch refuses a per-channel qscheme and symmetric quint8 with reduce_range; so does this.
 */
public final class MinMaxObserver extends TensorRangeObserver {

    private MinMaxObserver(Builder b) {
        super("MinMaxObserver", b);
    }

    /** {@return a builder with PyTorch's defaults} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    void update(float batchMin, float batchMax) {
        minVal = Math.min(batchMin, minVal);
        maxVal = Math.max(batchMax, maxVal);
    }

    /** Builds {@link MinMaxObserver}s. */
    public static final class Builder extends UniformQuantizationObserver.Builder<Builder, MinMaxObserver> {
        Builder() {
            super(QScheme.PER_TENSOR_AFFINE);
        }

        @Override
        public MinMaxObserver build() {
            return new MinMaxObserver(this);
        }
    }
}
