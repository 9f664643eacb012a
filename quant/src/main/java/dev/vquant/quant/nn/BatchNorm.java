package dev.vquant.quant.nn;

import dev.vquant.engine.FloatTensor;
import dev.vquant.quant.Tensor;
import dev.vquant.quant.autograd.BatchNormGrad;
import dev.vquant.quant.autograd.GradTape;

import java.util.Arrays;

/**
 * Batch normalization over the channel dimension (dimension 1), PyTorch's {@code _BatchNorm}:
 * learnable {@code weight} (1) and {@code bias} (0) when affine, buffers {@code running_mean} (0),
 * {@code running_var} (1) and {@code num_batches_tracked} when tracking running statistics.
 *
 * <p>In training mode (or without running statistics) the output uses the batch's mean and biased
 * variance, and the running statistics move by {@code momentum} towards the batch mean and the
 * <em>unbiased</em> variance ({@code momentum = null}: a cumulative average), as PyTorch does. In
 * eval mode the output is the per-channel affine map {@code x * alpha + beta} with
 * {@code alpha = weight / sqrt(running_var + eps)}, {@code beta = bias - running_mean * alpha}
 * (float32, PyTorch's CPU order), applied where the channel lies in memory (no layout change).
 */
public abstract class BatchNorm extends Module {
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private final Parameter numBatchesTracked;

