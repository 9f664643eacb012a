package dev.vquant.quant.observer;

/**
 * How PyTorch 1.13's HistogramObserver merges the histogram it holds with a new batch whose range
 * is wider ({@code _adjust_min_max} and {@code _combine_histograms}), float32 and float64 steps
 * as PyTorch takes them.
 *
 * <p>The held histogram is upsampled {@code upsampleRate} times onto a fine grid, placed at
 * {@code startIdx} in a grid of {@code bins * downsampleRate} cells covering the combined range,
 * integrated (float64 running sum), sampled every {@code downsampleRate} cells, differenced and
 * divided by the upsample rate. PyTorch materializes the fine grid (which can be enormous when the
 * range grows a lot); this walks it without storing it, adding the same values in the same order,
 * so the sums are the same bit for bit and memory stays {@code O(bins)}.
 */
final class HistogramCombiner {
    private HistogramCombiner() {
    }

    /** The combined range (max relaxed upward) and where the held histogram lands in it. */
    record Adjusted(float min, float max, long downsampleRate, long startIdx) {
    }

    /**
     * {@code _adjust_min_max}: widens {@code combinedMax} so that the combined range is a whole
     * number ({@code downsampleRate}) of held-bins-over-upsample-rate, and locates the held minimum.
     *
     * @throws IllegalArgumentException when the held range is too narrow for float32 to grid it
     *                                  (PyTorch 1.13 fails there too) or the grid would not fit a long
     */
    static Adjusted adjust(float heldMin, float heldMax, float combinedMin, float combinedMax, int bins, int upsampleRate) {
        float histBinWidth = (heldMax - heldMin) / (float) ((long) bins * upsampleRate);
        float span = combinedMax - combinedMin;
        float binsWidth = (float) bins * histBinWidth;
        double rate = Math.ceil(span / binsWidth);
        if (!(rate >= 1) || rate * bins >= 0x1p62 || rate * upsampleRate >= 0x1p62) {
            throw new IllegalArgumentException("HistogramObserver: cannot combine the held range [" + heldMin + ", " + heldMax
                    + "] with [" + combinedMin + ", " + combinedMax + "]: the ratio of the ranges is beyond float32");
        }
        long downsampleRate = (long) rate;
        float e = (float) downsampleRate * binsWidth - span;
        float max = combinedMax + e;
        long startIdx = (long) Math.rint((heldMin - combinedMin) / histBinWidth);
        return new Adjusted(combinedMin, max, downsampleRate, startIdx);
    }

    /**
     * {@code _combine_histograms}: {@code fresh} (the new batch's histogram over the combined
     * range) plus {@code held} resampled onto it. Returns {@code fresh}, updated.
     */
    static float[] combine(float[] fresh, float[] held, int upsampleRate, long downsampleRate, long startIdx) {
        int bins = fresh.length;
        long cells = bins * downsampleRate;
        // PyTorch's slice assignment fails if the upsampled histogram overruns the grid; the part
        // inside the grid is what its integral samples would see
        long end = Math.min(startIdx + (long) bins * upsampleRate, cells);
        double integral = 0.0;
        long cell = startIdx;
        float previous = 0f; // the shifted integral, stored as float32 by PyTorch
        for (int k = 0; k < bins; k++) {
            long sample = (k + 1) * downsampleRate - 1;
            for (; cell <= sample && cell < end; cell++) {
                integral += held[(int) ((cell - startIdx) / upsampleRate)];
            }
            double interpolated = (integral - previous) / upsampleRate;
            fresh[k] = fresh[k] + (float) interpolated;
            previous = (float) integral;
        }
        return fresh;
    }
}
