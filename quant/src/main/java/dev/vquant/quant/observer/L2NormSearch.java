package dev.vquant.quant.observer;

/**
 * HistogramObserver's choice of range (PyTorch 1.13's {@code _non_linear_param_search} and
 * {@code _compute_quantization_error}, after caffe2's NormMinimization): starting from the whole
 * histogram, repeatedly drop the thinner tail (1e-5 of the mass at a time) while the L2 error of
 * quantizing the histogram's density into {@code dstBins} levels keeps falling.
 *
 * <p>Every step uses PyTorch's types: Python floats (double) for the quantile bounds and bin
 * widths, float32 tensors for the per-bin error terms, float32 comparisons of the cumulative
 * histogram against {@code f32(bound * total)}, and the error summed in PyTorch's order
 * ({@link CascadeSum}).
 */
final class L2NormSearch {
    private static final double STEP = 1e-5;

    private final float[] histogram;
    private final float min;
    private final float max;
    private final double dstBins;

    /**
     * @param dstBins {@code 2^bits} of the target dtype (256 for the 8-bit types, with or
     *                without reduce_range, as in PyTorch 1.13)
     */
    L2NormSearch(float[] histogram, float min, float max, double dstBins) {
        this.histogram = histogram;
        this.min = min;
        this.max = max;
        this.dstBins = dstBins;
    }

    /** {new_min, new_max}: the range to compute qparams from. */
    float[] search() {
        int bins = histogram.length;
        float binWidth = (max - min) / (float) bins;
        double total = CascadeSum.sum(histogram);
        float[] cumulative = new float[bins];
        double running = 0.0; // PyTorch's CPU cumsum accumulates float32 in double
        for (int i = 0; i < bins; i++) {
            running += histogram[i];
            cumulative[i] = (float) running;
        }
        double alpha = 0.0;
        double beta = 1.0;
        int startBin = 0;
        int endBin = bins - 1;
        double normMin = Double.POSITIVE_INFINITY;
        while (alpha < beta) {
            double nextAlpha = alpha + STEP;
            double nextBeta = beta - STEP;
            // tensor < python float: the bound is rounded to float32
            float lowBound = (float) (nextAlpha * total);
            float highBound = (float) (nextBeta * total);
            int l = startBin;
            int r = endBin;
            while (l < endBin && cumulative[l] < lowBound) {
                l++;
            }
            while (r > startBin && cumulative[r] > highBound) {
                r--;
            }
            int nextStart = startBin;
            int nextEnd = endBin;
            if ((l - startBin) > (endBin - r)) {
                nextStart = l;
                alpha = nextAlpha;
            } else {
                nextEnd = r;
                beta = nextBeta;
            }
            if (nextStart == startBin && nextEnd == endBin) {
                continue;
            }
            double norm = quantizationError(nextStart, nextEnd);
            if (norm > normMin) {
                break;
            }
            normMin = norm;
            startBin = nextStart;
            endBin = nextEnd;
        }
        float newMin = min + binWidth * (float) startBin;
        float newMax = min + binWidth * (float) (endBin + 1);
        return new float[] {newMin, newMax};
    }

    /**
     * The L2 error of quantizing bins {@code start..end} into {@code dstBins} equal bins, each
     * source bin's density assumed uniform: per source bin, the part in the destination bin of its
     * start, the whole destination bins it spans, and the part in the destination bin of its end.
     */
    double quantizationError(int start, int end) {
        int bins = histogram.length;
        double binWidth = ((double) max - (double) min) / bins;
        double dstBinWidth = binWidth * (end - start + 1) / dstBins;
        if (dstBinWidth == 0.0) {
            return 0.0;
        }
        float bw = (float) binWidth;
        float dbw = (float) dstBinWidth;
        float half = (float) (dstBinWidth / 2);
        float negHalf = (float) (-dstBinWidth / 2);
        float lastDst = (float) (dstBins - 1);
        float negHalfCubed = negHalf * negHalf * negHalf;
        float wholeBin = (half * half * half - negHalfCubed) / 3f;
        float[] norm = new float[bins];
        for (int i = 0; i < bins; i++) {
            float srcBegin = (float) (i - start) * bw;
            float srcEnd = srcBegin + bw;
            float dstOfBegin = clamp(divFloor(srcBegin, dbw), lastDst);
            float dstOfBeginCenter = (dstOfBegin + 0.5f) * dbw;
            float dstOfEnd = clamp(divFloor(srcEnd, dbw), lastDst);
            float density = histogram[i] / bw;

            float deltaBegin = srcBegin - dstOfBeginCenter;
            float n = 0f + density * ((half * half * half - deltaBegin * deltaBegin * deltaBegin) / 3f);
            n = n + ((dstOfEnd - dstOfBegin) - 1f) * (density * wholeBin);
            float dstOfEndCenter = dstOfEnd * dbw + half;
            float deltaEnd = srcEnd - dstOfEndCenter;
            n = n + density * ((deltaEnd * deltaEnd * deltaEnd - negHalfCubed) / 3f);
            norm[i] = n;
        }
        return CascadeSum.sum(norm);
    }

    private static float clamp(float v, float hi) {
        return Math.min(Math.max(v, 0f), hi);
    }

    /** {@code torch.div(a, b, rounding_mode='floor')} in float32 (c10's {@code div_floor_floating}). */
    static float divFloor(float a, float b) {
        if (b == 0f) {
            return a / b;
        }
        float mod = a % b; // C's fmod: exact
        float div = (a - mod) / b;
        if (mod != 0f && (b < 0f) != (mod < 0f)) {
            div -= 1f;
        }
        if (div == 0f) {
            return Math.copySign(0f, a / b);
        }
        float floor = (float) Math.floor(div);
        if (div - floor > 0.5f) {
            floor += 1f;
        }
        return floor;
    }
}
