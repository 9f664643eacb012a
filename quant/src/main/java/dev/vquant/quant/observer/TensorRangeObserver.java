package dev.vquant.quant.observer;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;

/**
 * An observer of one running range per tensor, updated by each non-empty batch's extremes; the
 * subclass says how a batch moves the range ({@link MinMaxObserver}, {@link MovingAverageMinMaxObserver}).
 * Per-tensor schemes only; symmetric quint8 with reduce_range is refused, as in PyTorch.
 */
public abstract class TensorRangeObserver extends UniformQuantizationObserver implements Cloneable {
    float minVal = Float.POSITIVE_INFINITY;
    float maxVal = Float.NEGATIVE_INFINITY;

    TensorRangeObserver(String name, Builder<?, ?> b) {
        super(name, b);
        requirePerTensor();
        refuseReducedSymmetricQuint8();
    }

    @Override
    public final FloatTensor forward(FloatTensor x) {
        if (x != null && x.numel() == 0) {
            return x;
        }
        float[] batch = Extrema.of(x, name());
        update(batch[0], batch[1]);
        return x;
    }

    /** Folds one batch's extremes into the running range ({@code +inf/-inf} before the first). */
    abstract void update(float batchMin, float batchMax);

    @Override
    public final QParams.PerTensor calculateQParams() {
        return perTensorQParams(minVal, maxVal);
    }

    /** {@return the recorded minimum; {@code +inf} before any data (PyTorch's buffer {@code min_val})} */
    public final float minVal() {
        return minVal;
    }

    /** {@return the recorded maximum; {@code -inf} before any data (PyTorch's buffer {@code max_val})} */
    public final float maxVal() {
        return maxVal;
    }

    /**
     * Restores a recorded range, as loading PyTorch's {@code min_val}/{@code max_val} buffers from a
     * state dict does ({@code +inf}/{@code -inf}: nothing observed).
     *
     * @param min the minimum ({@code min_val})
     * @param max the maximum ({@code max_val})
     * @throws IllegalArgumentException when a value is NaN
     */
    public final void loadMinMax(float min, float max) {
        if (Float.isNaN(min) || Float.isNaN(max)) {
            throw new IllegalArgumentException(name() + ": min_val/max_val must not be NaN, got " + min + ", " + max);
        }
        minVal = min;
        maxVal = max;
    }

    /** {@return an independent copy: the same configuration and recorded range (PyTorch's {@code copy.deepcopy})} */
    public final TensorRangeObserver copy() {
        try {
            return (TensorRangeObserver) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** Forgets what was observed ({@code reset_min_max_vals}). */
    public final void resetMinMaxVals() {
        minVal = Float.POSITIVE_INFINITY;
        maxVal = Float.NEGATIVE_INFINITY;
    }

    @Override
    final String describeState() {
        return "min_val=" + minVal + ", max_val=" + maxVal;
    }
}
