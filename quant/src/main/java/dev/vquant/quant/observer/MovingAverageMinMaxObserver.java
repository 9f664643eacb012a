package dev.vquant.quant.observer;

import dev.vquant.engine.QScheme;

/**
 * PyTorch's {@code MovingAverageMinMaxObserver}: the first tensor sets the range, each later one
 * moves it by {@code averaging_constant * (batch - running)} (float32, PyTorch's order:
 * {@code min + c * (batchMin - min)}). Default averaging constant 0.01, quint8, per_tensor_affine.
 */
public final class MovingAverageMinMaxObserver extends TensorRangeObserver {
    private final float averagingConstant;

    private MovingAverageMinMaxObserver(Builder b) {
        super("MovingAverageMinMaxObserver", b);
        this.averagingConstant = checkAveragingConstant(b.averagingConstant, name());
    }

    /** {@return a builder with PyTorch's defaults} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    void update(float batchMin, float batchMax) {
        if (minVal == Float.POSITIVE_INFINITY && maxVal == Float.NEGATIVE_INFINITY) {
            minVal = batchMin;
            maxVal = batchMax;
        } else {
            minVal = minVal + averagingConstant * (batchMin - minVal);
            maxVal = maxVal + averagingConstant * (batchMax - maxVal);
        }
    }

    /** {@return {@code averaging_constant}, as float32 (PyTorch multiplies it into float32 tensors)} */
    public float averagingConstant() {
        return averagingConstant;
    }

    static float checkAveragingConstant(double c, String name) {
        if (!(c >= 0 && c <= 1)) {
            throw new IllegalArgumentException(name + ": averaging_constant must be in [0, 1], got " + c);
        }
        return (float) c;
    }

    /** Builds {@link MovingAverageMinMaxObserver}s. */
    public static final class Builder extends UniformQuantizationObserver.Builder<Builder, MovingAverageMinMaxObserver> {
        private double averagingConstant = 0.01;

        Builder() {
            super(QScheme.PER_TENSOR_AFFINE);
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

        @Override
        public MovingAverageMinMaxObserver build() {
            return new MovingAverageMinMaxObserver(this);
        }
    }
}
