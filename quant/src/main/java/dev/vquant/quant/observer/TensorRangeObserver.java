package dev.vquant.quant.observer;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;

/**
 * An observer of one running range per tensor, updated by each non-empty batch's extremes; the
 * subclass says how a batch moves the range ({@link MinMaxObserver}, {@link MovingAverageMinMaxObserver}).
 * Per-tensor schemes only; symmetric quint8 with reduce_range is refused, as in PyTorch.
 */
abstract class TensorRangeObserver extends UniformQuantizationObserver {
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

    /** The recorded minimum; {@code +inf} before any data (PyTorch's buffer {@code min_val}). */
    public final float minVal() {
        return minVal;
    }

    /** The recorded maximum; {@code -inf} before any data (PyTorch's buffer {@code max_val}). */
    public final float maxVal() {
        return maxVal;
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
