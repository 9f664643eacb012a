package dev.vquant.quant.autograd;

import dev.vquant.quant.Tensor;

/**
 * Backwards of the two steps around the convolution in PyTorch 1.13's
 * {@code _ConvBnNd._forward_approximate}, where the BN scale
 * {@code scale_factor = gamma / sqrt(running_var + eps)} enters twice and gamma gets gradient
 * through both: the weight scaled per output channel before fake quantization, and the
 * convolution's output divided by it (then the bias added) before the BN.
 */
public final class BnFoldGrad {
    private BnFoldGrad() {
    }

    /** {@code 1 / sqrt(running_var + eps)} per channel, the derivative of the scale factor by gamma. */
    private static double[] invstd(float[] runningVar, double eps) {
        double[] s = new double[runningVar.length];
        for (int c = 0; c < s.length; c++) {
            s[c] = 1 / Math.sqrt(runningVar[c] + (float) eps);
        }
        return s;
    }

    /**
     * Records {@code scaled[o, ...] = weight[o, ...] * scaleFactor[o]} with
     * {@code scaleFactor = gamma * invstd}: {@code dweight = g * scaleFactor[o]},
     * {@code dgamma[o] = sum g * weight * invstd[o]}.
     *
     * @param tape the tape to record on
     * @param weight      the convolution weight {@code [Cout, ...]}
     * @param gamma       the batch norm's weight {@code [Cout]}
     * @param scaled      the forward's output, of {@code weight}'s shape
     * @param scaleFactor the factors the forward used (float32)
     * @param runningVar  the batch norm's running variance, {@code [Cout]}
     * @param eps         the batch norm's epsilon; {@code invstd = 1 / sqrt(runningVar + (float) eps)}
     */
    public static void scaleWeight(GradTape tape, Tensor weight, Tensor gamma, Tensor scaled, float[] scaleFactor,
                                   float[] runningVar, double eps) {
        float[] w = weight.toFloatArray();
        float[] sf = scaleFactor.clone();
        double[] inv = invstd(runningVar, eps);
        int per = w.length / sf.length;
        tape.record(scaled, (g, needs) -> {
            float[] dw = null;
            float[] dgamma = null;
            if (needs[0]) {
                dw = new float[w.length];
                for (int i = 0; i < w.length; i++) {
                    dw[i] = g[i] * sf[i / per];
                }
            }
            if (needs[1]) {
                dgamma = new float[sf.length];
                for (int o = 0; o < sf.length; o++) {
                    double s = 0;
                    for (int i = o * per; i < (o + 1) * per; i++) {
                        s += (double) g[i] * w[i];
                    }
                    dgamma[o] = (float) (s * inv[o]);
                }
            }
            return new float[][]{dw, dgamma};
        }, weight, gamma);
    }

    /**
     * Records {@code y = conv / scaleFactor[c] + bias[c]} on the channels-last convolution output:
     * {@code dconv = g / scaleFactor[c]}, {@code dgamma[c] = -sum(g * conv) / scaleFactor[c]^2 * invstd[c]},
     * {@code dbias[c] = sum g}.
     *
     * @param tape the tape to record on
     * @param conv        the convolution's output without bias, channels-last {@code [N, Cout, H, W]}
     * @param gamma       the batch norm's weight {@code [Cout]}
     * @param bias the convolution's bias tensor, or null
     * @param y           the forward's output, of {@code conv}'s shape and memory format
     * @param scaleFactor the factors the weight was scaled by (float32, {@code [Cout]})
     * @param runningVar  the batch norm's running variance, {@code [Cout]}
     * @param eps         the batch norm's epsilon
     */
    public static void unscale(GradTape tape, Tensor conv, Tensor gamma, Tensor bias, Tensor y, float[] scaleFactor,
                               float[] runningVar, double eps) {
        float[] cs = Layouts.nhwc(conv, "ConvBn2d backward");
        float[] sf = scaleFactor.clone();
        double[] inv = invstd(runningVar, eps);
        int channels = sf.length;
        tape.record(y, (g0, needs) -> {
            float[] g = Layouts.storageToNhwc(y, g0);
            double[] sumG = new double[channels];
            double[] sumGc = new double[channels];
            float[] dconv = needs[0] ? new float[g.length] : null;
            for (int i = 0; i < g.length; i++) {
                int c = i % channels;
                sumG[c] += g[i];
                sumGc[c] += (double) g[i] * cs[i];
                if (dconv != null) {
                    dconv[i] = g[i] / sf[c];
                }
            }
            float[] dgamma = needs[1] ? new float[channels] : null;
            float[] dbias = needs[2] ? new float[channels] : null;
            for (int c = 0; c < channels; c++) {
                if (dgamma != null) {
                    dgamma[c] = (float) (-sumGc[c] / ((double) sf[c] * sf[c]) * inv[c]);
                }
                if (dbias != null) {
                    dbias[c] = (float) sumG[c];
                }
            }
            return new float[][]{dconv == null ? null : Layouts.nhwcToStorage(conv, dconv), dgamma, dbias};
        }, conv, gamma, bias);
    }
}
