package dev.vquant.quant.observer;

import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;

import java.util.Arrays;

/**
 * An observer of one running range per index along {@code ch_axis} (see the package notes on
 * layout), updated by each non-empty batch's per-channel extremes; the subclass says how a batch
 * moves the ranges ({@link PerChannelMinMaxObserver}, {@link MovingAveragePerChannelMinMaxObserver}).
 * Per-channel schemes only; symmetric quint8 with reduce_range is refused, as in PyTorch.
 */
public abstract class ChannelRangeObserver extends UniformQuantizationObserver implements Cloneable {
    private final int chAxis;
    float[] minVal = new float[0];
    float[] maxVal = new float[0];

    ChannelRangeObserver(String name, Builder<?, ?> b, int chAxis) {
        super(name, b);
        requirePerChannel();
        refuseReducedSymmetricQuint8();
        if (chAxis < 0) {
            throw new IllegalArgumentException(name + ": ch_axis must be >= 0, got " + chAxis
                    + " (PyTorch's negative axes count from the end: pass rank + ch_axis)");
        }
        this.chAxis = chAxis;
    }

    @Override
    public final FloatTensor forward(FloatTensor x) {
        if (x != null && x.numel() == 0) {
            return x;
        }
        float[][] batch = Extrema.perChannel(x, chAxis, name());
        if (minVal.length == 0) {
            minVal = batch[0];
            maxVal = batch[1];
        } else if (batch[0].length != minVal.length) {
            throw new IllegalArgumentException(name() + ": saw " + minVal.length + " channels along ch_axis " + chAxis
                    + " before, now " + batch[0].length + " in " + x);
        } else {
            update(batch[0], batch[1]);
        }
        return x;
    }

    /** Folds one batch's per-channel extremes (as many as recorded) into the running ranges. */
    abstract void update(float[] batchMin, float[] batchMax);

    @Override
    public final QParams.PerChannel calculateQParams() {
        return perChannelQParams(minVal, maxVal, chAxis);
    }

    /** {@return {@code ch_axis}: the dimension of {@code x.shape()} whose indices get their own qparams} */
    public final int chAxis() {
        return chAxis;
    }

    /** {@return a copy of the recorded minima, one per channel; empty before any data} */
    public final float[] minVal() {
        return minVal.clone();
    }

    /** {@return a copy of the recorded maxima, one per channel; empty before any data} */
    public final float[] maxVal() {
        return maxVal.clone();
    }

    /**
     * Restores recorded ranges, as loading PyTorch's {@code min_val}/{@code max_val} buffers from a
     * state dict does (empty arrays: nothing observed). Copies the arrays.
     *
     * @param min the per-channel minima ({@code min_val})
     * @param max the per-channel maxima ({@code max_val}), as many as {@code min}
     * @throws IllegalArgumentException when the lengths differ or a value is NaN
     */
    public final void loadMinMax(float[] min, float[] max) {
        if (min.length != max.length) {
            throw new IllegalArgumentException(name() + ": min_val has " + min.length + " channels, max_val " + max.length);
        }
        for (int i = 0; i < min.length; i++) {
            if (Float.isNaN(min[i]) || Float.isNaN(max[i])) {
                throw new IllegalArgumentException(name() + ": min_val/max_val must not be NaN (channel " + i + ")");
            }
        }
        minVal = min.clone();
        maxVal = max.clone();
    }

    /** {@return an independent copy: the same configuration and recorded ranges (PyTorch's {@code copy.deepcopy})} */
    public final ChannelRangeObserver copy() {
        try {
            ChannelRangeObserver c = (ChannelRangeObserver) clone();
            c.minVal = minVal.clone();
            c.maxVal = maxVal.clone();
            return c;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /** Forgets what was observed ({@code reset_min_max_vals}). */
    public final void resetMinMaxVals() {
        minVal = new float[0];
        maxVal = new float[0];
    }

    @Override
    final String describeState() {
        return "ch_axis=" + chAxis + ", min_val=" + Arrays.toString(minVal) + ", max_val=" + Arrays.toString(maxVal);
    }
}
