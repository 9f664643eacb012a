package dev.vquant.quant.observer;

import dev.vquant.engine.QScheme;
import dev.vquant.engine.DType;
import dev.vquant.engine.FloatTensor;
import dev.vquant.engine.QParams;

/**
 * PyTorch's {@code HistogramObserver} (1.13), bit for bit: a histogram of everything seen
 * ({@code bins} 2048 by default) over the running range, and at {@link #calculateQParams()} the
 * range that minimizes the L2 error of quantizing that histogram ({@link L2NormSearch}), from
 * which per-tensor qparams are computed as MinMaxObserver would.
 *
 * <p>Recording follows PyTorch 1.13 exactly, including its quirks, because the results depend on
 * them:
 * <ul>
 *   <li>the first batch (or any batch after a constant range) sets the range to its extremes and
 *       the histogram to {@code torch.histc(x, bins, min=int(min), max=int(max))} &mdash; the
 *       edges truncated to integers; when they truncate to the same integer (data within one unit
 *       interval, the usual case for activations) histc uses the data's exact extremes;</li>
 *   <li>a later batch extends the range to include its extremes, relaxes the maximum so the held
 *       histogram's bins divide the new range ({@code upsample_rate} 128 sub-bins per bin), takes
 *       histc of the batch over the integer-truncated combined range, and adds the held histogram:
 *       directly when the range did not change, else resampled onto the new bins
 *       ({@link HistogramCombiner});</li>
 *   <li>the search compares quantiles in float32 and sums errors in PyTorch's order, so the
 *       chosen range is PyTorch's to the bit.</li>
 * </ul>
 * Counts are float32 as in PyTorch (a bin stops counting at 2^24 elements in one batch). Defaults:
 * quint8, per_tensor_affine; symmetric quint8 with reduce_range is accepted, as in PyTorch.
 */
public final class HistogramObserver extends UniformQuantizationObserver {
    private final int bins;
    private final int upsampleRate;
    private final double dstBins;
    private float[] histogram;
    private float minVal = Float.POSITIVE_INFINITY;
    private float maxVal = Float.NEGATIVE_INFINITY;

    private HistogramObserver(Builder b) {
        super("HistogramObserver", b);
        requirePerTensor();
        if (b.bins < 1) {
            throw new IllegalArgumentException(name() + ": bins must be >= 1, got " + b.bins);
        }
        if (b.upsampleRate < 1) {
            throw new IllegalArgumentException(name() + ": upsample_rate must be >= 1, got " + b.upsampleRate);
        }
        this.bins = b.bins;
        this.upsampleRate = b.upsampleRate;
        // PyTorch: 2 ** torch.iinfo(dtype).bits, whatever the quantization range
        this.dstBins = dtype() == DType.QINT32 ? 0x1p32 : 256.0;
        this.histogram = new float[bins];
    }

    /** {@return a builder with PyTorch's defaults} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public FloatTensor forward(FloatTensor x) {
        if (x != null && x.numel() == 0) {
            return x;
        }
        float[] batch = Extrema.of(x, name());
        boolean uninitialized = minVal == Float.POSITIVE_INFINITY && maxVal == Float.NEGATIVE_INFINITY;
        if (uninitialized || minVal == maxVal) {
            minVal = batch[0];
            maxVal = batch[1];
            histogram = Histc.histc(x.data(), bins, truncate(minVal), truncate(maxVal), batch[0], batch[1]);
            return x;
        }
        HistogramCombiner.Adjusted a = HistogramCombiner.adjust(minVal, maxVal, Math.min(batch[0], minVal),
                Math.max(batch[1], maxVal), bins, upsampleRate);
        float[] combined = Histc.histc(x.data(), bins, truncate(a.min()), truncate(a.max()), batch[0], batch[1]);
        if (a.min() == minVal && a.max() == maxVal) {
            for (int i = 0; i < bins; i++) {
                combined[i] += histogram[i];
            }
        } else {
            HistogramCombiner.combine(combined, histogram, upsampleRate, a.downsampleRate(), a.startIdx());
        }
        histogram = combined;
        minVal = a.min();
        maxVal = a.max();
        return x;
    }

    /** Python's {@code int(v)}: toward zero, exactly. */
    private static double truncate(float v) {
        return v < 0 ? Math.ceil(v) : Math.floor(v);
    }

    @Override
    public QParams.PerTensor calculateQParams() {
        if (minVal == Float.POSITIVE_INFINITY && maxVal == Float.NEGATIVE_INFINITY) {
            return perTensorQParams(minVal, maxVal); // PyTorch's default, with its warning
        }
        float[] range = new L2NormSearch(histogram, minVal, maxVal, dstBins).search();
        return perTensorQParams(range[0], range[1]);
    }

    /** {@return the minimum of the histogram's range; {@code +inf} before any data} */
    public float minVal() {
        return minVal;
    }

    /**
     * The maximum of the histogram's range (PyTorch relaxes it upward when ranges combine, so it
     * can exceed every value seen); {@code -inf} before any data.
     *
     * @return the upper end of the histogram's range
     */
    public float maxVal() {
        return maxVal;
    }

    /** {@return a copy of the histogram's counts, {@code bins} of them over {@code [minVal, maxVal]}} */
    public float[] histogram() {
        return histogram.clone();
    }

    /** {@return {@code bins}: the histogram's resolution} */
    public int bins() {
        return bins;
    }

    /** {@return {@code upsample_rate}: sub-bins per bin when histograms of different ranges combine} */
    public int upsampleRate() {
        return upsampleRate;
    }

    @Override
    String describeState() {
        return "bins=" + bins + ", upsample_rate=" + upsampleRate + ", min_val=" + minVal + ", max_val=" + maxVal;
    }

    /** Builds {@link HistogramObserver}s. */
    public static final class Builder extends UniformQuantizationObserver.Builder<Builder, HistogramObserver> {
        private int bins = 2048;
        private int upsampleRate = 128;

        Builder() {
            super(QScheme.PER_TENSOR_AFFINE);
        }

        /**
         * {@code bins} >= 1 (default 2048).
         *
         * @param bins the number of histogram bins
         * @return this builder
         */
        public Builder bins(int bins) {
            this.bins = bins;
            return this;
        }

        /**
         * {@code upsample_rate} >= 1 (default 128).
         *
         * @param upsampleRate the sub-bins per bin
         * @return this builder
         */
        public Builder upsampleRate(int upsampleRate) {
            this.upsampleRate = upsampleRate;
            return this;
        }

        @Override
        public HistogramObserver build() {
            return new HistogramObserver(this);
        }
    }
}
