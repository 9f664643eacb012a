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
     * @param tape the tape to record on
     * @param x               the input {@code [N, C, ...]}
     * @param y               the output the forward computed, of {@code x}'s shape
     * @param gamma           the weight tensor {@code [C]}, or null when not affine (gamma 1)
     * @param beta            the bias tensor {@code [C]}, or null when not affine
     * @param mean            the per-channel mean the output used (the batch's, or the running mean)
     * @param var             the per-channel variance the output used (the batch's biased one, or the running variance)
     * @param batchStatistics whether mean and var are the batch's own (and so depend on x)
     * @param eps             the epsilon added to the variance
     * @param relu            whether the forward applied ReLU after the normalization (BNReLU)
     */
    public static void record(GradTape tape, Tensor x, Tensor y, Tensor gamma, Tensor beta, double[] mean, double[] var,
                              boolean batchStatistics, double eps, boolean relu) {
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
        double[] invstd = new double[channels];
        for (int c = 0; c < channels; c++) {
            invstd[c] = 1 / Math.sqrt(var[c] + eps);
        }
        double[] center = mean.clone();
        tape.record(y, (g, needs) -> {
            float[] gy = relu ? Elementwise.maskPositive(g, ys) : g;
            double count = (double) outer * innerSize;
            double[] sumG = new double[channels];
            channelSums(gy, null, null, outer, channels, innerSize, sumG);
            double[] sumGx = new double[channels];   // sum(g * (x - mean)), times invstd below: sum(g * xhat)
            channelSums(gy, xs, center, outer, channels, innerSize, sumGx);
            for (int c = 0; c < channels; c++) {
                sumGx[c] *= invstd[c];
            }
            float[] dx = null;
            if (needs[0]) {
                // dx = a[c] * g + b[c] * (x - m[c]) + d[c]: the batch-statistics terms folded per channel
                // (x - m in float32 is exact for x near m, so no cancellation against a large mean)
                float[] a = new float[channels];
                float[] b = new float[channels];
                float[] d = new float[channels];
                float[] m = new float[channels];
                for (int c = 0; c < channels; c++) {
                    double scale = (gammaValues == null ? 1 : gammaValues[c]) * invstd[c];
                    a[c] = (float) scale;
                    if (batchStatistics) {
                        double k = scale * invstd[c] * sumGx[c] / count;
                        b[c] = (float) -k;
                        d[c] = (float) (-scale * sumG[c] / count);
                        m[c] = (float) center[c];
                    }
                }
                dx = new float[xs.length];
                for (int o = 0; o < outer; o++) {
                    int row = o * channels * innerSize;
                    if (innerSize == 1) {
                        for (int c = 0; c < channels; c++) {
                            dx[row + c] = a[c] * gy[row + c] + b[c] * (xs[row + c] - m[c]) + d[c];
                        }
                        continue;
                    }
                    for (int c = 0; c < channels; c++) {
                        int base = row + c * innerSize;
                        float ac = a[c];
                        float bc = b[c];
                        float dc = d[c];
                        float mc = m[c];
                        for (int i = base; i < base + innerSize; i++) {
                            dx[i] = ac * gy[i] + bc * (xs[i] - mc) + dc;
                        }
                    }
                }
            }
            return new float[][]{dx, needs[1] ? narrow(sumGx) : null, needs[2] ? narrow(sumG) : null};
        }, x, gamma, beta);
    }

    /**
     * Adds per channel {@code sum(v)} into {@code out}, or {@code sum(v * (w - center[c]))} when
     * {@code w} is given, over storage order {@code (outer, channel, inner)}. Channels-last storage
     * ({@code inner == 1}) runs as loops over the channels, which the JIT vectorizes.
     */
    private static void channelSums(float[] v, float[] w, double[] center, int outer, int channels, int inner, double[] out) {
        for (int o = 0; o < outer; o++) {
            int row = o * channels * inner;
            if (inner == 1) {
                if (w == null) {
                    for (int c = 0; c < channels; c++) {
                        out[c] += v[row + c];
                    }
                } else {
                    for (int c = 0; c < channels; c++) {
                        out[c] += v[row + c] * (w[row + c] - center[c]);
                    }
                }
                continue;
            }
            for (int c = 0; c < channels; c++) {
                int base = row + c * inner;
                double s = 0;
                if (w == null) {
                    for (int i = base; i < base + inner; i++) {
                        s += v[i];
                    }
                } else {
                    double m = center[c];
                    for (int i = base; i < base + inner; i++) {
                        s += v[i] * (w[i] - m);
                    }
                }
                out[c] += s;
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
