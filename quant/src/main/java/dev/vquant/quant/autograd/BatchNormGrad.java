package dev.vquant.quant.autograd;

import dev.vquant.quant.Tensor;

/**
 * The backward of batch normalization over dimension 1 (then ReLU when fused), as
 * {@link dev.vquant.quant.nn.BatchNorm} computes it, in float64 sums. With batch statistics
 * (training, or no running statistics) the mean and variance depend on the input:
 * {@code dx = gamma * invstd * (dy - mean(dy) - xhat * mean(dy * xhat))}; with running
 * statistics (eval, frozen) {@code dx = dy * gamma * invstd}. Either way
 * {@code dgamma = sum(dy * xhat)} and {@code dbeta = sum(dy)} per channel.
 */
public final class BatchNormGrad {
    private BatchNormGrad() {
    }

    /**
     * Records {@code y = batch_norm(x)} on {@code tape}.
     *
     * @param gamma        the weight tensor {@code [C]}, or null when not affine (gamma 1)
     * @param beta         the bias tensor {@code [C]}, or null when not affine
     * @param runningMean  the running mean the output used, or null when it used batch statistics
     * @param runningVar   the running variance the output used, or null when it used batch statistics
     */
    public static void record(GradTape tape, Tensor x, Tensor y, Tensor gamma, Tensor beta, float[] runningMean,
                              float[] runningVar, double eps, boolean relu) {
        int channels = x.dim(1);
        boolean channelsLast = x.memoryFormat() == Tensor.MemoryFormat.CHANNELS_LAST && x.rank() == 4;
        int inner = 1;
        for (int d = 2; d < x.rank() && !channelsLast; d++) {
            inner *= x.dim(d);
        }
        int outer = x.numel() / (channels * inner);
        int innerSize = inner;
        float[] xs = x.storageFloat("BatchNorm backward").data();
        float[] ys = relu ? y.storageFloat("BatchNorm backward").data() : null;
        float[] gammaValues = gamma == null ? null : gamma.toFloatArray();
        float[] rm = runningMean == null ? null : runningMean.clone();
        float[] rv = runningVar == null ? null : runningVar.clone();
        tape.record(y, (g, needs) -> {
            float[] gy = relu ? Elementwise.maskPositive(g, ys) : g;
            double count = (double) outer * innerSize;
            double[] mean = new double[channels];
            double[] invstd = new double[channels];
            if (rm != null) {
                for (int c = 0; c < channels; c++) {
                    mean[c] = rm[c];
                    invstd[c] = 1 / Math.sqrt(rv[c] + eps);
                }
            } else {
                double[] sq = new double[channels];
                forEach(outer, channels, innerSize, (i, c) -> mean[c] += xs[i]);
                for (int c = 0; c < channels; c++) {
                    mean[c] /= count;
                }
                forEach(outer, channels, innerSize, (i, c) -> sq[c] += (xs[i] - mean[c]) * (xs[i] - mean[c]));
                for (int c = 0; c < channels; c++) {
                    invstd[c] = 1 / Math.sqrt(sq[c] / count + eps);
                }
            }
            double[] sumG = new double[channels];
            double[] sumGx = new double[channels];
            forEach(outer, channels, innerSize, (i, c) -> {
                sumG[c] += gy[i];
                sumGx[c] += gy[i] * (xs[i] - mean[c]) * invstd[c];
            });
            float[] dx = null;
            if (needs[0]) {
                float[] out = new float[xs.length];
                forEach(outer, channels, innerSize, (i, c) -> {
                    double scale = (gammaValues == null ? 1 : gammaValues[c]) * invstd[c];
                    double v = rm != null ? gy[i] * scale
                            : scale * (gy[i] - sumG[c] / count - (xs[i] - mean[c]) * invstd[c] * sumGx[c] / count);
                    out[i] = (float) v;
                });
                dx = out;
            }
            return new float[][]{dx, needs[1] ? narrow(sumGx) : null, needs[2] ? narrow(sumG) : null};
        }, x, gamma, beta);
    }

    private interface Visit {
        void at(int index, int channel);
    }

    /** Visits every element with its channel, in storage order ({@code (outer, channel, inner)}). */
    private static void forEach(int outer, int channels, int inner, Visit v) {
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < channels; c++) {
                int base = (o * channels + c) * inner;
                for (int i = base; i < base + inner; i++) {
                    v.at(i, c);
                }
            }
        }
    }

    private static float[] narrow(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
