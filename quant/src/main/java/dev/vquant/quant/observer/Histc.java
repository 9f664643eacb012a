package dev.vquant.quant.observer;

/**
 * {@code torch.histc(x, bins, min, max)} on float32 data, as PyTorch 1.13 computes it: equal
 * {@code min} and {@code max} are replaced by the data's extremes, then widened by one each way if
 * still equal; elements outside {@code [min, max]} are ignored; element {@code v} goes to bin
 * {@code (long) ((v - left) * bins / (right - left))} in float32 ({@code left}, {@code right} the
 * float32 edges; the top edge belongs to the last bin); counts are float32.
 */
final class Histc {
    private Histc() {
    }

    /**
     * The histogram of {@code data} over {@code [min, max]} (double, as PyTorch's Scalars are);
     * {@code dataMin}/{@code dataMax} are the data's extremes (used when {@code min == max}).
     */
    static float[] histc(float[] data, int bins, double min, double max, float dataMin, float dataMax) {
        double lo = min;
        double hi = max;
        if (lo == hi) {
            lo = dataMin;
            hi = dataMax;
        }
        if (lo == hi) {
            lo -= 1;
            hi += 1;
        }
        float left = (float) lo;
        float right = (float) hi;
        float width = right - left;
        float[] hist = new float[bins];
        for (float v : data) {
            if (!(v >= left && v <= right)) {
                continue;
            }
            // width is 0 only for huge constant data (+-1 lost in float32): PyTorch divides by zero
            // there; the histogram of a zero-width range is never read (its bin width is 0)
            long pos = width > 0 ? (long) ((v - left) * (float) bins / width) : 0;
            if (pos == bins) {
                pos = bins - 1;
            }
            hist[(int) pos] += 1f;
        }
        return hist;
    }
}