    /**
     * A batch norm over {@code numFeatures} channels (dimension 1 of the input).
     *
     * @param numFeatures       the number of channels ({@code num_features})
     * @param eps               the value added to the variance ({@code eps})
     * @param momentum          the running statistics' update factor, or null for a cumulative moving average
     * @param affine            whether to learn a weight and bias ({@code affine})
     * @param trackRunningStats whether to keep running statistics for eval mode ({@code track_running_stats})
     * @throws IllegalArgumentException when numFeatures is not positive or eps is not positive
     */
    protected BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": num_features must be > 0, got " + numFeatures);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": eps must be > 0, got " + eps);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        float[] ones = new float[numFeatures];
        Arrays.fill(ones, 1f);
        this.weight = registerParameter("weight", affine ? Parameter.of(ones.clone(), numFeatures) : null);
        this.bias = registerParameter("bias", affine ? Parameter.zeros(numFeatures) : null);
        this.runningMean = registerBuffer("running_mean", trackRunningStats ? Parameter.buffer(new float[numFeatures], numFeatures) : null);
        this.runningVar = registerBuffer("running_var", trackRunningStats ? Parameter.buffer(ones, numFeatures) : null);
        this.numBatchesTracked = registerBuffer("num_batches_tracked", trackRunningStats ? Parameter.buffer(new float[1]) : null);
    }

    /** {@return the number of channels (features) normalized} */
    public int numFeatures() {
        return numFeatures;
    }

    /** {@return the value added to the variance for stability} */
    public double eps() {
        return eps;
    }

    /** {@return the update factor of the running statistics, or null for a cumulative average} */
    public Double momentum() {
        return momentum;
    }

    /** {@return {@code weight [num_features]} (gamma), or null when not affine} */
    public Parameter weight() {
        return weight;
    }

    /** {@return {@code bias [num_features]} (beta), or null when not affine} */
    public Parameter bias() {
        return bias;
    }

    /** {@return {@code running_mean [num_features]}, or null without running statistics} */
    public Parameter runningMean() {
        return runningMean;
    }

    /** {@return {@code running_var [num_features]}, or null without running statistics} */
    public Parameter runningVar() {
        return runningVar;
    }

    /** {@return {@code num_batches_tracked} (a scalar), or null without running statistics} */
    public Parameter numBatchesTracked() {
        return numBatchesTracked;
    }

    /** {@return whether it has a learnable weight and bias} */
    public boolean isAffine() {
        return weight != null;
    }

    /** {@return whether it keeps running statistics (used in eval mode)} */
    public boolean tracksRunningStats() {
        return runningMean != null;
    }

    /**
     * Checks the input's rank for the subclass, naming the expected layout.
     *
     * @param x the input
     * @throws IllegalArgumentException when {@code x} has a rank the subclass does not accept
     */
    protected abstract void checkRank(Tensor x);

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, false);
    }

    /**
     * The normalized output, followed by ReLU when {@code relu} (what the fused {@code BNReLU2d} runs).
     *
     * @param x    the float input {@code [N, C, ...]}
     * @param relu whether to apply ReLU
     * @return a new tensor of {@code x}'s shape and memory format
     * @throws IllegalArgumentException when x has the wrong rank or channel count, is quantized, or
     *                                  (training) holds a single value per channel
     */
    public Tensor forward(Tensor x, boolean relu) {
        FloatTensor stored = x.storageFloat(this);
        checkRank(x);
        if (x.dim(1) != numFeatures) {
            throw new IllegalArgumentException(this + ": expected " + numFeatures + " channels in dimension 1, got shape "
                    + Arrays.toString(x.shape()));
        }
        int channelsLast = x.memoryFormat() == Tensor.MemoryFormat.CHANNELS_LAST ? 1 : 0;
        int inner = 1;
        for (int d = 2; d < x.rank() && channelsLast == 0; d++) {
            inner *= x.dim(d);
        }
        int outer = x.numel() / (numFeatures * inner);
        float[] alpha = new float[numFeatures];
        float[] beta = new float[numFeatures];
        boolean batchStatistics = isTraining() || !tracksRunningStats();
        double[][] batchMeanVar = null;
        if (batchStatistics) {
            batchMeanVar = batchTerms(stored.data(), outer, inner, alpha, beta, x);
        } else {
            affineTerms(runningMean.data(), runningVar.data(), alpha, beta);
        }
        float[] in = stored.data();
        float[] out = new float[in.length];
        float lo = relu ? 0f : Float.NEGATIVE_INFINITY;
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < numFeatures; c++) {
                float a = alpha[c];
                float b = beta[c];
                int base = (o * numFeatures + c) * inner;
                for (int i = base; i < base + inner; i++) {
                    out[i] = Math.max(in[i] * a + b, lo);
                }
            }
        }
        Tensor y = x.withStorage(FloatTensor.of(out, stored.shape()));
        GradTape tape = GradTape.recording();
        if (tape != null) {
            double[] mean = batchStatistics ? batchMeanVar[0] : widen(runningMean.data());
            double[] var = batchStatistics ? batchMeanVar[1] : widen(runningVar.data());
            BatchNormGrad.record(tape, x, y, weight == null ? null : tape.leaf(weight), bias == null ? null : tape.leaf(bias),
                    mean, var, batchStatistics, eps, relu);
        }
        return y;
    }

    /** {@code alpha = weight / sqrt(var + eps)}, {@code beta = bias - mean * alpha}, in float32. */
    private void affineTerms(float[] mean, float[] var, float[] alpha, float[] beta) {
        float e = (float) eps;
        for (int c = 0; c < numFeatures; c++) {
            float invstd = 1f / (float) Math.sqrt(var[c] + e);
            float w = weight == null ? 1f : weight.data()[c];
            float b = bias == null ? 0f : bias.data()[c];
            alpha[c] = invstd * w;
            beta[c] = b - mean[c] * alpha[c];
        }
    }

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /**
     * Batch statistics (double sums) to the affine terms; updates the running statistics when
     * tracked. Returns the batch mean and biased variance (float64), which the backward reuses.
     */
    private double[][] batchTerms(float[] x, int outer, int inner, float[] alpha, float[] beta, Tensor input) {
        long count = (long) outer * inner;
        if (count <= 1) {
            throw new IllegalArgumentException(this + ": expected more than 1 value per channel when training, got input size "
                    + Arrays.toString(input.shape()));
        }
        double[] sum = new double[numFeatures];
        double[] sumSq = new double[numFeatures];
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < numFeatures; c++) {
                int base = (o * numFeatures + c) * inner;
                double s = 0;
                for (int i = base; i < base + inner; i++) {
                    s += x[i];
                }
                sum[c] += s;
            }
        }
        float[] mean = new float[numFeatures];
        float[] var = new float[numFeatures];
        for (int c = 0; c < numFeatures; c++) {
            sum[c] /= count;
            mean[c] = (float) sum[c];
        }
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < numFeatures; c++) {
                int base = (o * numFeatures + c) * inner;
                double m = sum[c];
                double s = 0;
                for (int i = base; i < base + inner; i++) {
                    double d = x[i] - m;
                    s += d * d;
                }
                sumSq[c] += s;
            }
        }
        for (int c = 0; c < numFeatures; c++) {
            var[c] = (float) (sumSq[c] / count);
        }
        affineTerms(mean, var, alpha, beta);
        if (isTraining() && tracksRunningStats()) {
            numBatchesTracked.data()[0] += 1;
            numBatchesTracked.markModified();
            double f = momentum == null ? 1.0 / numBatchesTracked.data()[0] : momentum;
            float[] rm = runningMean.data();
            float[] rv = runningVar.data();
            for (int c = 0; c < numFeatures; c++) {
                rm[c] = (float) (f * sum[c] + (1 - f) * rm[c]);
                rv[c] = (float) (f * (sumSq[c] / (count - 1)) + (1 - f) * rv[c]);
            }
            runningMean.markModified();
            runningVar.markModified();
        }
        double[] biased = new double[numFeatures];
        for (int c = 0; c < numFeatures; c++) {
            biased[c] = sumSq[c] / count;
        }
        return new double[][]{sum, biased};
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + PyRepr.floating(eps) + ", momentum=" + (momentum == null ? "None" : PyRepr.floating(momentum))
                + ", affine=" + PyRepr.bool(isAffine()) + ", track_running_stats=" + PyRepr.bool(tracksRunningStats());
    }
}
